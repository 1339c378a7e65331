"""The address of the site as phones and printed papers must see it.

Every absolute link the system hands out (the join address and its QR code, a
certificate's QR code, share links) starts with `site_url`: `SITE_URL` when it is set
(behind a reverse proxy, or a public name), otherwise the scheme and host the request
itself came in on — so a phone that reached the server at 192.168.1.20:8000 gets links
to 192.168.1.20:8000, never to 127.0.0.1."""
import ipaddress
from urllib.parse import urlsplit

from django.conf import settings


def site_url(request=None) -> str:
    """'https://km.example.go.th' or 'http://192.168.1.20:8000' (no trailing slash);
    empty when SITE_URL is unset and there is no request to ask."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return ""


def absolute_url(request, path: str) -> str:
    return site_url(request) + path


def is_loopback(url: str) -> bool:
    """True when `url` names this computer only (127.0.0.0/8, ::1, localhost): a phone
    that opens it reaches itself, not the server."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
