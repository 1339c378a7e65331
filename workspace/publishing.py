"""Publishing an approved draft: its title, fields, chapters and items are written into the
knowledge tables in one transaction, through the same saving code as `loadkm`
(knowledge.contentfiles.load.save_if_changed), so each change is a revision with its reason
and reaches the search index through its change log like any other edit; what did not
change is not saved again."""
from django.db import transaction
from django.utils import timezone

from knowledge.contentfiles.load import _park_if_reordered, save_if_changed
from knowledge.models import FIELD_KEYS, Chapter, Item, KMReport, ReportField

from . import workflow

REASON = "เผยแพร่จากพื้นที่ทำงาน KM"


def _prune(queryset):
    for obj in queryset:
        obj._change_reason = REASON
        obj.delete()


@transaction.atomic
def publish(draft, actor):
    """Write `draft` into the knowledge tables and mark it published; returns the KMReport."""
    workflow.move(draft, "publish", actor)  # refuses unless approved; rolled back with the rest on error
    report = draft.report or KMReport.objects.filter(slug=draft.slug).first() or KMReport(slug=draft.slug)
    save_if_changed(report, {"title": draft.title, "project": draft.project, "unit": draft.unit.name,
                             "in_workspace": True}, REASON)

    written = []
    for key, title, section, body in draft.field_rows():
        if not body.strip():
            continue
        field = ReportField.objects.filter(report=report, key=key).first()
        # A field keeps the heading it was published with (the seed KM words some at length).
        field = field or ReportField(report=report, key=key, title=title)
        save_if_changed(field, {"section": section, "body": body}, REASON)
        written.append(key)
    _prune(report.fields.exclude(key__in=written))

    chapters = list(draft.chapters.prefetch_related("items"))
    _prune(report.chapters.exclude(slug__in=[c.slug for c in chapters]))
    _park_if_reordered(report.chapters.all(), "number", {c.slug: c.number for c in chapters})
    for c in chapters:
        chapter = report.chapters.filter(slug=c.slug).first() or Chapter(report=report, slug=c.slug)
        save_if_changed(chapter, {"number": c.number, "title": c.title, "summary": c.summary}, REASON)
        items = list(c.items.all())
        _prune(chapter.items.exclude(slug__in=[i.slug for i in items]))
        _park_if_reordered(chapter.items.all(), "order", {i.slug: i.order for i in items})
        for i in items:
            item = chapter.items.filter(slug=i.slug).first() or Item(chapter=chapter, slug=i.slug)
            save_if_changed(item, {"title": i.title, "order": i.order, "status": Item.PUBLISHED, "body": i.body},
                            REASON)

    draft.report = report
    draft.published_at = timezone.now()
    draft._change_reason = REASON
    draft.save(update_fields=["report", "published_at", "updated_at"])
    return report


def published_counterparts(draft):
    """What the public sees now for each part of `draft`: ({field key: body},
    {(chapter slug, item slug): Item}, {chapter slug: Chapter}); empty before the first publication."""
    if not draft.report_id:
        return {}, {}, {}
    fields = dict(ReportField.objects.filter(report=draft.report).values_list("key", "body"))
    items = {(i.chapter.slug, i.slug): i for i in Item.objects.filter(chapter__report=draft.report)
             .select_related("chapter")}
    chapters = {c.slug: c for c in draft.report.chapters.all()}
    return fields, items, chapters


FIELD_TITLES = dict(FIELD_KEYS)
