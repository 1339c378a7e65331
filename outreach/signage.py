"""Signage mode (ดิจิทัลประชาสัมพันธ์) for a 1920×1080 screen in an office: one
knowledge card at a time in large Sarabun, advancing by itself, with today's trainings
and how many people took a test today; and the same content as a JSON Feed for signage
players' tickers (Xibo, Anthias).

The page takes its settings from the address, e.g. /signage/?chapters=2,4&seconds=20
(README, "Channels"). signage.js advances the cards and fetches the page again every
`refresh` seconds, keeping what it shows when the network is down.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from assessments.models import Attempt, TrainingSession
from knowledge.models import Item
from knowledge.views import main_report
from volunteerkm.links import absolute_url
from volunteerkm.qr import qr_svg_inline
from volunteerkm.thai import fold_digits, thai_date, thai_digits, wrap

from . import sharecards
from .share import card_url
from .subjects import Subject, of_item

# Seconds per card and between content refreshes: (least, most, default).
SECONDS = (3, 600, 20)
REFRESH = (3, 3600, 300)
# The card as signage.css lays it out on 1920×1080 (px): body text 40 px in lines of 62
# in a column 1260 px wide; the title 64 px bold in lines of 83 in 1330 px; below one
# line of title there is room for 700 px of text; a point adds 10 px and the lead 12.
BODY_PX, LINE_PX, TEXT_WIDTH = 40, 62, 1260
TITLE_PX, TITLE_LINE_PX, TITLE_WIDTH = 64, 83, 1330
ROOM_PX, POINT_GAP_PX, LEAD_GAP_PX = 700, 10, 12
TRAININGS_SHOWN = 4


class BadParameter(ValueError):
    """A signage address that cannot be shown; the message is for the person who typed it."""


@dataclass
class Slide:
    key: str
    context: str
    title: str
    lead: str
    points: list[str]
    page: int
    pages: int
    url: str
    qr: str


def number_in(request, name: str, limits: tuple[int, int, int]) -> int:
    low, high, default = limits
    raw = fold_digits(request.GET.get(name, "").strip())
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadParameter(f"ค่า {name} ต้องเป็นจำนวนเต็มตั้งแต่ {thai_digits(low)} ถึง {thai_digits(high)}")
    return int(raw)


def chapters_in(request, report) -> list:
    """The chapters named by ?chapters=2,4 (Thai or Arabic digits); all when absent."""
    chapters = list(report.chapters.all())
    raw = fold_digits(request.GET.get("chapters", "")).replace(" ", "").strip(",")
    if not raw:
        return chapters
    by_number = {str(c.number): c for c in chapters}
    wanted = raw.split(",")
    unknown = [w for w in wanted if w not in by_number]
    if unknown:
        numbers = ", ".join(thai_digits(c.number) for c in chapters)
        raise BadParameter(f"ไม่มีหมวดที่ {thai_digits(', '.join(unknown))} ในความรู้นี้ (มีหมวด {numbers})")
    return [by_number[w] for w in dict.fromkeys(wanted)]


def published_subjects(request, chapters) -> list[Subject]:
    items = Item.objects.published().filter(chapter__in=chapters).select_related("chapter__report")
    subjects = []
    for item in items:
        subject = of_item(item)
        subject.url = absolute_url(request, subject.path)
        subjects.append(subject)
    return subjects


def paginate(title: str, lead: str, points: list[str]) -> list[tuple[str, list[str]]]:
    """Split the key points into cards that each fit the screen (measured with Sarabun at
    the sizes the screen uses); the lead sentence opens the first card."""
    body = sharecards.measure(sharecards.font(BODY_PX))
    title_lines = len(wrap(title + " (๑/๙)", TITLE_WIDTH, sharecards.measure(sharecards.font(TITLE_PX, bold=True))))
    room = ROOM_PX - (title_lines - 1) * TITLE_LINE_PX
    height = lambda text, gap: len(wrap(text, TEXT_WIDTH, body)) * LINE_PX + gap  # noqa: E731
    pages, current, used = [], [], height(lead, LEAD_GAP_PX) if lead else 0
    for point in points:
        need = height(point, POINT_GAP_PX)
        if current and used + need > room:
            pages.append(current)
            current, used = [], 0
        current.append(point)
        used += need
    pages.append(current)
    return [(lead if i == 0 else "", page) for i, page in enumerate(pages)]


def slides_of(subject: Subject) -> list[Slide]:
    lead = "" if subject.sentence == subject.title else subject.sentence
    pages = paginate(subject.title, lead, subject.points)
    qr = qr_svg_inline(subject.url, title=f"คิวอาร์โค้ดของเรื่อง {subject.title}")
    return [Slide(f"{subject.key}-{n}", subject.context, subject.title, page_lead, points, n, len(pages),
                  subject.url, qr)
            for n, (page_lead, points) in enumerate(pages, start=1)]


def today_activity() -> dict:
    """Today's trainings and how many people submitted a test today (no names)."""
    today = timezone.localdate()
    trainings = list(TrainingSession.objects.filter(date=today).select_related("unit").order_by("unit__name", "id"))
    counts = Attempt.objects.filter(submitted_at__date=today).aggregate(
        volunteers=Count("participant", distinct=True), staff=Count("user", distinct=True))
    return {
        "date": today,
        "trainings": [{"title": t.title, "unit": t.unit.short_name or t.unit.name} for t in trainings],
        "tested": counts["volunteers"] + counts["staff"],
    }


def ticker_text(today: dict) -> str:
    """One line for a ticker: today's trainings and tests, where there are any."""
    parts = []
    if today["trainings"]:
        shown = " · ".join(f"{t['title']} ({t['unit']})" for t in today["trainings"][:TRAININGS_SHOWN])
        more = len(today["trainings"]) - TRAININGS_SHOWN
        parts.append(f"การอบรมวันนี้ {thai_digits(len(today['trainings']))} รายการ: {shown}"
                     + (f" และอีก {thai_digits(more)} รายการ" if more > 0 else ""))
    if today["tested"]:
        parts.append(f"วันนี้มีผู้ทำแบบทดสอบแล้ว {thai_digits(today['tested'])} คน")
    return " | ".join(parts)


@require_GET
def signage(request):
    try:
        report = main_report()
        chapters = chapters_in(request, report)
        seconds = number_in(request, "seconds", SECONDS)
        refresh = number_in(request, "refresh", REFRESH)
        start = number_in(request, "card", (0, 10_000, 0))
    except BadParameter as exc:
        return render(request, "outreach/signage_error.html", {"message": str(exc)}, status=400)
    slides = [s for subject in published_subjects(request, chapters) for s in slides_of(subject)]
    current = start % len(slides) if slides else 0
    settings_query = {k: request.GET[k] for k in ("chapters", "seconds", "refresh") if request.GET.get(k)}
    today = today_activity()
    return render(request, "outreach/signage.html", {
        "slides": slides, "current": current, "seconds": seconds, "refresh": refresh,
        "next_url": "?" + urlencode({**settings_query, "card": (current + 1) % max(len(slides), 1)}),
        "today": today, "shown_trainings": today["trainings"][:TRAININGS_SHOWN],
        "more_trainings": max(0, len(today["trainings"]) - TRAININGS_SHOWN),
        "chapters": chapters, "now": timezone.localtime(),
        "site_address": absolute_url(request, "/").split("://", 1)[-1].rstrip("/"),
    })


@require_GET
def signage_json(request):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1) of the published items of the
    chosen chapters, with today's trainings and tests in the `_signage` extension."""
    try:
        chapters = chapters_in(request, main_report())
    except BadParameter as exc:
        return JsonResponse({"error": str(exc)}, status=400, json_dumps_params={"ensure_ascii": False})
    today = today_activity()
    items = [{
        "id": subject.url,
        "url": subject.url,
        "title": subject.title,
        "summary": subject.sentence,
        "content_text": "\n".join([subject.sentence, *(f"• {p}" for p in subject.points)]),
        "image": card_url(request, subject),
        "date_modified": subject.updated_at.isoformat(),
        "tags": [subject.context],
    } for subject in published_subjects(request, chapters)]
    return JsonResponse({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "คลังความรู้ อพม.",
        "home_page_url": absolute_url(request, "/"),
        "feed_url": absolute_url(request, request.get_full_path()),
        "description": "ความรู้เรื่องระเบียบ อพม. พ.ศ. ๒๕๖๔ สำหรับป้ายประชาสัมพันธ์ดิจิทัล",
        "language": "th",
        "items": items,
        "_signage": {
            "about": absolute_url(request, reverse("outreach:signage")),
            "date": thai_date(today["date"]),
            "trainings": today["trainings"],
            "tested_today": today["tested"],
            "ticker": ticker_text(today),
        },
    }, json_dumps_params={"ensure_ascii": False})
