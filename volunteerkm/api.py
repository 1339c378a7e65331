from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from assessments.api import router as assessments_router
from knowledge.api import router as knowledge_router
from reports.api import router as reports_router
from search.api import router as search_router

api = NinjaAPI(
    title="volunteer-km API",
    version="1",
    description="API อ่านข้อมูลคลังความรู้ระเบียบ อพม. พ.ศ. ๒๕๖๔ และค้นหา",
    urls_namespace="api",
)
api.add_router("/", knowledge_router)
api.add_router("/", search_router)
api.add_router("/", assessments_router)
api.add_router("/", reports_router)


# Bad input gets a Thai message everywhere in the API, not only where our own code
# refuses it: ninja's own refusals (unreadable JSON, a field missing or of the wrong type,
# no login or token, no such path) are said in Thai too. Our own HttpErrors are Thai already.
NINJA_MESSAGES = {
    "Cannot parse request body": "อ่านข้อมูลที่ส่งมาไม่ได้ ข้อมูลต้องอยู่ในรูปแบบ JSON",
    "Unauthorized": "กรุณาเข้าสู่ระบบ หรือส่งรหัสผู้เข้าอบรม (X-Participant) ที่ได้จากการเข้าร่วม",
    "Forbidden": "ไม่มีสิทธิ์ทำรายการนี้",
    "Not Found": "ไม่พบข้อมูลที่ขอ",
}


# What each kind of pydantic error means, in Thai (ctx holds the bound that was broken).
RULES = {
    "missing": "ต้องระบุ",
    "int_parsing": "ต้องเป็นจำนวนเต็ม", "int_type": "ต้องเป็นจำนวนเต็ม", "int_from_float": "ต้องเป็นจำนวนเต็ม",
    "float_parsing": "ต้องเป็นตัวเลข", "float_type": "ต้องเป็นตัวเลข",
    "greater_than_equal": "ต้องไม่น้อยกว่า {ge}", "greater_than": "ต้องมากกว่า {gt}",
    "less_than_equal": "ต้องไม่เกิน {le}", "less_than": "ต้องน้อยกว่า {lt}",
    "string_type": "ต้องเป็นข้อความ", "string_too_short": "ต้องยาวอย่างน้อย {min_length} ตัวอักษร",
    "string_too_long": "ยาวได้ไม่เกิน {max_length} ตัวอักษร",
    "bool_parsing": "ต้องเป็น true หรือ false", "bool_type": "ต้องเป็น true หรือ false",
    "date_parsing": "ต้องเป็นวันที่แบบ ปปปป-ดด-วว (ค.ศ.)", "date_from_datetime_parsing": "ต้องเป็นวันที่แบบ ปปปป-ดด-วว (ค.ศ.)",
    "date_type": "ต้องเป็นวันที่แบบ ปปปป-ดด-วว (ค.ศ.)",
    "dict_type": "ต้องเป็นออบเจกต์ JSON", "model_type": "ต้องเป็นออบเจกต์ JSON",
    "model_attributes_type": "ต้องเป็นออบเจกต์ JSON", "list_type": "ต้องเป็นรายการ (JSON array)",
}


def thai_rule(error: dict) -> str:
    """'limit ต้องไม่เกิน 50': the field (without the body parameter's own name) and its rule."""
    loc = [str(p) for p in error.get("loc", ())]
    field = ".".join(loc[2:] if loc[:1] == ["body"] and len(loc) > 2 else loc[1:]) or "ข้อมูล"
    try:
        rule = RULES.get(error.get("type"), "ผิดรูปแบบ").format(**error.get("ctx", {}))
    except (KeyError, IndexError):
        rule = "ผิดรูปแบบ"
    return f"{field} {rule}"


@api.exception_handler(ValidationError)
def thai_validation_error(request, exc):
    rules = list(dict.fromkeys(thai_rule(e) for e in exc.errors))
    return api.create_response(request, {
        "detail": f"ข้อมูลที่ส่งมาไม่ครบหรือผิดรูปแบบ: {'; '.join(rules)}",
        "errors": exc.errors,
    }, status=422)


@api.exception_handler(HttpError)
def thai_http_error(request, exc):
    message = str(exc)
    return api.create_response(request, {"detail": NINJA_MESSAGES.get(message.split(" (")[0], message)},
                               status=exc.status_code)


@api.exception_handler(Http404)
def thai_not_found(request, exc):
    return api.create_response(request, {"detail": NINJA_MESSAGES["Not Found"]}, status=404)
