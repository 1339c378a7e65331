from ninja import Field, Query, Router, Schema, Status

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
    sure: bool = Field(True, description="ตอบคำถามได้ใกล้เคียงผลลัพธ์แรก; false คือเรื่องที่อาจเกี่ยวข้องเท่านั้น")


class DirectAnswerOut(Schema):
    text: str = Field(description="ประโยคหรือข้อในเรื่องความรู้ที่ตอบคำถาม ยกมาตรงตามต้นฉบับ")
    item: str = Field(description="ชื่อเรื่องความรู้ที่ประโยคนี้อยู่")
    url: str = Field(description="ลิงก์ไปยังประโยคนี้ในหน้าเรื่องความรู้ (#anchor)")
    lead: str = Field("", description="เมื่อคำตอบเป็นข้อหนึ่งในรายการ: ประโยคนำของรายการนั้น ยกมาตรงตามต้นฉบับ")


class SearchOut(Schema):
    q: str
    did_you_mean: str
    answer: DirectAnswerOut | None = Field(description="คำตอบตรง เมื่อการจัดอันดับมั่นใจ มิฉะนั้น null")
    results: list[HitOut]


@router.get("/search", response={200: SearchOut, **refusals(400)}, summary="ค้นหาความรู้ด้วยคำถามภาษาไทย")
def search(request, q: str = "", limit: int = Query(10, ge=1, le=MAX_LIMIT)):
    """`q` คำค้นหรือคำถาม (ไม่เกิน 200 ตัวอักษร), `limit` จำนวนผลลัพธ์ 1–50; snippet เป็น HTML ที่ทำเครื่องหมายคำที่ตรงด้วย <mark>;
    `answer` คือประโยคเดียวที่ตอบคำถาม (ยกมาตรงตามต้นฉบับ พร้อมลิงก์ไปยังประโยคนั้น) เมื่อมั่นใจ มิฉะนั้นเป็น null;
    `results` ว่างเมื่อไม่มีเรื่องใดในคลังความรู้ที่ตอบคำถามนี้"""
    q = q.strip()
    if not q:
        return Status(400, {"detail": "กรุณาระบุคำค้น (q)"})
    if len(q) > MAX_QUERY:
        return Status(400, {"detail": TOO_LONG})
    results = engine.search(q, limit)
    log_query(q, results, SearchQuery.API)
    answer = results.answer
    return Status(200, SearchOut(q=q, did_you_mean=results.did_you_mean, answer=answer and DirectAnswerOut(
        text=answer.text, item=answer.item, url=answer.url, lead=answer.lead), results=[
        HitOut(title=h.doc.title, context=h.doc.context, url=h.doc.url, snippet=h.snippet, score=h.score,
               sure=h.sure)
        for h in results.hits
    ]))
