from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("privacy/", views.notice, name="notice"),
    path("privacy/people/<int:pk>/", views.person, name="person"),
    path("privacy/people/<int:pk>/data.json", views.person_export, name="person_export"),
    path("privacy/people/<int:pk>/erase/", views.person_erase, name="person_erase"),
]
