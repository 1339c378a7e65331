"""Loading the knowledge files (a Tree from `read`) into the database, in one transaction:
all of it or none of it."""
from django.conf import settings
from django.db import transaction

from knowledge.models import Chapter, GlossaryTerm, Item, KMReport, ReportField, SynonymGroup

from .read import Tree

REASON = "นำเข้าจากไฟล์เนื้อหา (loadkm)"


def save_if_changed(obj, values: dict, reason=None) -> bool:
    """Set `values` on `obj` and save only if something changed, so a repeated load
    writes nothing and adds no revision. `reason` goes into the revision history."""
    changed = obj.pk is None or any(getattr(obj, k) != v for k, v in values.items())
    if changed:
        for k, v in values.items():
            setattr(obj, k, v)
        if reason:
            obj._change_reason = reason
        obj.save()
    return changed


def _park_if_reordered(queryset, field, wanted: dict):
    """Numbers and orders are unique and a reorder can swap two of them: when any record
    moves, first move all of them out of the way."""
    current = dict(queryset.values_list("slug", field))
    if any(wanted.get(slug, value) != value for slug, value in current.items()):
        for pk, value in queryset.values_list("pk", field):
            queryset.model.objects.filter(pk=pk).update(**{field: value + 1000})


@transaction.atomic
def load_tree(tree: Tree) -> dict:
    """Make the database hold exactly what `tree` holds; return counts of what changed."""
    counts = {"created_or_updated": 0, "deleted": 0, "kept": 0}
    # Reports the KM workspace keeps (KMReport.in_workspace) are neither changed nor removed here.
    kept = set(KMReport.objects.filter(in_workspace=True).values_list("slug", flat=True))

    def sync(obj, values):
        counts["created_or_updated"] += save_if_changed(obj, values, REASON)

    def prune(queryset):
        for obj in queryset:
            obj._change_reason = REASON
            obj.delete()
            counts["deleted"] += 1

    # The site's main KM first, so that in a new database it is also the first report.
    for rec in sorted(tree.reports, key=lambda r: r["slug"] != settings.KM_MAIN_REPORT):
        if rec["slug"] in kept:
            continue
        report = KMReport.objects.filter(slug=rec["slug"]).first() or KMReport(slug=rec["slug"])
        sync(report, {"title": rec["title"], "project": rec.get("project", ""), "unit": rec["unit"],
                      "source": rec.get("source", ""), "intro": rec["body"]})
        for f in rec["fields"]:
            field = (ReportField.objects.filter(report=report, key=f["key"]).first()
                     or ReportField(report=report, key=f["key"]))
            sync(field, {"title": f["title"], "section": f["section"], "body": f["body"],
                         "asked_questions": [q.strip() for q in f.get("questions", [])]})
        prune(report.fields.exclude(key__in=[f["key"] for f in rec["fields"]]))

        chapters = rec["chapters"]
        prune(report.chapters.exclude(slug__in=[c["slug"] for c in chapters]))
        _park_if_reordered(report.chapters.all(), "number", {c["slug"]: c["number"] for c in chapters})
        for c in chapters:
            chapter = report.chapters.filter(slug=c["slug"]).first() or Chapter(report=report, slug=c["slug"])
            sync(chapter, {"number": c["number"], "title": c["title"], "summary": c["body"]})
            prune(chapter.items.exclude(slug__in=[i["slug"] for i in c["items"]]))
            _park_if_reordered(chapter.items.all(), "order", {i["slug"]: i["order"] for i in c["items"]})
            for i in c["items"]:
                item = chapter.items.filter(slug=i["slug"]).first() or Item(chapter=chapter, slug=i["slug"])
                sync(item, {"title": i["title"], "order": i["order"], "source": i.get("source", ""),
                            "status": i["status"], "review": i.get("review", ""),
                            "asked_questions": [q.strip() for q in i.get("questions", [])],
                            "body": i["body"]})
    prune(KMReport.objects.exclude(slug__in=[r["slug"] for r in tree.reports]).exclude(in_workspace=True))
    counts["kept"] = len(kept)

    for g in tree.glossary:
        term = GlossaryTerm.objects.filter(abbr=g["abbr"]).first() or GlossaryTerm(abbr=g["abbr"])
        sync(term, {"full": g["full"], "certain": g["certain"], "note": g["note"]})
    prune(GlossaryTerm.objects.exclude(abbr__in=[g["abbr"] for g in tree.glossary]))

    wanted = [(", ".join(group["words"]), ", ".join(group["finds"])) for group in tree.thesaurus]
    prune(g for g in SynonymGroup.objects.all() if (g.words, g.finds) not in wanted)
    existing = set(SynonymGroup.objects.values_list("words", "finds"))
    for words, finds in wanted:
        if (words, finds) not in existing:
            sync(SynonymGroup(), {"words": words, "finds": finds})
    return counts
