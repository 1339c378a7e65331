"""The seed question bank: every question quotes its item, covers the regulation and the
KM report, avoids uncertain passages; loading is all-or-nothing with Thai errors naming
file and line, idempotent, and a dump gives back the same bytes."""
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from assessments.models import Question, QuestionVersion, TestForm
from assessments.question_sources import certain_text, review_passages, squash
from knowledge.models import Chapter, Item, ReportField
from knowledge.render import plain_text
from volunteerkm.thai import normalize

from .helpers import CONTENT

pytestmark = pytest.mark.django_db
QUESTIONS = CONTENT / "questions"


def all_entries():
    """(file, entry) for every question in the seed files, read straight from disk."""
    out = []
    for path in sorted((QUESTIONS / "regulation-2564").glob("*.yaml")):
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
            out.append((path, entry))
    return out


def test_the_seed_bank_is_big_enough_and_covers_every_chapter_and_the_report():
    published = Question.objects.filter(status=Question.PUBLISHED)
    assert published.count() >= 60
    chapters = set(published.exclude(chapter=None).values_list("chapter__number", flat=True))
    assert chapters == set(Chapter.objects.values_list("number", flat=True)) == {1, 2, 3, 4, 5, 6, 7}
    assert published.filter(field__isnull=False).count() >= 5
    # Both kinds and all three difficulties are used.
    assert set(published.values_list("kind", flat=True)) == {"mc", "tf"}
    assert set(published.values_list("difficulty", flat=True)) == {1, 2, 3}
    # Every item the regulation has is tested by at least one question, except those
    # whose whole text is still awaiting review.
    for item in Item.objects.published():
        if certain_text(item.body).strip():
            assert item.questions.exists() or item.slug == "compensation", item.slug


def test_every_question_quotes_the_text_of_the_item_it_tests():
    for path, entry in all_entries():
        if "item" in entry:
            chapter_slug = path.stem.split("-", 1)[1]
            item = Item.objects.get(chapter__slug=chapter_slug, slug=entry["item"])
            title, body, review = item.title, item.body, item.review
        else:
            field = ReportField.objects.get(key=entry["field"])
            title, body, review = field.title, field.body, ""
        text = plain_text(title + "\n\n" + body)
        quote = squash(entry["source"])
        assert quote in squash(text), f"{path.name} {entry['key']}: ไม่พบข้อความอ้างอิงในเนื้อหา"
        # Not taken from a line marked as awaiting review, nor a passage the review note quotes.
        assert quote in squash(title + " " + certain_text(body)), entry["key"]
        for passage in review_passages(review):
            assert passage not in normalize(quote) and normalize(quote) not in passage, entry["key"]


def test_every_question_is_well_formed():
    for q in Question.objects.prefetch_related("options"):
        options, correct = q.content_options()
        if q.kind == Question.MULTIPLE_CHOICE:
            assert 3 <= len(options) <= 5, q.key
            assert sum(o.correct for o in q.options.all()) == 1, q.key
            texts = [t for _, t in options]
            assert len(set(texts)) == len(texts), q.key
        else:
            assert q.tf_answer is not None and not q.options.exists(), q.key
        assert correct in [k for k, _ in options]
        assert q.text.strip() and q.source.strip()
        # The latest version holds exactly what the question holds now.
        v = q.latest_version()
        assert (v.text, v.correct, v.options) == (q.text, correct, [{"key": k, "text": t} for k, t in options])


def test_seed_forms_are_loaded():
    keys = ("volunteer-pre-a", "volunteer-post-b", "staff-regulation")
    pre, post, staff = (TestForm.objects.get(key=k) for k in keys)
    assert pre.form_questions.count() == post.form_questions.count() == 14
    assert post.parallel_to == pre
    # Parallel forms share no question and cover the same chapters equally.
    pre_q = set(pre.questions.values_list("key", flat=True))
    assert not pre_q & set(post.questions.values_list("key", flat=True))
    for form in (pre, post):
        counts = {}
        for number in form.questions.values_list("chapter__number", flat=True):
            counts[number] = counts.get(number, 0) + 1
        assert counts == {n: 2 for n in range(1, 8)}
    assert staff.mode == TestForm.BLUEPRINT and sum(r.count for r in staff.rules.all()) == 20


def test_loading_again_changes_nothing(tmp_path):
    versions = QuestionVersion.objects.count()
    stamps = dict(Question.objects.values_list("key", "updated_at"))
    call_command("loadquestions", str(QUESTIONS), verbosity=0)
    assert QuestionVersion.objects.count() == versions
    assert dict(Question.objects.values_list("key", "updated_at")) == stamps


def test_dump_writes_back_the_same_files(tmp_path):
    call_command("dumpquestions", str(tmp_path / "dump"), verbosity=0)
    dumped = {p.relative_to(tmp_path / "dump"): p.read_bytes() for p in (tmp_path / "dump").rglob("*.yaml")}
    source = {p.relative_to(QUESTIONS): p.read_bytes() for p in QUESTIONS.rglob("*.yaml")}
    assert set(dumped) == set(source)
    for path in source:
        assert dumped[path] == source[path], f"{path} เปลี่ยนไปหลังนำเข้าแล้วเขียนออก"


def replace_in(path: Path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle):
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1) if needle in line)


def assert_rejected(bank, message_part, path=None, line=None):
    before = (Question.objects.count(), QuestionVersion.objects.count(),
              dict(Question.objects.values_list("key", "text")))
    with pytest.raises(CommandError) as exc:
        call_command("loadquestions", str(bank), verbosity=0)
    text = str(exc.value)
    assert "นำเข้าไม่สำเร็จ ไม่มีการเปลี่ยนแปลงข้อมูล" in text
    assert message_part in text, text
    if path is not None:
        assert str(path) in text
    if line is not None:
        assert f"บรรทัด {line}" in text, text
    after = (Question.objects.count(), QuestionVersion.objects.count(),
             dict(Question.objects.values_list("key", "text")))
    assert after == before


def test_a_quote_not_in_the_item_is_rejected_naming_file_and_line(bank_copy):
    path = bank_copy / "regulation-2564" / "02-volunteers.yaml"
    # A valid change earlier in the file, which must not be stored either.
    replace_in(path, "text: อพม. ย่อมาจากอะไร", "text: อพม. ย่อมาจากคำว่าอะไร")
    replace_in(path, "source: มีสัญชาติไทย", "source: มีสัญชาติไทยหรือสัญชาติอื่น")
    assert_rejected(bank_copy, "ข้อความอ้างอิง (source) ไม่พบในเนื้อหา", path,
                    line_of(path, "key: qualifications-nationality"))


def test_a_quote_from_an_uncertain_passage_is_rejected(bank_copy):
    path = bank_copy / "regulation-2564" / "02-volunteers.yaml"
    replace_in(path, "source: สามารถอ่านออกเขียนได้", "source: สมจริตใจ และมีความพร้อมในการปฏิบัติหน้าที่")
    assert_rejected(bank_copy, "รอตรวจสอบ", path, line_of(path, "key: qualifications-literacy"))


def test_a_quote_the_review_note_calls_uncertain_is_rejected(bank_copy):
    path = bank_copy / "regulation-2564" / "01-committees.yaml"
    # In the Bangkok committee item outside any marked line, but quoted by its review: note.
    replace_in(path, "source: มีรองอธิบดีเป็นประธาน และอธิบดี พส. เป็นที่ปรึกษา",
               "source: ผู้แทน อพม. (๑ ใน ๗ คน) เป็นกรรมการและผู้ช่วยเลขานุการ")
    assert_rejected(bank_copy, "review", path)


@pytest.mark.parametrize("old,new,message", [
    ("answer: b\n  source: อพม. ย่อมาจาก", "answer: e\n  source: อพม. ย่อมาจาก", "answer ต้องเป็นหนึ่งในตัวเลือก"),
    ("item: definition\n  kind: mc", "item: no-such-item\n  kind: mc", "ไม่พบเรื่องความรู้ 'no-such-item'"),
    ("key: definition-ministry", "key: definition-abbreviation", "ซ้ำกับ"),
    ("difficulty: easy", "difficulty: simple", "difficulty ต้องเป็น easy, medium หรือ hard"),
    ("kind: tf", "kind: yesno", "kind ต้องเป็น mc"),
    ("answer: true", "answer: 'ใช่'", "ต้องเป็น true หรือ false"),
    ("    c: สัญชาติของประเทศสมาชิกอาเซียน\n", "", "ตัวเลือกต้องมี 3–5 ข้อ"),
    ("  status: published\n  text: อพม. ย่อมาจากอะไร", "  status: published\n  colour: red\n  text: อพม. ย่อมาจากอะไร",
     "ไม่รู้จักคีย์ 'colour'"),
])
def test_bad_question_files_are_rejected_whole(bank_copy, old, new, message):
    path = bank_copy / "regulation-2564" / "02-volunteers.yaml"
    replace_in(path, old, new)
    assert_rejected(bank_copy, message, path)


def test_malformed_yaml_names_the_line(bank_copy):
    path = bank_copy / "regulation-2564" / "06-ethics.yaml"
    text = path.read_text(encoding="utf-8").split("\n")
    text[5] = text[5] + ": : ["
    path.write_text("\n".join(text), encoding="utf-8")
    assert_rejected(bank_copy, "รูปแบบ YAML ไม่ถูกต้อง", path)


def test_a_form_naming_an_unknown_question_is_rejected(bank_copy):
    path = bank_copy / "forms.yaml"
    replace_in(path, "- centres-levels", "- centres-no-such")
    assert_rejected(bank_copy, "ไม่พบคำถามรหัส 'centres-no-such'", path, line_of(path, "key: volunteer-post-b"))


def test_a_blueprint_asking_for_more_than_the_bank_has_is_rejected(bank_copy):
    path = bank_copy / "forms.yaml"
    replace_in(path, "    '4': 2", "    '4': 40")
    assert_rejected(bank_copy, "น้อยกว่าที่ผังข้อสอบต้องการ", path)


def test_a_file_for_an_unknown_chapter_is_rejected(bank_copy):
    shutil.copy(bank_copy / "regulation-2564" / "06-ethics.yaml", bank_copy / "regulation-2564" / "09-ethics.yaml")
    assert_rejected(bank_copy, "ชื่อไฟล์ต้องเป็น report.yaml หรือ NN-<หมวด>.yaml")


def test_editing_a_file_makes_a_new_version_and_keeps_the_old(bank_copy):
    path = bank_copy / "regulation-2564" / "02-volunteers.yaml"
    q = Question.objects.get(key="qualifications-nationality")
    old_version = q.latest_version()
    replace_in(path, "text: ผู้ที่จะเป็น อพม. ต้องมีสัญชาติใด", "text: ผู้สมัครเป็น อพม. ต้องถือสัญชาติใด")
    call_command("loadquestions", str(bank_copy), verbosity=0)
    q.refresh_from_db()
    assert q.version == old_version.number + 1
    assert q.latest_version().text == "ผู้สมัครเป็น อพม. ต้องถือสัญชาติใด"
    old_version.refresh_from_db()
    assert old_version.text == "ผู้ที่จะเป็น อพม. ต้องมีสัญชาติใด"


def test_removing_an_item_retires_its_questions_and_the_bank_then_names_them(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content, ignore=shutil.ignore_patterns("questions"))
    target = next((content / "km" / "regulation-2564" / "chapters" / "02-volunteers").glob("04-dress.md"))
    target.unlink()
    call_command("loadkm", str(content), verbosity=0)
    retired = Question.objects.filter(key__in=["dress-uniform", "dress-insignia"])
    assert [(q.status, q.item_id) for q in retired] == [(Question.DRAFT, None)] * 2
    # Their versions (what people answered) are kept.
    assert all(q.versions.exists() for q in retired)
    path = QUESTIONS / "regulation-2564" / "02-volunteers.yaml"
    with pytest.raises(CommandError) as exc:
        call_command("loadquestions", str(QUESTIONS), verbosity=0)
    assert "ไม่พบเรื่องความรู้ 'dress'" in str(exc.value)
    assert f"{path} บรรทัด {line_of(path, 'key: dress-uniform')}" in str(exc.value)
