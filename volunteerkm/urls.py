from django.contrib import admin
from django.urls import include, path

from .api import api
from .health import HealthView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("health/", HealthView.as_view(), name="health"),
    path("accounts/", include("accounts.urls")),
    path("workspace/", include("workspace.urls")),
    path("", include("outreach.urls")),
    path("", include("search.urls")),
    path("", include("reports.urls")),
    path("", include("privacy.urls")),
    path("", include("assessments.urls")),
    path("", include("knowledge.urls")),
]
