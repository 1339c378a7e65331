from ninja import NinjaAPI

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
