from django.urls import path

from . import feedback, gaps, views

app_name = "search"
urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/suggest/", views.suggest, name="suggest"),
    path("search/open/<int:query_id>/<int:rank>/", views.click, name="click"),
    path("search/feedback/<int:query_id>/", feedback.feedback, name="feedback"),
    path("search/feedback/comment/", feedback.comment, name="feedback_comment"),
    path("search/gaps/", gaps.gaps, name="gaps"),
    path("search/gaps/attach/", gaps.attach, name="attach"),
    path("search/gaps/not-covered/", gaps.not_covered, name="not_covered"),
]
