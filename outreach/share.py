"""Sharing a page: its share card, its QR code and the LINE and Facebook share links."""
from urllib.parse import quote

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from volunteerkm.links import absolute_url
from volunteerkm.qr import qr_png, qr_svg

from . import rendered, sharecards
from .subjects import Subject, locate

LINE_SHARE = "https://line.me/R/share?text="
FACEBOOK_SHARE = "https://www.facebook.com/sharer/sharer.php?u="


def card_url(request, subject: Subject) -> str:
    """The card's absolute address with its digest, so that a changed page gets a new
    image address and the platforms that cached the old card fetch the new one."""
    if subject.pk is None:
        path = reverse("outreach:card_home")
    else:
        path = reverse("outreach:card", kwargs={"kind": subject.kind, "pk": subject.pk})
    return absolute_url(request, f"{path}?v={sharecards.card_digest(subject)}")


def qr_url(subject: Subject, ext: str) -> str:
    if subject.pk is None:
        return reverse("outreach:qr_home", kwargs={"ext": ext})
    return reverse("outreach:qr", kwargs={"kind": subject.kind, "pk": subject.pk, "ext": ext})


def share_links(subject: Subject) -> dict:
    return {
        "line": LINE_SHARE + quote(f"{subject.title}\n{subject.url}", safe=""),
        "facebook": FACEBOOK_SHARE + quote(subject.url, safe=""),
    }


@require_GET
def card(request, kind="home", pk=None):
    subject = locate(request, kind, pk)
    digest = sharecards.card_digest(subject)
    data = rendered.cached("cards", subject.key, digest, "png", lambda: sharecards.draw_card(subject))
    return rendered.file_response(request, data, "image/png", digest)


@require_GET
def qr(request, ext, kind="home", pk=None):
    """The page's QR code, SVG to show or PNG to download and print."""
    subject = locate(request, kind, pk)
    if ext == "svg":
        return HttpResponse(qr_svg(subject.url), content_type="image/svg+xml")
    response = HttpResponse(qr_png(subject.url, scale=12, border=4).getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="qr-{subject.key}.png"'
    return response
