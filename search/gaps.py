"""The editors' loop: what people asked and did not find (no result, results nobody opened,
or a 👎), most asked first. In one action an editor attaches a question to the item (or
the field of the KM report) that answers it (it becomes one of its questions, a revision,
and search finds it by the question from then on) or marks it as not covered by this KM."""
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from knowledge.models import Item, KMReport, ReportField
from volunteerkm.thai import thai_digits

from . import engine
from .models import QueryResolution, SearchFeedback, SearchQuery

DAYS = 90
ROWS = 50
ATTACH_REASON = "เพิ่มคำถามจากคำค้นที่ผู้ใช้ยังหาไม่พบ"


def unanswered(since):
    """Queries asked since `since`, one row per normalised query, that found nothing, got
    a 👎, or whose results nobody opened and no direct answer or 👍 settled; not yet
    resolved by an editor; most asked first."""
    resolved = QueryResolution.objects.values("normalized")
    return (SearchQuery.objects.filter(created_at__gte=since).exclude(normalized__in=resolved)
            .values("normalized")
            .annotate(asked=Count("id", distinct=True),
                      empty=Count("id", filter=Q(result_count=0), distinct=True),
                      opened=Count("clicks", distinct=True),
                      answered=Count("id", filter=Q(answered=True), distinct=True),
                      down=Count("feedback", filter=Q(feedback__helpful=False), distinct=True),
                      up=Count("feedback", filter=Q(feedback__helpful=True), distinct=True),
                      last=Max("created_at"))
            .filter(Q(empty__gt=0) | Q(down__gt=0) | Q(opened=0, answered=0, up=0))
            .order_by("-asked", "-last"))


def feedback_counts(since):
    counts = SearchFeedback.objects.filter(created_at__gte=since).aggregate(
        answer_up=Count("id", filter=Q(target=SearchFeedback.ANSWER, helpful=True)),
        answer_down=Count("id", filter=Q(target=SearchFeedback.ANSWER, helpful=False)),
        results_up=Count("id", filter=Q(target=SearchFeedback.RESULTS, helpful=True)),
        results_down=Count("id", filter=Q(target=SearchFeedback.RESULTS, helpful=False)),
    )
    comments = (SearchFeedback.objects.filter(created_at__gte=since, helpful=False).exclude(comment="")
                .select_related("query")[:20])
    return counts, comments


def _answer_choices():
    """(search key, label) of every item, then every field of the KM reports: what a
    question can be attached to."""
    items = Item.objects.select_related("chapter__report").order_by("chapter__report_id", "chapter__number", "order")
    fields = ReportField.objects.select_related("report").order_by("report_id", "section")
    several = KMReport.objects.count() > 1

    def km(report):  # with several KMs, a label says which one
        return f"{report.title} · " if several else ""

    return ([(f"item:{i.pk}", f"{km(i.chapter.report)}หมวด {thai_digits(i.chapter.number)} · {i.title}")
             for i in items]
            + [(f"field:{f.pk}", f"{km(f.report)}รายงาน KM ข้อ {thai_digits(f.section)} · {f.title}") for f in fields])


# What a question may be attached to, by the kind in its search key, and who may do it.
ANSWERS = {"item": (Item, "knowledge.change_item"), "field": (ReportField, "knowledge.change_reportfield")}


def _chosen_answer(value: str):
    """(model, pk) of an "item:12" / "field:3" choice (a bare number is an item), or None."""
    kind, _, pk = value.rpartition(":")
    kind = kind or "item"
    if kind not in ANSWERS or not pk.isdigit():
        return None
    return ANSWERS[kind], int(pk)


@staff_member_required
def gaps(request):
    since = timezone.now() - timezone.timedelta(days=DAYS)
    rows = list(unanswered(since)[:ROWS])
    with engine.answering():
        index = engine.current_index()
        for row in rows:
            # What search ranks first for the question is offered first.
            hits = index.search(row["normalized"], 1).hits
            row["suggested"] = hits[0].doc.key if hits else None
    counts, comments = feedback_counts(since)
    totals = SearchQuery.objects.filter(created_at__gte=since).aggregate(
        all=Count("id"), empty=Count("id", filter=Q(result_count=0)))
    return render(request, "search/gaps.html", {
        "days": DAYS, "rows": rows, "items": _answer_choices(), "totals": totals, "feedback": counts,
        "comments": comments, "resolved": QueryResolution.objects.select_related("item", "field", "decided_by")[:20],
        "can_attach": request.user.has_perm("knowledge.change_item"), "og_title": "คำค้นที่ยังหาไม่พบ",
    })


def _normalized(request):
    normalized = request.POST.get("normalized", "").strip()
    if not normalized or not SearchQuery.objects.filter(normalized=normalized).exists():
        return None
    return normalized


@staff_member_required
@require_POST
def attach(request):
    """The question becomes one of the item's (or report field's) questions, in the words it
    was last asked."""
    if not request.user.has_perm("knowledge.change_item"):
        raise PermissionDenied
    normalized = _normalized(request)
    chosen = _chosen_answer(request.POST.get("item", ""))
    if normalized is None or chosen is None:
        messages.error(request, "กรุณาเลือกคำค้นและเรื่องที่ตอบคำถามนี้")
        return redirect("search:gaps")
    (model, permission), pk = chosen
    if not request.user.has_perm(permission):
        raise PermissionDenied
    answer = get_object_or_404(model, pk=pk)
    asked = SearchQuery.objects.filter(normalized=normalized).latest("created_at").q
    with transaction.atomic():
        if answer.add_question(asked):
            answer._change_reason = ATTACH_REASON
            answer.save()
        QueryResolution.objects.update_or_create(normalized=normalized, defaults={
            "action": QueryResolution.ATTACHED, "decided_by": request.user,
            "item": answer if model is Item else None, "field": answer if model is ReportField else None})
    messages.success(request, f"เพิ่ม “{asked}” เป็นคำถามของเรื่อง “{answer.title}” แล้ว")
    return redirect("search:gaps")


@staff_member_required
@require_POST
def not_covered(request):
    normalized = _normalized(request)
    if normalized is None:
        messages.error(request, "ไม่พบคำค้นนี้")
        return redirect("search:gaps")
    QueryResolution.objects.update_or_create(normalized=normalized, defaults={
        "action": QueryResolution.NOT_COVERED, "item": None, "field": None, "decided_by": request.user})
    messages.success(request, f"บันทึกว่า “{normalized}” ไม่อยู่ในขอบเขตของ KM นี้แล้ว")
    return redirect("search:gaps")
