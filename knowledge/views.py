from datetime import timedelta

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from volunteerkm.links import absolute_url

from .models import Chapter, GlossaryTerm, Item, KMReport
from .render import plain_text, render_markdown, strip_review_marks, tables_under_review


def visible_items(request):
    """Editors see drafts; everyone else sees published items only."""
    return Item.objects.all() if request.user.is_staff else Item.objects.published()


def main_report():
    report = KMReport.objects.main()
    if report is None:
        raise Http404("ยังไม่มีเนื้อหาความรู้ในระบบ")
    return report


# The home page names the items edited in this many days.
UPDATED_DAYS = 30


def og(title, description, request):
    return {"og_title": title, "og_description": plain_text(description)[:200],
            "og_url": absolute_url(request, request.path)}


def home(request):
    report = main_report()
    chapters = report.chapters.prefetch_related(Prefetch("items", queryset=visible_items(request)))
    definition = visible_items(request).filter(chapter__report=report, slug="definition").first()
    since = timezone.now() - timedelta(days=UPDATED_DAYS)
    updated = (visible_items(request).filter(chapter__report=report).changed_since(since)
               .select_related("chapter__report").order_by("-updated_at"))
    context = {
        "report": report,
        "updated": updated,
        "updated_days": UPDATED_DAYS,
        "chapters": chapters,
        "definition": definition,
        "definition_html": render_markdown(definition.body) if definition else "",
        "by_unit": reports_by_unit(),
        **og(report.title, definition.body if definition else report.title, request),
    }
    return render(request, "knowledge/home.html", context)


def reports_by_unit():
    """[(unit, [KMReport])] of every KM with something published, units in Thai order."""
    reports = KMReport.objects.filter(chapters__items__status=Item.PUBLISHED).distinct().order_by("unit", "title")
    grouped = {}
    for report in reports:
        grouped.setdefault(report.unit, []).append(report)
    return list(grouped.items())


def km_list(request):
    """Every unit's published KM ("1 หน่วยงาน 1 KM"), by unit."""
    return render(request, "knowledge/km_list.html", {
        "by_unit": reports_by_unit(),
        **og("KM ของทุกหน่วยงาน", "รายงานการจัดการความรู้ (KM) ที่เผยแพร่แล้วของทุกหน่วยงาน", request),
    })


def report_page(request, report_slug):
    report = get_object_or_404(KMReport, slug=report_slug)
    fields = [(f, render_markdown(f.body)) for f in report.fields.all()]
    chapters = report.chapters.prefetch_related(Prefetch("items", queryset=visible_items(request)))
    context = {"report": report, "fields": fields, "chapters": chapters,
               **og(f"รายงาน KM: {report.title}", report.unit, request)}
    return render(request, "knowledge/report.html", context)


def chapter_page(request, report_slug, chapter_slug):
    chapter = get_object_or_404(Chapter.objects.select_related("report"), report__slug=report_slug, slug=chapter_slug)
    items = [(i, plain_text(strip_review_marks(i.body))) for i in visible_items(request).filter(chapter=chapter)]
    context = {
        "chapter": chapter,
        "report": chapter.report,
        "summary_html": render_markdown(chapter.summary),
        "items": items,
        "other_km": chapter.report != KMReport.objects.main(),
        **og(str(chapter), chapter.summary or chapter.title, request),
    }
    return render(request, "knowledge/chapter.html", context)


def item_page(request, report_slug, chapter_slug, item_slug):
    item = get_object_or_404(
        visible_items(request).select_related("chapter__report"),
        chapter__report__slug=report_slug, chapter__slug=chapter_slug, slug=item_slug,
    )
    siblings = list(visible_items(request).filter(chapter__report=item.chapter.report).select_related("chapter"))
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    context = {
        "item": item,
        "chapter": item.chapter,
        "report": item.chapter.report,
        "body_html": render_markdown(item.body),
        "tables_under_review": tables_under_review(item.review),
        "other_km": item.chapter.report != KMReport.objects.main(),
        "previous": siblings[index - 1] if index > 0 else None,
        "next": siblings[index + 1] if index + 1 < len(siblings) else None,
        **og(item.title, strip_review_marks(item.body), request),
    }
    return render(request, "knowledge/item.html", context)


def glossary(request):
    terms = GlossaryTerm.objects.all()
    return render(request, "knowledge/glossary.html", {
        "terms": terms,
        **og("อภิธานศัพท์ คำย่อที่ใช้ในงาน อพม.", "คำย่อและคำเต็มที่ใช้ในระเบียบ อพม. พ.ศ. ๒๕๖๔", request),
    })
