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
    description="API อ่านข้อมูลคลังความรู้ระเบียบ อพม. พ.ศ. 2564 และค้นหา",
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


@api.exception_handler(ValidationError)
def thai_validation_error(request, exc):
    fields = sorted({".".join(str(p) for p in e.get("loc", ())[1:]) or "ข้อมูล" for e in exc.errors})
    return api.create_response(request, {
        "detail": f"ข้อมูลที่ส่งมาไม่ครบหรือผิดรูปแบบ กรุณาตรวจช่อง: {', '.join(fields)}",
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
