"""👍/👎 on a search's results or its direct answer, and a short comment after 👎. Nothing
about the person is kept: no account, address or session, and a comment is stored with
phone numbers, e-mail addresses, ID numbers and LINE IDs taken out."""
import re

from django.core import signing
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from volunteerkm.thai import fold_digits

from .models import SearchFeedback, SearchQuery

SALT = "search-feedback-comment"
COMMENT_HOURS = 24  # how long after 👎 its comment may be added
REMOVED = "[ลบข้อมูลส่วนตัว]"
_PERSONAL = [
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail
    re.compile(r"\d(?:[\s.-]?\d){12}"),  # national ID (13 digits)
    re.compile(r"(?:\+\s?66|0)(?:[\s.-]?\d){8,9}"),  # phone
    re.compile(r"(?i)(?:line\s*id|ไอดีไลน์|ไลน์ไอดี|line|ไลน์)\s*[:：]?\s*@?[a-z0-9._-]{3,}"),  # LINE ID
]


def scrub(text: str) -> str:
    """`text` without what could identify or reach a person."""
    text = " ".join(fold_digits(text).split())
    for pattern in _PERSONAL:
        text = pattern.sub(REMOVED, text)
    return text


def _bad(message):
    return HttpResponseBadRequest(message.encode(), content_type="text/plain; charset=utf-8")


def _respond(request, template_context):
    """A fragment for htmx (it replaces the form), a whole page without JavaScript."""
    template = "search/_feedback.html" if request.headers.get("HX-Request") else "search/feedback.html"  # feedback.js
    return render(request, template, template_context)


@require_POST
def feedback(request, query_id):
    query = get_object_or_404(SearchQuery, pk=query_id)
    target = request.POST.get("target", SearchFeedback.RESULTS)
    helpful = request.POST.get("helpful")
    if target not in dict(SearchFeedback.TARGETS) or helpful not in ("1", "0"):
        return _bad("ข้อมูลความเห็นไม่ถูกต้อง")
    # One opinion per search and target: pressing again changes it.
    given, _ = SearchFeedback.objects.update_or_create(query=query, target=target,
                                                        defaults={"helpful": helpful == "1"})
    token = "" if given.helpful else signing.dumps(given.pk, salt=SALT)
    return _respond(request, {"given": given, "token": token, "query": query, "max": SearchFeedback.MAX_COMMENT})


@require_POST
def comment(request):
    try:
        pk = signing.loads(request.POST.get("token", ""), salt=SALT, max_age=COMMENT_HOURS * 3600)
    except signing.BadSignature:
        return _bad("แบบฟอร์มหมดอายุแล้ว กรุณาค้นหาใหม่อีกครั้ง")
    given = get_object_or_404(SearchFeedback, pk=pk, helpful=False)
    text = request.POST.get("comment", "").strip()
    if len(text) > SearchFeedback.MAX_COMMENT:
        return _bad(f"ความเห็นยาวเกินไป กรุณาเขียนไม่เกิน {SearchFeedback.MAX_COMMENT} ตัวอักษร")
    if text:
        given.comment = scrub(text)[:SearchFeedback.MAX_COMMENT]
        given.save(update_fields=["comment"])
    return _respond(request, {"given": given, "token": "", "query": given.query, "commented": bool(text)})
