"""Reading, validating and writing the content files described in content/README.md.

`read_tree` returns plain dictionaries or raises ContentError naming the file and line;
`write_tree` writes the same format back. Loading into the database is in `loader.py`.
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .models import FIELD_KEYS

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FIELD_KEY_NAMES = [k for k, _ in FIELD_KEYS]


class ContentError(Exception):
    """A problem in a content file, in Thai, with the file and line it is on."""

    def __init__(self, path, line, message):
        self.path, self.line, self.message = str(path), line, message
        where = f"{self.path} บรรทัด {line}" if line else self.path
        super().__init__(f"{where}: {message}")


@dataclass
class Tree:
    reports: list = field(default_factory=list)  # each: dict with fields, chapters (with items)
    glossary: list = field(default_factory=list)
    thesaurus: list = field(default_factory=list)


# What each kind of file must and may carry in its front matter: key → (type, required).
SCHEMAS = {
    "report": {"slug": (str, True), "title": (str, True), "project": (str, False), "unit": (str, True), "source": (str, False)},
    "field": {"key": (str, True), "title": (str, True), "section": (int, True)},
    "chapter": {"number": (int, True), "slug": (str, True), "title": (str, True)},
    "item": {
        "slug": (str, True), "title": (str, True), "order": (int, True), "source": (str, False),
        "status": (str, True), "review": (str, False),
    },
}
TYPE_NAMES = {str: "ข้อความ", int: "จำนวนเต็ม", bool: "true/false"}


def _yaml_error(path, exc, line_offset=0):
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 + line_offset if mark else None
    return ContentError(path, line, f"รูปแบบ YAML ไม่ถูกต้อง ({getattr(exc, 'problem', None) or exc})")


def parse_markdown_file(path: Path, kind: str) -> dict:
    """Front matter (checked against SCHEMAS[kind]) plus `body`."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(path, None, "ไฟล์ต้องเข้ารหัสแบบ UTF-8")
    lines = text.split("\n")
    if not lines or lines[0] != "---":
        raise ContentError(path, 1, "ไฟล์ต้องขึ้นต้นด้วยบรรทัด --- ตามด้วยส่วนหัว (front matter)")
    try:
        end = lines.index("---", 1)
    except ValueError:
        raise ContentError(path, 1, "ไม่พบบรรทัด --- ที่ปิดส่วนหัว (front matter)")
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc, line_offset=1)
    if not isinstance(meta, dict):
        raise ContentError(path, 2, "ส่วนหัวต้องเป็นรายการ คีย์: ค่า")
    schema = SCHEMAS[kind]

    def line_of(key):
        for n, line in enumerate(lines[1:end], start=2):
            if line.startswith(f"{key}:"):
                return n
        return 2

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
    if kind == "item" and not "\n".join(lines[end + 1 :]).strip():
        raise ContentError(path, end + 2, "เนื้อหาของเรื่องความรู้ต้องไม่ว่าง")
    meta["body"] = "\n".join(lines[end + 1 :]).strip("\n")
    meta["_path"] = str(path)
    return meta


def _unique(records, key, path_of, what):
    seen = {}
    for rec in records:
        value = rec[key]
        if value in seen:
            raise ContentError(path_of(rec), 2, f"{what} '{value}' ซ้ำกับไฟล์ {seen[value]}")
        seen[value] = path_of(rec)


def _path(rec):
    return rec["_path"]


def read_yaml_list(path: Path, keys: dict):
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc)
    except UnicodeDecodeError:
        raise ContentError(path, None, "ไฟล์ต้องเข้ารหัสแบบ UTF-8")
    if not isinstance(data, list):
        raise ContentError(path, 1, "ไฟล์ต้องเป็นรายการ (list)")
    return data


def read_glossary(path: Path) -> list:
    entries = read_yaml_list(path, {})
    text_lines = path.read_text(encoding="utf-8").split("\n")
    starts = [n for n, line in enumerate(text_lines, start=1) if line.startswith("- ")]
    out = []
    for i, entry in enumerate(entries):
        line = starts[i] if i < len(starts) else None
        if not isinstance(entry, dict) or not isinstance(entry.get("abbr"), str) or not entry["abbr"].strip():
            raise ContentError(path, line, "แต่ละรายการต้องมี abbr (คำย่อ) เป็นข้อความ")
        unknown = set(entry) - {"abbr", "full", "certain", "note"}
        if unknown:
            raise ContentError(path, line, f"ไม่รู้จักคีย์ {', '.join(sorted(unknown))}")
        if not isinstance(entry.get("certain", True), bool):
            raise ContentError(path, line, "certain ต้องเป็น true หรือ false")
        full = entry.get("full") or ""
        if entry.get("certain", True) and not full.strip():
            raise ContentError(path, line, f"คำย่อ '{entry['abbr']}' ยืนยันแล้ว (certain: true) แต่ไม่มีคำเต็ม")
        out.append({"abbr": entry["abbr"].strip(), "full": full.strip(), "certain": entry.get("certain", True),
                    "note": (entry.get("note") or "").strip(), "_path": f"{path}:{line}"})
    _unique(out, "abbr", _path, "คำย่อ")
    return out


def read_thesaurus(path: Path) -> list:
    groups = read_yaml_list(path, {})
    out = []
    for n, group in enumerate(groups, start=1):
        if not isinstance(group, list) or len(group) < 2 or not all(isinstance(w, str) and w.strip() for w in group):
            raise ContentError(path, n, f"กลุ่มที่ {n} ต้องเป็นรายการคำอย่างน้อย 2 คำ")
        out.append([w.strip() for w in group])
    return out


def read_tree(root) -> Tree:
    root = Path(root)
    if not root.is_dir():
        raise ContentError(root, None, "ไม่พบโฟลเดอร์เนื้อหา")
    tree = Tree()
    km_dir = root / "km"
    for report_dir in sorted(p for p in km_dir.glob("*") if p.is_dir()) if km_dir.is_dir() else []:
        report_file = report_dir / "report.md"
        if not report_file.exists():
            raise ContentError(report_file, None, "ไม่พบไฟล์ report.md ของรายงาน")
        report = parse_markdown_file(report_file, "report")
        report["fields"] = [parse_markdown_file(p, "field") for p in sorted((report_dir / "fields").glob("*.md"))]
        _unique(report["fields"], "key", _path, "หัวข้อ")
        _unique(report["fields"], "section", _path, "ข้อที่")
        report["chapters"] = []
        for chapter_dir in sorted(p for p in (report_dir / "chapters").glob("*") if p.is_dir()):
            chapter_file = chapter_dir / "chapter.md"
            if not chapter_file.exists():
                raise ContentError(chapter_file, None, "ไม่พบไฟล์ chapter.md ของหมวด")
            chapter = parse_markdown_file(chapter_file, "chapter")
            chapter["items"] = [
                parse_markdown_file(p, "item") for p in sorted(chapter_dir.glob("*.md")) if p.name != "chapter.md"
            ]
            _unique(chapter["items"], "slug", _path, "slug")
            _unique(chapter["items"], "order", _path, "ลำดับ (order)")
            report["chapters"].append(chapter)
        _unique(report["chapters"], "slug", _path, "slug ของหมวด")
        _unique(report["chapters"], "number", _path, "หมวดที่")
        tree.reports.append(report)
    _unique(tree.reports, "slug", _path, "slug ของรายงาน")
    if not tree.reports:
        raise ContentError(root, None, "ไม่พบรายงาน KM (km/<รหัส>/report.md)")
    if (root / "glossary.yaml").exists():
        tree.glossary = read_glossary(root / "glossary.yaml")
    if (root / "thesaurus.yaml").exists():
        tree.thesaurus = read_thesaurus(root / "thesaurus.yaml")
    return tree


# --- writing -------------------------------------------------------------------------

def dump_yaml(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def markdown_file(meta: dict, body: str) -> str:
    text = "---\n" + dump_yaml(meta) + "---\n"
    return text + (body.strip("\n") + "\n" if body.strip() else "")


def write_tree(tree: Tree, root) -> list:
    """Write `tree` under `root` in the content format; returns the paths written."""
    root = Path(root)
    written = []

    def put(path: Path, text: str):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    for report in tree.reports:
        base = root / "km" / report["slug"]
        meta = {k: report[k] for k in SCHEMAS["report"] if report.get(k)}
        put(base / "report.md", markdown_file(meta, report.get("body", "")))
        for f in report["fields"]:
            meta = {k: f[k] for k in SCHEMAS["field"]}
            put(base / "fields" / f"{f['section']:02d}-{f['key']}.md", markdown_file(meta, f["body"]))
        for ch in report["chapters"]:
            ch_dir = base / "chapters" / f"{ch['number']:02d}-{ch['slug']}"
            put(ch_dir / "chapter.md", markdown_file({k: ch[k] for k in SCHEMAS["chapter"]}, ch["body"]))
            for item in ch["items"]:
                meta = {k: item[k] for k in SCHEMAS["item"] if item.get(k) not in (None, "")}
                put(ch_dir / f"{item['order']:02d}-{item['slug']}.md", markdown_file(meta, item["body"]))
    if tree.glossary:
        put(root / "glossary.yaml", dump_yaml([{k: g[k] for k in ("abbr", "full", "certain", "note")} for g in tree.glossary]))
    if tree.thesaurus:
        # One group per line, `- [ชุด, เครื่องแบบ]`: easy to read and to diff.
        put(root / "thesaurus.yaml", yaml.safe_dump(tree.thesaurus, allow_unicode=True, default_flow_style=None, width=1000))
    return written
