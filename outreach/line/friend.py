"""The account's "add friend" QR code for the site's home page (404 with no channel)."""
import segno
from django.http import Http404, HttpResponse
from django.views.decorators.cache import cache_control

from .channel import friend_url


@cache_control(public=True, max_age=3600)
def qr_code(request):
    url = friend_url()
    if not url:
        raise Http404("ยังไม่ได้ตั้งค่าบัญชี LINE")
    response = HttpResponse(content_type="image/svg+xml")
    segno.make(url, error="m").save(response, kind="svg", scale=8, border=2, title="QR code เพิ่มเพื่อน LINE")
    return response
