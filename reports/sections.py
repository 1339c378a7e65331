"""Mastery per section (a chapter of the regulation, or the KM report's own content):
the share of points scored before and after training, the weakest sections marked and
linked to the knowledge items to review."""
from __future__ import annotations

from collections import defaultdict

from django.db.models import Sum

from assessments.models import POST, PRE, REPORT_SECTION, section_label
from knowledge.models import Chapter, Item, KMReport

WEAK_COUNT = 3


def section_rows(section_qs, kind_field: str = "kind") -> list[dict]:
    """Mastery per section from rows that carry a section, a score and a maximum:
    ``SectionSummary`` rows, or ``SubScore`` rows with ``kind_field="attempt__kind"``."""
    sums = defaultdict(lambda: {PRE: [0, 0], POST: [0, 0]})
    for r in section_qs.values(kind_field, "section").annotate(s=Sum("score"), m=Sum("max_score")).order_by():
        sums[r["section"]][r[kind_field]] = [r["s"] or 0, r["m"] or 0]
    return sections_from_sums(sums)


def _chapters_by_number():
    chapters = {}
    for c in Chapter.objects.select_related("report").order_by("report_id", "number"):
        chapters.setdefault(str(c.number), c)  # the main report first
    return chapters


def sections_from_sums(sums) -> list[dict]:
    """Rows in section order from ``{section: {PRE: [Σ score, Σ max], POST: [...]}}``; the
    ``WEAK_COUNT`` weakest (lowest after training, else before) are marked and carry the
    published items of their chapter."""
    chapters = _chapters_by_number()
    out = []
    for section, kinds in sums.items():
        pre = 100 * kinds[PRE][0] / kinds[PRE][1] if kinds[PRE][1] else None
        post = 100 * kinds[POST][0] / kinds[POST][1] if kinds[POST][1] else None
        chapter = chapters.get(section)
        out.append({
            "section": section,
            "label": section_label(section),
            "title": chapter.title if chapter and section != REPORT_SECTION else "เนื้อหารายงาน KM",
            "chapter": chapter if section != REPORT_SECTION else None,
            "url": chapter.get_absolute_url() if chapter and section != REPORT_SECTION else "",
            "pre": pre, "post": post,
            "delta": post - pre if pre is not None and post is not None else None,
            "pre_score": kinds[PRE], "post_score": kinds[POST],
            "weak": False, "items": [],
        })
    out.sort(key=lambda r: (r["section"] == REPORT_SECTION, int(r["section"]) if r["section"].isdigit() else 0))
    ranked = sorted([r for r in out if (r["post"] if r["post"] is not None else r["pre"]) is not None],
                    key=lambda r: r["post"] if r["post"] is not None else r["pre"])
    weak = ranked[:WEAK_COUNT]
    items_by_chapter = defaultdict(list)
    chapter_ids = [r["chapter"].id for r in weak if r["chapter"]]
    for item in Item.objects.published().filter(chapter_id__in=chapter_ids).select_related("chapter__report"):
        items_by_chapter[item.chapter_id].append({"title": item.title, "url": item.get_absolute_url()})
    for r in weak:
        r["weak"] = True
        if r["chapter"]:
            r["items"] = items_by_chapter[r["chapter"].id]
        elif r["section"] == REPORT_SECTION:
            km = KMReport.objects.main()
            r["url"] = km.get_absolute_url() if km else ""
    return out
