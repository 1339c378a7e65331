"""Generated files (share cards, posters, the booklet) kept in Django's storage under a
name that carries a digest of what they show: the first request after a change makes
the file again, every other request reads it; the older version is removed."""
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse

FOLDER = "outreach"
# A response whose address names the current digest never changes; others are re-asked soon.
FOREVER = 365 * 24 * 3600
SHORT = 300


def cached(kind: str, key: str, digest: str, ext: str, make: Callable[[], bytes]) -> bytes:
    """The stored file ``kind/key-digest.ext``, made by ``make()`` when missing."""
    folder = f"{FOLDER}/{kind}"
    name = f"{folder}/{key}-{digest}.{ext}"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as f:
            return f.read()
    data = make()
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:  # another process stored the same file a moment earlier
        default_storage.delete(saved)
    _, files = default_storage.listdir(folder)
    for old in files:
        if old.startswith(f"{key}-") and old.endswith(f".{ext}") and f"{folder}/{old}" != name:
            default_storage.delete(f"{folder}/{old}")
    return data


def file_response(request, data: bytes, content_type: str, digest: str, filename: str = "") -> HttpResponse:
    """``data`` with an ETag of its digest; cached for a year when the address asked for
    this very version (``?v=``), for five minutes otherwise."""
    etag = f'"{digest}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(data, content_type=content_type)
        if filename:
            response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    max_age = FOREVER if request.GET.get("v") == digest else SHORT
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response
