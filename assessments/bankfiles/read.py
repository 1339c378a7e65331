"""Reading the question bank files:

    <root>/<report>/NN-<chapter>.yaml   questions on that chapter's items
    <root>/<report>/report.yaml         questions on the KM report's fields
    <root>/forms.yaml                   test forms (fixed or blueprint)

`read_bank` checks every file against the knowledge in the database and returns plain
records, or raises ContentError naming the file and line; it writes nothing.
"""
import re
from collections import Counter
from pathlib import Path

from django.conf import settings

from assessments.bankcheck import parallel_problem
from assessments.models import KIND_CHOICES, REPORT_SECTION, Question
from assessments.question_sources import check_source, squash
from knowledge.contentfiles.read import SLUG
from knowledge.models import Item, KMReport, ReportField
from knowledge.yamlfiles import ContentError, Entry, read_yaml_mappings

QUESTION_KEYS = ["key", "item", "field", "kind", "difficulty", "status", "text", "options", "answer", "source",
                 "explanation"]
FORM_KEYS = ["key", "title", "km", "kind", "mode", "pass_mark", "time_limit", "parallel_to", "questions", "blueprint"]
DIFFICULTY = {"easy": Question.EASY, "medium": Question.MEDIUM, "hard": Question.HARD}
OPTION_KEYS = "abcde"
FORM_KINDS = [k for k, _ in KIND_CHOICES]


def _text(entry: Entry, key, required=True) -> str:
    value = entry.value.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise entry.error(f"'{key}' ต้องเป็นข้อความที่ไม่ว่าง")
    return value.strip()


def _key(entry: Entry) -> str:
    key = _text(entry, "key")
    if not SLUG.match(key):
        raise entry.error(f"key '{key}' ต้องเป็นอักษรอังกฤษตัวเล็ก ตัวเลข และขีด (-) เท่านั้น")
    return key


def _whole_number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # YAML's true/false are ints to Python


def _tested(entry: Entry, key, report, chapter) -> dict:
    """The item (in a chapter's file) or the KM report field (in report.yaml) a question tests."""
    rec = entry.value
    if chapter is not None:
        if "field" in rec:
            raise entry.error(f"คำถาม {key}: ไฟล์ของหมวดใช้ 'item' ไม่ใช่ 'field' (คำถามเรื่องรายงาน KM อยู่ใน report.yaml)")
        slug = _text(entry, "item")
        if slug not in chapter["items"]:
            raise entry.error(f"คำถาม {key}: ไม่พบเรื่องความรู้ '{slug}' ในหมวดที่ {chapter['obj'].number}")
        return {"item": chapter["items"][slug], "field": None}
    if "item" in rec:
        raise entry.error(f"คำถาม {key}: report.yaml ใช้ 'field' (หัวข้อรายงาน KM) ไม่ใช่ 'item'")
    field_key = _text(entry, "field")
    if field_key not in report["fields"]:
        raise entry.error(f"คำถาม {key}: ไม่พบหัวข้อรายงาน '{field_key}' (ใช้ได้: {', '.join(report['fields'])})")
    return {"item": None, "field": report["fields"][field_key]}


def _answer(entry: Entry, key, kind) -> dict:
    """`options` ({} for true/false) and `answer` (an option key, or true/false)."""
    rec = entry.value
    answer = rec.get("answer")
    if kind == "tf":
        if "options" in rec:
            raise entry.error(f"คำถาม {key}: คำถามถูก/ผิด ไม่ต้องมี options")
        if not isinstance(answer, bool):
            raise entry.error(f"คำถาม {key}: answer ของคำถามถูก/ผิด ต้องเป็น true หรือ false")
        return {"options": {}, "answer": answer}
    options = rec.get("options")
    if not isinstance(options, dict):
        raise entry.error(f"คำถาม {key}: ต้องมี options เป็นรายการ a: ... b: ... c: ...")
    keys = list(options)
    if not 3 <= len(keys) <= 5 or keys != list(OPTION_KEYS[: len(keys)]):
        raise entry.error(f"คำถาม {key}: ตัวเลือกต้องมี 3–5 ข้อ เรียงเป็น a, b, c, d, e")
    for k, v in options.items():
        if not isinstance(v, str) or not v.strip():
            raise entry.error(f"คำถาม {key}: ตัวเลือก {k} ต้องเป็นข้อความที่ไม่ว่าง")
    texts = [squash(v) for v in options.values()]
    if len(set(texts)) != len(texts):
        raise entry.error(f"คำถาม {key}: มีตัวเลือกที่ข้อความซ้ำกัน")
    if answer not in options:
        raise entry.error(f"คำถาม {key}: answer ต้องเป็นหนึ่งในตัวเลือก ({', '.join(keys)})")
    return {"options": {k: v.strip() for k, v in options.items()}, "answer": answer}


def _parse_question(entry: Entry, report, chapter) -> dict:
    entry.check_keys(QUESTION_KEYS)
    rec, key = entry.value, _key(entry)
    out = {"key": key, **_tested(entry, key, report, chapter)}
    if rec.get("kind") not in ("mc", "tf"):
        raise entry.error(f"คำถาม {key}: kind ต้องเป็น mc (ปรนัย) หรือ tf (ถูก/ผิด)")
    out["kind"] = rec["kind"]
    if rec.get("difficulty") not in DIFFICULTY:
        raise entry.error(f"คำถาม {key}: difficulty ต้องเป็น easy, medium หรือ hard")
    out["difficulty"] = DIFFICULTY[rec["difficulty"]]
    if rec.get("status") not in ("published", "draft"):
        raise entry.error(f"คำถาม {key}: status ต้องเป็น published หรือ draft")
    out["status"] = rec["status"]
    out["text"] = _text(entry, "text")
    out["explanation"] = _text(entry, "explanation", required=False)
    out.update(_answer(entry, key, out["kind"]))
    out["source"] = _text(entry, "source")
    tested = out["item"] or out["field"]
    problem = check_source(out["source"], title=tested.title, body=tested.body, review=getattr(tested, "review", ""),
                           published=out["status"] == "published")
    if problem:
        raise entry.error(f"คำถาม {key}: {problem}")
    return out


def section_order(section: str):
    """Blueprint sections in chapter order, the KM report last."""
    return (section == REPORT_SECTION, 0 if section == REPORT_SECTION else int(section))


def _blueprint(entry: Entry, key) -> dict:
    """A blueprint form's rules: section ("1" … or "report") → how many questions."""
    blueprint = entry.value.get("blueprint")
    if not isinstance(blueprint, dict) or not blueprint:
        raise entry.error(f"แบบทดสอบ {key}: ต้องมี blueprint เช่น {{1: 2, 2: 2, report: 1}} (หมวด: จำนวนข้อ)")
    rules = {}
    for section, count in blueprint.items():
        section = str(section)
        if not (section == REPORT_SECTION or section.isdigit()):
            raise entry.error(f"แบบทดสอบ {key}: หมวด '{section}' ต้องเป็นเลขหมวด หรือ report")
        if not _whole_number(count) or count <= 0:
            raise entry.error(f"แบบทดสอบ {key}: จำนวนข้อของหมวด {section} ต้องเป็นจำนวนเต็มที่มากกว่า 0")
        rules[section] = count
    return rules


def _parse_form(entry: Entry, question_keys) -> dict:
    entry.check_keys(FORM_KEYS)
    rec, key = entry.value, _key(entry)
    out = {"key": key, "title": _text(entry, "title"), "_line": entry.line}
    # The KM the form tests (its folder's name); the site's main KM when not given.
    out["km"] = rec.get("km", settings.KM_MAIN_REPORT)
    if not isinstance(out["km"], str) or not SLUG.match(out["km"]):
        raise entry.error(f"แบบทดสอบ {key}: km ต้องเป็นรหัสของ KM (ชื่อโฟลเดอร์ เช่น regulation-2564)")
    if rec.get("kind") not in FORM_KINDS:
        raise entry.error(f"แบบทดสอบ {key}: kind ต้องเป็น pre, post หรือ staff")
    out["kind"] = rec["kind"]
    if rec.get("mode") not in ("fixed", "blueprint"):
        raise entry.error(f"แบบทดสอบ {key}: mode ต้องเป็น fixed (กำหนดข้อ) หรือ blueprint (ผังข้อสอบ)")
    out["mode"] = rec["mode"]
    pass_mark = rec.get("pass_mark")
    if not _whole_number(pass_mark) or not 0 <= pass_mark <= 100:
        raise entry.error(f"แบบทดสอบ {key}: pass_mark ต้องเป็นจำนวนเต็ม 0–100 (ร้อยละ)")
    out["pass_mark"] = pass_mark
    limit = rec.get("time_limit")
    if limit is not None and (not _whole_number(limit) or limit <= 0):
        raise entry.error(f"แบบทดสอบ {key}: time_limit ต้องเป็นจำนวนนาทีที่มากกว่า 0 หรือไม่ใส่เลยถ้าไม่จำกัดเวลา")
    out["time_limit"] = limit
    out["parallel_to"] = rec.get("parallel_to") or ""
    if out["mode"] == "blueprint":
        if "questions" in rec:
            raise entry.error(f"แบบทดสอบ {key}: แบบผังข้อสอบ (blueprint) ใช้ blueprint ไม่ใช่ questions")
        return {**out, "blueprint": _blueprint(entry, key), "questions": []}
    if "blueprint" in rec:
        raise entry.error(f"แบบทดสอบ {key}: แบบกำหนดข้อ (fixed) ใช้ questions ไม่ใช่ blueprint")
    questions = rec.get("questions")
    if not isinstance(questions, list) or not questions:
        raise entry.error(f"แบบทดสอบ {key}: ต้องมี questions เป็นรายการรหัสคำถาม")
    for q in questions:
        if q not in question_keys:
            raise entry.error(f"แบบทดสอบ {key}: ไม่พบคำถามรหัส '{q}' ในคลังคำถาม")
    if len(set(questions)) != len(questions):
        raise entry.error(f"แบบทดสอบ {key}: มีรหัสคำถามซ้ำกัน")
    return {**out, "questions": questions, "blueprint": {}}


def _check_forms_against_bank(forms_file: Path, forms, questions):
    """What a form needs of the other forms and of the published questions."""
    keys = {form["key"]: form for form in forms}
    published = {q["key"]: q for q in questions if q["status"] == "published"}
    km_of = {q["key"]: (q["item"].chapter.report_id if q["item"] else q["field"].report_id) for q in questions}
    by_section = {}
    for q in published.values():
        section = str(q["item"].chapter.number) if q["item"] else REPORT_SECTION
        by_section[km_of[q["key"]], section] = by_section.get((km_of[q["key"]], section), 0) + 1
    for form in forms:
        report = KMReport.objects.filter(slug=form["km"]).first()
        if report is None:
            raise ContentError(forms_file, form["_line"], f"แบบทดสอบ {form['key']}: ไม่พบ KM '{form['km']}' ในฐานข้อมูล")
        form["report"] = report
    for form in forms:
        if form["parallel_to"] and form["parallel_to"] not in keys:
            raise ContentError(forms_file, form["_line"],
                               f"แบบทดสอบ {form['key']}: parallel_to '{form['parallel_to']}' ไม่พบในไฟล์นี้")
        if form["parallel_to"] and keys[form["parallel_to"]]["km"] != form["km"]:
            raise ContentError(forms_file, form["_line"],
                               f"แบบทดสอบ {form['key']}: ฉบับคู่ขนาน '{form['parallel_to']}' ต้องวัด KM เดียวกัน")
        for qkey in form["questions"]:
            if km_of[qkey] != form["report"].pk:
                raise ContentError(forms_file, form["_line"],
                                   f"แบบทดสอบ {form['key']}: คำถาม '{qkey}' เป็นคำถามของ KM อื่น "
                                   f"ไม่ใช่ของ KM '{form['km']}'")
        numbers = {str(n) for n in form["report"].chapters.values_list("number", flat=True)}
        for section in form["blueprint"]:
            if section != REPORT_SECTION and section not in numbers:
                raise ContentError(forms_file, form["_line"],
                                   f"แบบทดสอบ {form['key']}: KM '{form['km']}' ไม่มีหมวดที่ {section}")
    sections = {q["key"]: (str(q["item"].chapter.number) if q["item"] else REPORT_SECTION, q["difficulty"])
                for q in questions}
    blueprints = {form["key"]: Counter(sections[k] for k in form["questions"]) if form["mode"] == "fixed" else
                  Counter({(s, None): n for s, n in form["blueprint"].items()}) for form in forms}
    for form in forms:
        if form["parallel_to"]:
            problem = parallel_problem(form["key"], blueprints[form["key"]], form["parallel_to"],
                                       blueprints[form["parallel_to"]])
            if problem:
                raise ContentError(forms_file, form["_line"], problem + " (ฉบับคู่ขนานต้องมีผังข้อสอบเดียวกัน)")
    for form in forms:
        for qkey in form["questions"]:
            if qkey not in published:
                raise ContentError(forms_file, form["_line"],
                                   f"แบบทดสอบ {form['key']}: คำถาม '{qkey}' ยังเป็นฉบับร่าง ใช้ในแบบทดสอบไม่ได้")
        for section, count in form["blueprint"].items():
            available = by_section.get((form["report"].pk, section), 0)
            if available < count:
                raise ContentError(forms_file, form["_line"],
                                   f"แบบทดสอบ {form['key']}: หมวด {section} มีคำถามที่เผยแพร่ {available} ข้อ "
                                   f"น้อยกว่าที่ผังข้อสอบต้องการ ({count} ข้อ)")


def _knowledge(report_slug, path):
    report = KMReport.objects.filter(slug=report_slug).first()
    if report is None:
        raise ContentError(path, None, f"ไม่พบรายงาน KM '{report_slug}' ในฐานข้อมูล (นำเข้าเนื้อหาความรู้ด้วย loadkm ก่อน)")
    chapters = {}
    for ch in report.chapters.all():
        chapters[ch.slug] = {"obj": ch, "items": {i.slug: i for i in Item.objects.filter(chapter=ch)}}
    fields = {f.key: f for f in ReportField.objects.filter(report=report)}
    return {"obj": report, "chapters": chapters, "fields": fields}


def _check_file_name(path, report):
    if path.name == "report.yaml":
        return None
    m = re.fullmatch(r"(\d\d)-([a-z0-9-]+)\.yaml", path.name)
    chapter = report["chapters"].get(m.group(2)) if m else None
    if chapter is None or chapter["obj"].number != int(m.group(1)):
        names = ", ".join(f"{c['obj'].number:02d}-{slug}.yaml" for slug, c in report["chapters"].items())
        raise ContentError(path, None, f"ชื่อไฟล์ต้องเป็น report.yaml หรือ NN-<หมวด>.yaml ของหมวดที่มีอยู่ ({names})")
    return chapter


def read_bank(root) -> dict:
    """Parse and validate every question and form file under `root`."""
    root = Path(root)
    if not root.is_dir():
        raise ContentError(root, None, "ไม่พบโฟลเดอร์คลังคำถาม")
    questions, entry_of = [], {}
    for report_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        report = _knowledge(report_dir.name, report_dir)
        for path in sorted(report_dir.glob("*.yaml")):
            chapter = _check_file_name(path, report)
            for entry in read_yaml_mappings(path):
                q = _parse_question(entry, report, chapter)
                if q["key"] in entry_of:
                    first = entry_of[q["key"]]
                    raise entry.error(f"รหัสคำถาม '{q['key']}' ซ้ำกับ {first.path} บรรทัด {first.line}")
                entry_of[q["key"]] = entry
                questions.append(q)
    forms = []
    forms_file = root / "forms.yaml"
    if forms_file.exists():
        line_of = {}
        for entry in read_yaml_mappings(forms_file):
            form = _parse_form(entry, entry_of)
            if form["key"] in line_of:
                raise entry.error(f"รหัสแบบทดสอบ '{form['key']}' ซ้ำกับบรรทัด {line_of[form['key']]}")
            line_of[form["key"]] = entry.line
            forms.append(form)
        _check_forms_against_bank(forms_file, forms, questions)
    return {"questions": questions, "forms": forms}
