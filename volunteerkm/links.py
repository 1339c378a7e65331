"""Absolute addresses to share, print or put in a QR code."""
from django.conf import settings


def absolute_url(request, path: str) -> str:
    """``path`` on SITE_URL where it is set, otherwise on the host the request came to,
    so a phone on a training room's network gets an address it can open."""
    if settings.SITE_URL_SET or request is None:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)
