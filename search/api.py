from ninja import Query, Router, Schema, Status

from volunteerkm.apierrors import refusals

from . import engine
from .models import SearchQuery
from .views import MAX_QUERY, TOO_LONG, log_query

router = Router(tags=["ค้นหา"])
MAX_LIMIT = 50


class HitOut(Schema):
    title: str
    context: str
    url: str
    snippet: str
    score: float


class SearchOut(Schema):
    q: str
    did_you_mean: str
    results: list[HitOut]


@router.get("/search", response={200: SearchOut, **refusals(400)}, summary="ค้นหาความรู้ด้วยคำถามภาษาไทย")
def search(request, q: str = "", limit: int = Query(10, ge=1, le=MAX_LIMIT)):
    """`q` คำค้นหรือคำถาม (ไม่เกิน 200 ตัวอักษร), `limit` จำนวนผลลัพธ์ 1–50; snippet เป็น HTML ที่ทำเครื่องหมายคำที่ตรงด้วย <mark>"""
    q = q.strip()
    if not q:
        return Status(400, {"detail": "กรุณาระบุคำค้น (q)"})
    if len(q) > MAX_QUERY:
        return Status(400, {"detail": TOO_LONG})
    results = engine.search(q, limit)
    log_query(q, results, SearchQuery.API)
    return Status(200, SearchOut(q=q, did_you_mean=results.did_you_mean, results=[
        HitOut(title=h.doc.title, context=h.doc.context, url=h.doc.url, snippet=h.snippet, score=h.score)
        for h in results.hits
    ]))
