"""The API's refusals as the OpenAPI schema documents them: every refusal is a Thai message
in ``detail``; a request the schema itself refuses (422) also lists what was wrong in
``errors``. Each operation names the refusals it can give with ``refusals``."""
from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str = Field(description="ข้อความภาษาไทยที่บอกว่าทำไมจึงไม่ได้ทำรายการ")


class InvalidOut(Schema):
    detail: str = Field(description="ข้อความภาษาไทยที่บอกว่าช่องใดผิดรูปแบบ")
    errors: list[dict] = Field(description="รายการช่องที่ผิด ตามรูปแบบของ pydantic (type, loc, msg)")


def refusals(*codes: int) -> dict:
    """The documented replies of an operation's refusals: ``codes`` with ErrorOut, and 422
    (the schema's own check of parameters and body) with InvalidOut."""
    return {**{code: ErrorOut for code in codes}, 422: InvalidOut}
