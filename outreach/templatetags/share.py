"""{% share_meta obj %} in a page's head (og:image and, for an item, its poster) and
{% share_buttons obj %} in its body; obj is an item, a chapter or the KM report (the home
page). Without obj, share_meta names the site's card."""
from django import template
from django.urls import reverse

from volunteerkm.links import absolute_url

from ..share import card_url, qr_url, share_links
from ..sharecards import HEIGHT, WIDTH
from ..subjects import locate_object

register = template.Library()


def _subject(context, obj):
    """One subject per object and page, however many tags ask for it."""
    memo = context.render_context.setdefault("share_subjects", {})
    key = (type(obj).__name__, obj.pk)
    if key not in memo:
        memo[key] = locate_object(context["request"], obj)
    return memo[key]


def _poster(subject):
    return reverse("outreach:poster", args=[subject.pk]) if subject.kind == "item" else ""


@register.inclusion_tag("outreach/share_meta.html", takes_context=True)
def share_meta(context, obj=None):
    request = context.get("request")  # absent on a page rendered without one: SITE_URL then
    if obj is None:
        return {"card": absolute_url(request, reverse("outreach:card_home")), "alt": "คลังความรู้ อพม.",
                "width": WIDTH, "height": HEIGHT}
    subject = _subject(context, obj)
    return {"card": card_url(request, subject), "alt": subject.title, "width": WIDTH, "height": HEIGHT,
            "poster": _poster(subject)}


@register.inclusion_tag("outreach/share_buttons.html", takes_context=True)
def share_buttons(context, obj):
    subject = _subject(context, obj)
    return {"subject": subject, **share_links(subject), "qr_svg": qr_url(subject, "svg"),
            "qr_png": qr_url(subject, "png"), "poster": _poster(subject)}
