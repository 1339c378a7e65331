from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/provinces/<str:province>/", views.province, name="province"),
    path("reports/sessions/<int:pk>/", views.session, name="session"),
    path("reports/forms/<int:form_id>/items/", views.items, name="items"),
    path("reports/staff/", views.staff, name="staff"),
    path("reports/exports/", views.export, name="export"),
    path("reports/exports/<uuid:pk>/", views.job, name="job"),
    path("reports/exports/<uuid:pk>/file", views.job_file, name="job_file"),
    path("j/<str:code>/certificate/", views.my_certificate, name="my_certificate"),
    path("c/<str:token>/", views.verify, name="verify"),
    path("c/<str:token>/pdf", views.certificate_pdf, name="certificate_pdf"),
]
