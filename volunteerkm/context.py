from django.conf import settings


def site(request):
    return {"SITE_NAME": "คลังความรู้ อพม.", "SITE_URL": settings.SITE_URL}
