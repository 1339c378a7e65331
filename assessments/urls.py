from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    # A volunteer's phone: short addresses, since people type them.
    path("j/", views.enter_code, name="enter_code"),
    path("j/<str:code>/", views.join, name="join"),
    path("j/<str:code>/consent/", views.consent, name="consent"),
    path("j/<str:code>/test/", views.take, name="take"),
    path("j/<str:code>/submit/", views.submit, name="submit"),
    path("j/<str:code>/result/<str:kind>/", views.result, name="result"),
    # Trainers.
    path("trainer/", views.trainer_home, name="trainer_home"),
    path("trainer/new/", views.trainer_new, name="trainer_new"),
    path("trainer/<int:pk>/", views.trainer_session, name="trainer_session"),
    path("trainer/<int:pk>/phase/", views.trainer_phase, name="trainer_phase"),
    path("trainer/<int:pk>/merge/", views.trainer_merge, name="trainer_merge"),
    path("trainer/<int:pk>/move/", views.trainer_move, name="trainer_move"),
    path("trainer/<int:pk>/projector/", views.projector, name="projector"),
    path("trainer/<int:pk>/counts/", views.projector_counts, name="projector_counts"),
    path("trainer/<int:pk>/review/<str:kind>/", views.review, name="review"),
    path("trainer/<int:pk>/qr.svg", views.qr_code, name="qr"),
    # Staff.
    path("tests/", views.staff_home, name="staff_home"),
    path("tests/<int:form_id>/", views.staff_take, name="staff_take"),
    path("tests/submit/", views.staff_submit, name="staff_submit"),
    path("tests/result/<int:attempt_id>/", views.staff_result, name="staff_result"),
]
