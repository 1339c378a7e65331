"""The KMs of the workspace as content files, beside the published knowledge
(knowledge/contentfiles): each KM's working copy in km/<slug>/workspace/ of its KM folder,
in the same format (front matter + Markdown), with where it stands in the workflow and the
record of every move.

```
km/<slug>/report.md, fields/, chapters/   what the public reads (absent until first published)
km/<slug>/workspace/report.md             the KM: title, project, unit, status, transitions
km/<slug>/workspace/fields/NN-<key>.md    a field of the 12-field template that is written
km/<slug>/workspace/chapters/NN-<chapter>/chapter.md, NN-<item>.md   chapters → items
```

`workspace_files` writes them; `read_workspace` checks them into plain data (or a ContentError
naming file and line); `load_workspace` creates the KMs the database does not have yet. A KM
the database already has stays as its team left it: the workspace, not the files, keeps it.
"""
from datetime import date, datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import Unit
from knowledge.contentfiles.load import save_if_changed
from knowledge.contentfiles.read import SCHEMAS, SLUG, WORKSPACE_DIR, _unique, read_markdown
from knowledge.models import KMReport
from knowledge.yamlfiles import ContentError, front_matter_text

from .models import PUBLISHED, STATUS_CHOICES, Draft, DraftChapter, DraftItem, Transition

REASON = "นำเข้าจากไฟล์เนื้อหา (loadkm)"
STATUSES = [key for key, _ in STATUS_CHOICES]
TRANSITION_KEYS = ["from", "to", "by", "at", "comment"]
SCHEMAS = {
    **SCHEMAS,
    "workspace-report": {
        "slug": (str, True), "title": (str, True), "project": (str, False), "unit": (str, True),
        "unit_name": (str, True), "status": (str, True), "published_at": (str, False), "transitions": (list, False),
    },
    "workspace-item": {"slug": (str, True), "title": (str, True), "order": (int, True), "review_by": (date, False)},
}


def _when(value) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def workspace_files() -> dict:
    """{relative path: text} of every KM of the workspace."""
    files = {}
    drafts = Draft.objects.select_related("unit").prefetch_related("chapters__items", "transitions__actor")
    for draft in drafts.order_by("slug"):
        base = f"km/{draft.slug}/{WORKSPACE_DIR}"
        steps = []
        for step in draft.transitions.all():
            record = {"from": step.from_status, "to": step.to_status,
                      "by": step.actor.get_username() if step.actor else step.actor_name,
                      "at": _when(step.at), "comment": step.comment}
            steps.append({k: v for k, v in record.items() if v})
        meta = {"slug": draft.slug, "title": draft.title, "project": draft.project, "unit": draft.unit.code,
                "unit_name": draft.unit.name, "status": draft.status,
                "published_at": _when(draft.published_at) if draft.published_at else "", "transitions": steps}
        files[f"{base}/report.md"] = front_matter_text({k: v for k, v in meta.items() if v}, "")
        for key, title, section, body in draft.field_rows():
            if body.strip():
                files[f"{base}/fields/{section:02d}-{key}.md"] = front_matter_text(
                    {"key": key, "title": title, "section": section}, body)
        for chapter in draft.chapters.all():
            ch_dir = f"{base}/chapters/{chapter.number:02d}-{chapter.slug}"
            files[f"{ch_dir}/chapter.md"] = front_matter_text(
                {"number": chapter.number, "slug": chapter.slug, "title": chapter.title}, chapter.summary)
            for item in chapter.items.all():
                meta = {"slug": item.slug, "title": item.title, "order": item.order}
                if item.review_by:
                    meta["review_by"] = item.review_by
                files[f"{ch_dir}/{item.order:02d}-{item.slug}.md"] = front_matter_text(meta, item.body)
    return files


def _moment(path, line, value, what):
    """An ISO 8601 date and time with its offset ('2026-11-30T14:05:00+07:00')."""
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        moment = None
    if moment is None or timezone.is_naive(moment):
        raise ContentError(path, line, f"{what} ต้องเป็นวันเวลาแบบ ปปปป-ดด-ววTชช:นน:วว+07:00 (ค.ศ.)")
    return moment


def _transitions(path, line, steps):
    out = []
    for n, step in enumerate(steps, start=1):
        if not isinstance(step, dict) or set(step) - set(TRANSITION_KEYS):
            raise ContentError(path, line, f"ขั้นตอนที่ {n} ใน transitions ใช้ได้เฉพาะคีย์ {', '.join(TRANSITION_KEYS)}")
        if step.get("from") not in STATUSES or step.get("to") not in STATUSES:
            raise ContentError(path, line, f"ขั้นตอนที่ {n} ใน transitions: from และ to ต้องเป็นหนึ่งใน {', '.join(STATUSES)}")
        if not all(isinstance(step.get(k, ""), str) for k in ("by", "comment")):
            raise ContentError(path, line, f"ขั้นตอนที่ {n} ใน transitions: by และ comment ต้องเป็นข้อความ")
        at = _moment(path, line, step.get("at"), f"at ของขั้นตอนที่ {n} ใน transitions")
        out.append({"from": step["from"], "to": step["to"], "by": step.get("by", ""),
                    "comment": step.get("comment", ""), "at": at})
    return out


def _read_km(folder: Path) -> dict:
    report_file = folder / "report.md"
    if not report_file.exists():
        raise ContentError(report_file, None, "ไม่พบไฟล์ report.md ของ KM ในพื้นที่ทำงาน")
    km = read_markdown(report_file, "workspace-report", SCHEMAS)
    line = 2
    if km["slug"] != folder.parent.name or not SLUG.match(km["slug"]):
        raise ContentError(report_file, line, f"slug '{km['slug']}' ต้องตรงกับชื่อโฟลเดอร์ '{folder.parent.name}'")
    if not SLUG.match(km["unit"]):
        raise ContentError(report_file, line, "unit ต้องเป็นรหัสหน่วยงาน (อักษรอังกฤษตัวเล็ก ตัวเลข และขีด)")
    if km["status"] not in STATUSES:
        raise ContentError(report_file, line, f"status ต้องเป็นหนึ่งใน {', '.join(STATUSES)}")
    km["published"] = (folder.parent / "report.md").exists()
    if km["status"] == PUBLISHED and not km["published"]:
        raise ContentError(report_file, line, "KM นี้มีสถานะเผยแพร่แล้ว แต่ไม่มีไฟล์ report.md ของฉบับเผยแพร่ในโฟลเดอร์ KM")
    km["transitions"] = _transitions(report_file, line, km.get("transitions", []))
    if km.get("published_at"):
        km["published_at"] = _moment(report_file, line, km["published_at"], "published_at")

    km["fields"] = [read_markdown(p, "field", SCHEMAS) for p in sorted((folder / "fields").glob("*.md"))]
    _unique(km["fields"], "key", "หัวข้อ")
    km["chapters"] = []
    for chapter_dir in sorted(p for p in (folder / "chapters").glob("*") if p.is_dir()):
        chapter_file = chapter_dir / "chapter.md"
        if not chapter_file.exists():
            raise ContentError(chapter_file, None, "ไม่พบไฟล์ chapter.md ของหมวด")
        chapter = read_markdown(chapter_file, "chapter", SCHEMAS)
        chapter["items"] = []
        for p in sorted(chapter_dir.glob("*.md")):
            if p.name == "chapter.md":
                continue
            item = read_markdown(p, "workspace-item", SCHEMAS)
            if not item["body"].strip():
                raise ContentError(p, 2, "เนื้อหาของเรื่องความรู้ต้องไม่ว่าง")
            chapter["items"].append(item)
        _unique(chapter["items"], "order", "ลำดับ (order)")
        km["chapters"].append(chapter)
    _unique(km["chapters"], "slug", "slug ของหมวด")
    _unique(km["chapters"], "number", "หมวดที่")
    _unique([i for c in km["chapters"] for i in c["items"]], "slug", "slug")
    return km


def read_workspace(root) -> list:
    """Every km/<slug>/workspace/ folder under `root`, checked."""
    return [_read_km(folder) for folder in sorted(Path(root).glob(f"km/*/{WORKSPACE_DIR}")) if folder.is_dir()]


@transaction.atomic
def load_workspace(kms: list) -> dict:
    """Create the KMs of `kms` the database does not have; returns what was created and kept.
    Run after loading the published knowledge (the published reports must be there)."""
    counts = {"created": 0, "kept": 0, "units": []}
    users = get_user_model().objects
    for km in kms:
        if Draft.objects.filter(slug=km["slug"]).exists():
            counts["kept"] += 1
            continue
        unit = Unit.objects.filter(code=km["unit"]).first()
        if unit is None:
            unit = Unit.objects.create(code=km["unit"], name=km["unit_name"])
            counts["units"].append(unit.name)
        report = KMReport.objects.get(slug=km["slug"]) if km["published"] else None
        draft = Draft(unit=unit, slug=km["slug"], title=km["title"], project=km.get("project", ""), status=km["status"],
                      fields={f["key"]: f["body"] for f in km["fields"]}, report=report,
                      published_at=km.get("published_at") or None)
        draft._change_reason = REASON
        draft.save()
        for c in km["chapters"]:
            chapter = DraftChapter.objects.create(draft=draft, number=c["number"], slug=c["slug"], title=c["title"],
                                                  summary=c["body"])
            for i in c["items"]:
                DraftItem.objects.create(chapter=chapter, order=i["order"], slug=i["slug"], title=i["title"],
                                         body=i["body"], review_by=i.get("review_by"))
        for step in km["transitions"]:
            Transition.objects.create(draft=draft, from_status=step["from"], to_status=step["to"], at=step["at"],
                                      actor=users.filter(username=step["by"]).first() if step["by"] else None,
                                      actor_name=step["by"], comment=step["comment"])
        if report is not None:
            save_if_changed(report, {"in_workspace": True}, REASON)
        counts["created"] += 1
    return counts

