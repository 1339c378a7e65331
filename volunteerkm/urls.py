from django.contrib import admin
from django.urls import include, path

from .api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("search.urls")),
    path("", include("reports.urls")),
    path("", include("outreach.urls")),
    path("", include("assessments.urls")),
    path("", include("knowledge.urls")),
]
