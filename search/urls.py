from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/suggest/", views.suggest, name="suggest"),
    path("search/open/<int:query_id>/<int:rank>/", views.click, name="click"),
    path("search/gaps/", views.gaps, name="gaps"),
]
