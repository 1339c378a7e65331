from django.urls import path

from . import views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.new, name="new"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("preview/", views.preview, name="preview"),
    path("<int:pk>/", views.draft_page, name="draft"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/chapters/new/", views.chapter_form, name="chapter_new"),
    path("<int:pk>/chapters/<int:chapter_pk>/", views.chapter_form, name="chapter_edit"),
    path("<int:pk>/items/new/", views.item_form, name="item_new"),
    path("<int:pk>/items/<int:item_pk>/", views.item_form, name="item_edit"),
    path("<int:pk>/items/<int:item_pk>/delete/", views.item_delete, name="item_delete"),
    path("<int:pk>/files/", views.attach, name="attach"),
    path("<int:pk>/files/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("<int:pk>/files/<int:attachment_pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/publish/", views.publish, name="publish"),
]
