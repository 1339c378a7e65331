from .site import site_url


def site(request):
    return {"SITE_NAME": "คลังความรู้ อพม.", "SITE_URL": site_url(request)}
