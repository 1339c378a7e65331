"""Absolute addresses to share, print or put in a QR code.

Every absolute link the system hands out (the join address and its QR code, a
certificate's QR code, share links, feeds) comes from here: SITE_URL when it is set
(behind a reverse proxy, or a public name), otherwise the scheme and host the request
itself came to, so a phone that reached the server at 192.168.1.20:8000 gets links to
192.168.1.20:8000, never to 127.0.0.1."""
import ipaddress
from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(request, path: str) -> str:
    """``path`` on SITE_URL where it is set, otherwise on the host the request came to,
    so a phone on a training room's network gets an address it can open."""
    if settings.SITE_URL_SET or request is None:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


def site_url(request) -> str:
    """The site's own address without a trailing slash ('https://km.example.go.th',
    'http://192.168.1.20:8000'), by the same rule as `absolute_url`."""
    return absolute_url(request, "/").rstrip("/")


def is_loopback(url: str) -> bool:
    """True when ``url`` names this computer only (127.0.0.0/8, ::1, localhost): a phone
    that opens it reaches itself, not the server."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
