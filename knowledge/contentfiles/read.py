"""Reading the knowledge files: every file is checked and the whole tree returned as plain
data (`read_tree`), or a ContentError names the first problem's file and line."""
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from knowledge.models import FIELD_KEYS, MAX_QUESTION
from knowledge.yamlfiles import ContentError, read_front_matter, read_yaml_list, read_yaml_mappings

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIELD_KEY_NAMES = [k for k, _ in FIELD_KEYS]
GLOSSARY_KEYS = ["abbr", "full", "certain", "note"]


@dataclass
class Tree:
    reports: list = field(default_factory=list)  # each: dict with fields, chapters (with items)
    glossary: list = field(default_factory=list)
    thesaurus: list = field(default_factory=list)


# What each kind of file must and may carry in its front matter: key → (type, required).
SCHEMAS = {
    "report": {
        "slug": (str, True), "title": (str, True), "project": (str, False), "unit": (str, True),
        "source": (str, False),
    },
    "field": {"key": (str, True), "title": (str, True), "section": (int, True), "questions": (list, False)},
    "chapter": {"number": (int, True), "slug": (str, True), "title": (str, True)},
    "item": {
        "slug": (str, True), "title": (str, True), "order": (int, True), "source": (str, False),
        "status": (str, True), "review": (str, False), "questions": (list, False),
    },
}
TYPE_NAMES = {str: "ข้อความ", int: "จำนวนเต็ม", bool: "true/false", list: "รายการ (แต่ละบรรทัดขึ้นต้นด้วย - )",
              date: "วันที่ในรูปแบบ ปปปป-ดด-วว (ค.ศ.)"}
# A KM that its unit's team keeps in the KM workspace has a folder of that name in its KM folder
# (km/<slug>/workspace/, read by the workspace); a KM not yet published has only that folder.
WORKSPACE_DIR = "workspace"
# A front-matter key whose model attribute has another name.
ATTRIBUTES = {"questions": "asked_questions"}


def _check_questions(path, line, questions):
    """Each question a non-empty line of text, none twice."""
    seen = set()
    for n, q in enumerate(questions, start=1):
        if not isinstance(q, str) or not q.strip():
            raise ContentError(path, line, f"คำถามข้อที่ {n} ใน questions ต้องเป็นข้อความที่ไม่ว่าง")
        if len(q) > MAX_QUESTION:
            raise ContentError(path, line, f"คำถามข้อที่ {n} ใน questions ยาวเกิน {MAX_QUESTION} ตัวอักษร")
        key = " ".join(q.split())
        if key in seen:
            raise ContentError(path, line, f"คำถาม '{key}' ใน questions ซ้ำกัน")
        seen.add(key)


def read_markdown(path: Path, kind: str, schemas=SCHEMAS) -> dict:
    """Front matter (checked against schemas[kind]) plus `body`."""
    page = read_front_matter(path)
    meta, schema, line_of = page.meta, schemas[kind], page.line_of
    for key in meta:
        if key not in schema:
            raise ContentError(path, line_of(key), f"ไม่รู้จักคีย์ '{key}' (ใช้ได้: {', '.join(schema)})")
    for key, (typ, required) in schema.items():
        if key not in meta:
            if required:
                raise ContentError(path, 2, f"ขาดคีย์ '{key}' ในส่วนหัว")
            continue
        value = meta[key]
        if not isinstance(value, typ) or isinstance(value, bool) != (typ is bool):
            raise ContentError(path, line_of(key), f"ค่าของ '{key}' ต้องเป็น{TYPE_NAMES[typ]}")
        if typ is str and required and not value.strip():
            raise ContentError(path, line_of(key), f"ค่าของ '{key}' ต้องไม่ว่าง")
    if "slug" in meta and not SLUG.match(meta["slug"]):
        raise ContentError(path, line_of("slug"), "slug ต้องเป็นอักษรอังกฤษตัวเล็ก ตัวเลข และขีด (-) เท่านั้น")
    if kind == "item" and meta["status"] not in ("published", "draft"):
        raise ContentError(path, line_of("status"), "status ต้องเป็น published หรือ draft")
    if kind == "field" and meta["key"] not in FIELD_KEY_NAMES:
        raise ContentError(path, line_of("key"), f"key ต้องเป็นหนึ่งใน {', '.join(FIELD_KEY_NAMES)}")
    if "questions" in meta:
        _check_questions(path, line_of("questions"), meta["questions"])
    if kind == "item" and not page.body.strip():
        raise ContentError(path, page.body_line, "เนื้อหาของเรื่องความรู้ต้องไม่ว่าง")
    return {**meta, "body": page.body, "_path": str(path), "_line": 2}  # duplicates are reported at the header


def _unique(records, key, what):
    """Refuse a second record with the same `key`; records carry `_path` and `_line`."""
    seen = {}
    for rec in records:
        first = seen.setdefault(rec[key], rec)
        if first is not rec:
            other = f"ไฟล์ {first['_path']}" if first["_path"] != rec["_path"] else f"บรรทัด {first['_line']}"
            raise ContentError(rec["_path"], rec["_line"], f"{what} '{rec[key]}' ซ้ำกับ{other}")


def read_glossary(path: Path) -> list:
    out = []
    for entry in read_yaml_mappings(path):
        entry.check_keys(GLOSSARY_KEYS)
        term = entry.value
        if not isinstance(term.get("abbr"), str) or not term["abbr"].strip():
            raise entry.error("แต่ละรายการต้องมี abbr (คำย่อ) เป็นข้อความ")
        certain = term.get("certain", True)
        if not isinstance(certain, bool):
            raise entry.error("certain ต้องเป็น true หรือ false")
        full = term.get("full") or ""
        if certain and not full.strip():
            raise entry.error(f"คำย่อ '{term['abbr']}' ยืนยันแล้ว (certain: true) แต่ไม่มีคำเต็ม")
        out.append({"abbr": term["abbr"].strip(), "full": full.strip(), "certain": certain,
                    "note": (term.get("note") or "").strip(), "_path": str(path), "_line": entry.line})
    _unique(out, "abbr", "คำย่อ")
    return out


def _words(value) -> list | None:
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        return None
    return [w.strip() for w in value]


def read_thesaurus(path: Path) -> list:
    """Related search terms: `- [a, b, c]` (the words find each other) or
    `- {words: [a, b], finds: [c]}` (a query with a or b also finds c; c does not find a or b)."""
    out = []
    for n, entry in enumerate(read_yaml_list(path), start=1):
        value = entry.value
        if isinstance(value, dict):
            if set(value) != {"words", "finds"}:
                raise entry.error(f"กลุ่มที่ {n} แบบทางเดียวต้องมี words (คำค้น) และ finds (คำที่ค้นพบด้วย) เท่านั้น")
            words, finds = _words(value["words"]), _words(value["finds"])
            if not words or not finds:
                raise entry.error(f"กลุ่มที่ {n}: words และ finds ต้องเป็นรายการคำอย่างน้อยอย่างละ 1 คำ")
            if set(words) & set(finds):
                raise entry.error(f"กลุ่มที่ {n}: คำเดียวกันอยู่ทั้งใน words และ finds")
            out.append({"words": words, "finds": finds})
            continue
        words = _words(value)
        if not words or len(words) < 2:
            raise entry.error(f"กลุ่มที่ {n} ต้องเป็นรายการคำอย่างน้อย 2 คำ หรือ {{words: [...], finds: [...]}}")
        out.append({"words": words, "finds": []})
    return out


def read_tree(root) -> Tree:
    root = Path(root)
    if not root.is_dir():
        raise ContentError(root, None, "ไม่พบโฟลเดอร์เนื้อหา")
    tree = Tree()
    km_dir = root / "km"
    for report_dir in sorted(p for p in km_dir.glob("*") if p.is_dir()) if km_dir.is_dir() else []:
        report_file = report_dir / "report.md"
        if not report_file.exists() and (report_dir / WORKSPACE_DIR).is_dir():
            continue  # a KM its team has not published yet
        if not report_file.exists():
            raise ContentError(report_file, None, "ไม่พบไฟล์ report.md ของรายงาน")
        report = read_markdown(report_file, "report")
        report["fields"] = [read_markdown(p, "field") for p in sorted((report_dir / "fields").glob("*.md"))]
        _unique(report["fields"], "key", "หัวข้อ")
        _unique(report["fields"], "section", "ข้อที่")
        report["chapters"] = []
        for chapter_dir in sorted(p for p in (report_dir / "chapters").glob("*") if p.is_dir()):
            chapter_file = chapter_dir / "chapter.md"
            if not chapter_file.exists():
                raise ContentError(chapter_file, None, "ไม่พบไฟล์ chapter.md ของหมวด")
            chapter = read_markdown(chapter_file, "chapter")
            chapter["items"] = [
                read_markdown(p, "item") for p in sorted(chapter_dir.glob("*.md")) if p.name != "chapter.md"
            ]
            _unique(chapter["items"], "slug", "slug")
            _unique(chapter["items"], "order", "ลำดับ (order)")
            report["chapters"].append(chapter)
        _unique(report["chapters"], "slug", "slug ของหมวด")
        _unique(report["chapters"], "number", "หมวดที่")
        tree.reports.append(report)
    _unique(tree.reports, "slug", "slug ของรายงาน")
    if not tree.reports and not list(km_dir.glob(f"*/{WORKSPACE_DIR}")):
        raise ContentError(root, None, "ไม่พบรายงาน KM (km/<รหัส>/report.md)")
    if (root / "glossary.yaml").exists():
        tree.glossary = read_glossary(root / "glossary.yaml")
    if (root / "thesaurus.yaml").exists():
        tree.thesaurus = read_thesaurus(root / "thesaurus.yaml")
    return tree
