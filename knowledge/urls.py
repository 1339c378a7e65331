from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.home, name="home"),
    path("glossary/", views.glossary, name="glossary"),
    path("km/", views.km_list, name="km_list"),
    path("km/<slug:report_slug>/", views.report_page, name="report"),
    path("km/<slug:report_slug>/<slug:chapter_slug>/", views.chapter_page, name="chapter"),
    path("km/<slug:report_slug>/<slug:chapter_slug>/<slug:item_slug>/", views.item_page, name="item"),
]
