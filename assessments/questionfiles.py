"""The question bank as reviewed files (format: content/README.md, "Question bank").

    content/questions/<report>/NN-<chapter>.yaml   questions on that chapter's items
    content/questions/<report>/report.yaml         questions on the KM report's fields
    content/questions/forms.yaml                   test forms (fixed or blueprint)

`read_bank` parses and validates every file against the knowledge in the database and
returns plain records, or raises ContentError naming the file and line; nothing is
written until everything is valid. `load_bank` writes in one transaction; `dump_bank`
and `write_bank` give the database back in the same format, byte for byte.
"""
import re
from pathlib import Path

import yaml
from django.db import transaction

from knowledge.contentfiles import SLUG, ContentError, dump_yaml
from knowledge.models import Chapter, Item, KMReport, ReportField
from knowledge.render import plain_text
from volunteerkm.thai import normalize

from .models import (
    KIND_CHOICES, REPORT_SECTION, BlueprintRule, FormQuestion, Option, Question, TestForm,
)

QUESTION_KEYS = ["key", "item", "field", "kind", "difficulty", "status", "text", "options", "answer", "source",
                 "explanation"]
FORM_KEYS = ["key", "title", "kind", "mode", "pass_mark", "time_limit", "parallel_to", "questions", "blueprint"]
DIFFICULTY = {"easy": Question.EASY, "medium": Question.MEDIUM, "hard": Question.HARD}
DIFFICULTY_NAMES = {v: k for k, v in DIFFICULTY.items()}
OPTION_KEYS = "abcde"
FORM_KINDS = [k for k, _ in KIND_CHOICES]
# A passage an editor must still check is marked in the item body like this.
UNCERTAIN_MARK = "รอตรวจสอบ"
_QUOTED = re.compile(r"[\"“]([^\"“”]+)[\"”]")
_SPACES = re.compile(r"\s+")
REASON = "นำเข้าจากไฟล์คลังคำถาม"


class _LineLoader(yaml.SafeLoader):
    """Keeps the line of every mapping in `__line__`, so errors can name it."""


def _construct_mapping(loader, node):
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _load_yaml_list(path: Path):
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(path, None, "ไฟล์ต้องเข้ารหัสแบบ UTF-8")
    try:
        data = yaml.load(text, Loader=_LineLoader) or []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ContentError(path, mark.line + 1 if mark else None,
                           f"รูปแบบ YAML ไม่ถูกต้อง ({getattr(exc, 'problem', None) or exc})")
    if not isinstance(data, list):
        raise ContentError(path, 1, "ไฟล์ต้องเป็นรายการ (list) โดยแต่ละข้อขึ้นต้นด้วย - ")
    for n, entry in enumerate(data, start=1):
        if not isinstance(entry, dict):
            raise ContentError(path, None, f"รายการที่ {n} ต้องเป็นชุด คีย์: ค่า")
    return data


def squash(text: str) -> str:
    return _SPACES.sub(" ", text or "").strip()


def certain_text(markdown: str) -> str:
    """Plain text of a body without the lines marked as awaiting review."""
    return plain_text("\n".join(line for line in markdown.split("\n") if UNCERTAIN_MARK not in line))


def review_passages(review: str) -> list[str]:
    """The passages an item's `review:` note quotes as uncertain."""
    return [normalize(p) for p in _QUOTED.findall(review or "") if len(p.strip()) > 2]


def check_source(quote: str, *, title: str, body: str, review: str = "", published=True):
    """Why `quote` cannot be the source of a question on this text, or None if it can."""
    quote_n = squash(quote)
    if quote_n not in squash(plain_text(title + "\n\n" + body)):
        return "ข้อความอ้างอิง (source) ไม่พบในเนื้อหาของเรื่องที่ทดสอบ ต้องยกมาตรงตามต้นฉบับ"
    if not published:
        return None
    if quote_n not in squash(title + " " + certain_text(body)):
        return "ข้อความอ้างอิงอยู่ในส่วนที่ทำเครื่องหมาย รอตรวจสอบ ห้ามนำมาออกข้อสอบที่เผยแพร่"
    folded = normalize(quote)
    for passage in review_passages(review):
        if passage in folded or folded in passage:
            return "ข้อความอ้างอิงเป็นข้อความที่ review ของเรื่องความรู้ระบุว่ายังไม่แน่ชัด ห้ามนำมาออกข้อสอบที่เผยแพร่"
    return None


def _err(path, rec, message):
    return ContentError(path, rec.get("__line__"), message)


def _text(path, rec, key, required=True):
    value = rec.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise _err(path, rec, f"'{key}' ต้องเป็นข้อความที่ไม่ว่าง")
    return value.strip()


def _parse_question(path, rec, report, chapter):
    unknown = [k for k in rec if k not in QUESTION_KEYS and k != "__line__"]
    if unknown:
        raise _err(path, rec, f"ไม่รู้จักคีย์ '{unknown[0]}' (ใช้ได้: {', '.join(QUESTION_KEYS)})")
    key = _text(path, rec, "key")
    if not SLUG.match(key):
        raise _err(path, rec, f"key '{key}' ต้องเป็นอักษรอังกฤษตัวเล็ก ตัวเลข และขีด (-) เท่านั้น")
    out = {"key": key, "_where": (str(path), rec["__line__"])}
    if chapter is not None:
        if "field" in rec:
            raise _err(path, rec, f"คำถาม {key}: ไฟล์ของหมวดใช้ 'item' ไม่ใช่ 'field' (คำถามเรื่องรายงาน KM อยู่ใน report.yaml)")
        slug = _text(path, rec, "item")
        item = chapter["items"].get(slug)
        if item is None:
            raise _err(path, rec, f"คำถาม {key}: ไม่พบเรื่องความรู้ '{slug}' ในหมวดที่ {chapter['obj'].number}")
        out["item"], out["field"] = item, None
        target = {"title": item.title, "body": item.body, "review": item.review}
    else:
        if "item" in rec:
            raise _err(path, rec, f"คำถาม {key}: report.yaml ใช้ 'field' (หัวข้อรายงาน KM) ไม่ใช่ 'item'")
        fkey = _text(path, rec, "field")
        field = report["fields"].get(fkey)
        if field is None:
            raise _err(path, rec, f"คำถาม {key}: ไม่พบหัวข้อรายงาน '{fkey}' (ใช้ได้: {', '.join(report['fields'])})")
        out["item"], out["field"] = None, field
        target = {"title": field.title, "body": field.body, "review": ""}
    kind = rec.get("kind")
    if kind not in ("mc", "tf"):
        raise _err(path, rec, f"คำถาม {key}: kind ต้องเป็น mc (ปรนัย) หรือ tf (ถูก/ผิด)")
    out["kind"] = kind
    if rec.get("difficulty") not in DIFFICULTY:
        raise _err(path, rec, f"คำถาม {key}: difficulty ต้องเป็น easy, medium หรือ hard")
    out["difficulty"] = DIFFICULTY[rec["difficulty"]]
    if rec.get("status") not in ("published", "draft"):
        raise _err(path, rec, f"คำถาม {key}: status ต้องเป็น published หรือ draft")
    out["status"] = rec["status"]
    out["text"] = _text(path, rec, "text")
    out["explanation"] = _text(path, rec, "explanation", required=False)
    answer = rec.get("answer")
    if kind == "tf":
        if "options" in rec:
            raise _err(path, rec, f"คำถาม {key}: คำถามถูก/ผิด ไม่ต้องมี options")
        if not isinstance(answer, bool):
            raise _err(path, rec, f"คำถาม {key}: answer ของคำถามถูก/ผิด ต้องเป็น true หรือ false")
        out["options"], out["answer"] = {}, answer
    else:
        options = rec.get("options")
        if not isinstance(options, dict):
            raise _err(path, rec, f"คำถาม {key}: ต้องมี options เป็นรายการ a: ... b: ... c: ...")
        options = {k: v for k, v in options.items() if k != "__line__"}
        keys = list(options)
        if not 3 <= len(keys) <= 5 or keys != list(OPTION_KEYS[: len(keys)]):
            raise _err(path, rec, f"คำถาม {key}: ตัวเลือกต้องมี 3–5 ข้อ เรียงเป็น a, b, c, d, e")
        for k, v in options.items():
            if not isinstance(v, str) or not v.strip():
                raise _err(path, rec, f"คำถาม {key}: ตัวเลือก {k} ต้องเป็นข้อความที่ไม่ว่าง")
        texts = [squash(v) for v in options.values()]
        if len(set(texts)) != len(texts):
            raise _err(path, rec, f"คำถาม {key}: มีตัวเลือกที่ข้อความซ้ำกัน")
        if answer not in options:
            raise _err(path, rec, f"คำถาม {key}: answer ต้องเป็นหนึ่งในตัวเลือก ({', '.join(keys)})")
        out["options"], out["answer"] = {k: v.strip() for k, v in options.items()}, answer
    out["source"] = _text(path, rec, "source")
    problem = check_source(out["source"], published=out["status"] == "published", **target)
    if problem:
        raise _err(path, rec, f"คำถาม {key}: {problem}")
    return out


def _parse_form(path, rec, question_keys):
    unknown = [k for k in rec if k not in FORM_KEYS and k != "__line__"]
    if unknown:
        raise _err(path, rec, f"ไม่รู้จักคีย์ '{unknown[0]}' (ใช้ได้: {', '.join(FORM_KEYS)})")
    key = _text(path, rec, "key")
    if not SLUG.match(key):
        raise _err(path, rec, f"key '{key}' ต้องเป็นอักษรอังกฤษตัวเล็ก ตัวเลข และขีด (-) เท่านั้น")
    out = {"key": key, "title": _text(path, rec, "title"), "_where": (str(path), rec["__line__"])}
    if rec.get("kind") not in FORM_KINDS:
        raise _err(path, rec, f"แบบทดสอบ {key}: kind ต้องเป็น pre, post หรือ staff")
    out["kind"] = rec["kind"]
    if rec.get("mode") not in ("fixed", "blueprint"):
        raise _err(path, rec, f"แบบทดสอบ {key}: mode ต้องเป็น fixed (กำหนดข้อ) หรือ blueprint (ผังข้อสอบ)")
    out["mode"] = rec["mode"]
    pass_mark = rec.get("pass_mark")
    if not isinstance(pass_mark, int) or isinstance(pass_mark, bool) or not 0 <= pass_mark <= 100:
        raise _err(path, rec, f"แบบทดสอบ {key}: pass_mark ต้องเป็นจำนวนเต็ม 0–100 (ร้อยละ)")
    out["pass_mark"] = pass_mark
    limit = rec.get("time_limit")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit <= 0):
        raise _err(path, rec, f"แบบทดสอบ {key}: time_limit ต้องเป็นจำนวนนาทีที่มากกว่า 0 หรือไม่ใส่เลยถ้าไม่จำกัดเวลา")
    out["time_limit"] = limit
    out["parallel_to"] = rec.get("parallel_to") or ""
    if out["mode"] == "fixed":
        if "blueprint" in rec:
            raise _err(path, rec, f"แบบทดสอบ {key}: แบบกำหนดข้อ (fixed) ใช้ questions ไม่ใช่ blueprint")
        questions = rec.get("questions")
        if not isinstance(questions, list) or not questions:
            raise _err(path, rec, f"แบบทดสอบ {key}: ต้องมี questions เป็นรายการรหัสคำถาม")
        for q in questions:
            if q not in question_keys:
                raise _err(path, rec, f"แบบทดสอบ {key}: ไม่พบคำถามรหัส '{q}' ในคลังคำถาม")
        if len(set(questions)) != len(questions):
            raise _err(path, rec, f"แบบทดสอบ {key}: มีรหัสคำถามซ้ำกัน")
        out["questions"], out["blueprint"] = questions, {}
    else:
        if "questions" in rec:
            raise _err(path, rec, f"แบบทดสอบ {key}: แบบผังข้อสอบ (blueprint) ใช้ blueprint ไม่ใช่ questions")
        blueprint = rec.get("blueprint")
        if not isinstance(blueprint, dict) or len(blueprint) <= 1:
            raise _err(path, rec, f"แบบทดสอบ {key}: ต้องมี blueprint เช่น {{1: 2, 2: 2, report: 1}} (หมวด: จำนวนข้อ)")
        rules = {}
        for section, count in blueprint.items():
            if section == "__line__":
                continue
            section = str(section)
            if not (section == REPORT_SECTION or section.isdigit()):
                raise _err(path, rec, f"แบบทดสอบ {key}: หมวด '{section}' ต้องเป็นเลขหมวด หรือ report")
            if not isinstance(count, int) or isinstance(count, bool) or count <= 0:
                raise _err(path, rec, f"แบบทดสอบ {key}: จำนวนข้อของหมวด {section} ต้องเป็นจำนวนเต็มที่มากกว่า 0")
            rules[section] = count
        out["blueprint"], out["questions"] = rules, []
    return out


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
    questions, where = [], {}
    for report_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        report = _knowledge(report_dir.name, report_dir)
        for path in sorted(report_dir.glob("*.yaml")):
            chapter = _check_file_name(path, report)
            for rec in _load_yaml_list(path):
                q = _parse_question(path, rec, report, chapter)
                if q["key"] in where:
                    raise _err(path, rec, f"รหัสคำถาม '{q['key']}' ซ้ำกับ {where[q['key']][0]} บรรทัด {where[q['key']][1]}")
                where[q["key"]] = q["_where"]
                questions.append(q)
    forms = []
    forms_file = root / "forms.yaml"
    if forms_file.exists():
        seen = {}
        for rec in _load_yaml_list(forms_file):
            form = _parse_form(forms_file, rec, where)
            if form["key"] in seen:
                raise _err(forms_file, rec, f"รหัสแบบทดสอบ '{form['key']}' ซ้ำกับบรรทัด {seen[form['key']]}")
            seen[form["key"]] = rec["__line__"]
            forms.append(form)
        for form in forms:
            if form["parallel_to"] and form["parallel_to"] not in seen:
                raise ContentError(forms_file, form["_where"][1],
                                   f"แบบทดสอบ {form['key']}: parallel_to '{form['parallel_to']}' ไม่พบในไฟล์นี้")
        published = {q["key"] for q in questions if q["status"] == "published"}
        by_section = {}
        for q in questions:
            if q["status"] == "published":
                section = str(q["item"].chapter.number) if q["item"] else REPORT_SECTION
                by_section[section] = by_section.get(section, 0) + 1
        for form in forms:
            for qkey in form["questions"]:
                if qkey not in published:
                    raise ContentError(forms_file, form["_where"][1],
                                       f"แบบทดสอบ {form['key']}: คำถาม '{qkey}' ยังเป็นฉบับร่าง ใช้ในแบบทดสอบไม่ได้")
            for section, count in form["blueprint"].items():
                if by_section.get(section, 0) < count:
                    raise ContentError(forms_file, form["_where"][1],
                                       f"แบบทดสอบ {form['key']}: หมวด {section} มีคำถามที่เผยแพร่ {by_section.get(section, 0)} ข้อ "
                                       f"น้อยกว่าที่ผังข้อสอบต้องการ ({count} ข้อ)")
    return {"questions": questions, "forms": forms}


@transaction.atomic
def load_bank(bank: dict, user=None) -> dict:
    """Write a validated bank: create or update each question (a new QuestionVersion only
    when its content changed) and each form. Questions and forms not in the files are
    left as they are (answers refer to them); retire a question with `status: draft`."""
    counts = {"questions": 0, "new_versions": 0, "forms": 0, "changed": 0}
    for rec in bank["questions"]:
        q = Question.objects.filter(key=rec["key"]).first() or Question(key=rec["key"])
        values = {"kind": rec["kind"], "text": rec["text"], "item": rec["item"], "field": rec["field"],
                  "source": rec["source"], "explanation": rec["explanation"], "difficulty": rec["difficulty"],
                  "status": rec["status"], "tf_answer": rec["answer"] if rec["kind"] == "tf" else None}
        if q.pk is None or any(getattr(q, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(q, k, v)
            q.save()
            counts["changed"] += 1
        wanted = {k: (t, k == rec["answer"]) for k, t in rec["options"].items()}
        current = {o.key: o for o in q.options.all()}
        for k, o in current.items():
            if k not in wanted:
                o.delete()
        for k, (text, correct) in wanted.items():
            o = current.get(k)
            if o is None:
                Option.objects.create(question=q, key=k, text=text, correct=correct)
            elif (o.text, o.correct) != (text, correct):
                o.text, o.correct = text, correct
                o.save()
        before = q.version
        q.snapshot(user)
        counts["new_versions"] += q.version != before
        counts["questions"] += 1
    chapters = {str(c.number): c for c in Chapter.objects.all()}
    forms = {}
    for rec in bank["forms"]:
        form = TestForm.objects.filter(key=rec["key"]).first() or TestForm(key=rec["key"])
        fields = ("title", "kind", "mode", "pass_mark", "time_limit")
        if form.pk is None or any(getattr(form, k) != rec[k] for k in fields):
            for k in fields:
                setattr(form, k, rec[k])
            form.save()
            counts["changed"] += 1
        forms[rec["key"]] = form
        keys = rec["questions"]
        by_key = {q.key: q for q in Question.objects.filter(key__in=keys)}
        if [fq.question.key for fq in form.form_questions.select_related("question")] != keys:
            form.form_questions.all().delete()
            counts["changed"] += 1
            FormQuestion.objects.bulk_create(
                [FormQuestion(form=form, question=by_key[k], order=n) for n, k in enumerate(keys, start=1)])
        wanted_rules = sorted(((chapters.get(s) if s != REPORT_SECTION else None, n) for s, n in rec["blueprint"].items()),
                              key=lambda r: (r[0] is None, r[0].number if r[0] else 0))
        if [(r.chapter, r.count) for r in sorted_rules(form)] != wanted_rules:
            form.rules.all().delete()
            counts["changed"] += 1
            BlueprintRule.objects.bulk_create([BlueprintRule(form=form, chapter=c, count=n) for c, n in wanted_rules])
        counts["forms"] += 1
    for rec in bank["forms"]:
        parallel = forms.get(rec["parallel_to"]) if rec["parallel_to"] else None
        if forms[rec["key"]].parallel_to_id != (parallel.pk if parallel else None):
            forms[rec["key"]].parallel_to = parallel
            forms[rec["key"]].save(update_fields=["parallel_to"])
            counts["changed"] += 1
    if counts["changed"] or counts["new_versions"]:
        from accounts.models import audit

        audit("questions.import", actor=user, message=f"นำเข้าคลังคำถาม {counts['questions']} ข้อ แบบทดสอบ {counts['forms']} ชุด",
          **counts)
    return counts


# --- writing -----------------------------------------------------------------------------

def sorted_rules(form):
    """A blueprint's rules in chapter order, the KM report questions last."""
    rules = form.rules.select_related("chapter")
    return sorted(rules, key=lambda r: (r.chapter_id is None, r.chapter.number if r.chapter_id else 0))


def question_record(q: Question) -> dict:
    rec = {"key": q.key}
    if q.item_id:
        rec["item"] = q.item.slug
    else:
        rec["field"] = q.field.key
    rec.update({"kind": q.kind, "difficulty": DIFFICULTY_NAMES[q.difficulty], "status": q.status, "text": q.text})
    if q.kind == Question.TRUE_FALSE:
        rec["answer"] = bool(q.tf_answer)
    else:
        options = list(q.options.all())
        rec["options"] = {o.key: o.text for o in options}
        rec["answer"] = next((o.key for o in options if o.correct), "")
    rec["source"] = q.source
    if q.explanation:
        rec["explanation"] = q.explanation
    return rec


def form_record(form: TestForm) -> dict:
    rec = {"key": form.key, "title": form.title, "kind": form.kind, "mode": form.mode, "pass_mark": form.pass_mark}
    if form.time_limit:
        rec["time_limit"] = form.time_limit
    if form.parallel_to_id and form.parallel_to.key:
        rec["parallel_to"] = form.parallel_to.key
    if form.mode == TestForm.FIXED:
        rec["questions"] = [fq.question.key for fq in form.form_questions.select_related("question")]
    else:
        rec["blueprint"] = {r.section: r.count for r in sorted_rules(form)}
    return rec


def bank_files() -> dict:
    """{relative path: text} of the whole bank in the content format."""
    files = {}
    questions = Question.objects.select_related("item__chapter__report", "field__report").prefetch_related("options")
    groups = {}
    for q in questions.order_by("id"):
        if not (q.item_id or q.field_id):
            continue  # what it tested was removed; it stays in the database as a draft
        if q.item_id:
            ch = q.item.chapter
            name = f"{ch.report.slug}/{ch.number:02d}-{ch.slug}.yaml"
        else:
            name = f"{q.field.report.slug}/report.yaml"
        groups.setdefault(name, []).append(question_record(q))
    for name in sorted(groups):
        files[name] = "\n".join(dump_yaml([rec]) for rec in groups[name])
    forms = [form_record(f) for f in TestForm.objects.exclude(key=None).exclude(key="").order_by("id")]
    if forms:
        files["forms.yaml"] = "\n".join(dump_yaml([rec]) for rec in forms)
    return files


def write_bank(root) -> list:
    root = Path(root)
    written = []
    for name, text in bank_files().items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
