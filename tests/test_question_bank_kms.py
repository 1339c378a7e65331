"""Question banks and trainings of any KM: a test form belongs to one KM; a blueprint draws only
from that KM's chapters and report fields; `loadquestions` attaches each form to its KM (the
site's main KM when the file does not say) and refuses a form that mixes KMs; the trainer picks
a form under its KM's title, and a training runs on a second KM's form as on the seed KM's."""
import re
import shutil
import textwrap

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from assessments import grading
from assessments.models import Attempt, BlueprintRule, FormQuestion, Question, TestForm, TrainingSession
from knowledge.models import Chapter, Item, KMReport, ReportField

from .helpers import CONTENT, correct_answers, join, read_test_page, submit_form

pytestmark = pytest.mark.django_db

MARKET_QUESTIONS = textwrap.dedent("""\
    - key: market-day
      item: market-place
      kind: mc
      difficulty: easy
      status: published
      text: ตลาดนัดชุมชนของ อพม. น่านเปิดวันใด
      options:
        a: วันจันทร์
        b: วันพุธ
        c: วันศุกร์
        d: วันอาทิตย์
      answer: d
      source: ตลาดนัดเปิดทุกวันอาทิตย์ที่ลานวัด

    - key: market-sellers
      item: market-place
      kind: tf
      difficulty: easy
      status: published
      text: ผู้ค้าในตลาดนัดชุมชนเป็นผู้สูงอายุในหมู่บ้าน
      answer: true
      source: ผู้ค้าเป็นผู้สูงอายุในหมู่บ้าน
    """)
MARKET_REPORT_QUESTIONS = textwrap.dedent("""\
    - key: market-topic
      field: topic
      kind: tf
      difficulty: easy
      status: published
      text: KM ของ พมจ.น่าน ว่าด้วยตลาดนัดชุมชน
      answer: true
      source: ตลาดนัดชุมชนสร้างรายได้ให้ผู้สูงอายุ
    """)
MARKET_FORMS = textwrap.dedent("""\

    - key: market-pre
      title: แบบทดสอบก่อนอบรม ตลาดนัดชุมชน น่าน
      km: market-nan
      kind: pre
      mode: blueprint
      pass_mark: 50
      blueprint:
        '1': 2
        report: 1

    - key: seed-report-quiz
      title: แบบทดสอบเรื่องรายงาน KM ระเบียบฯ
      km: regulation-2564
      kind: staff
      mode: blueprint
      pass_mark: 60
      blueprint:
        report: {seed_report}
    """)


@pytest.fixture
def market():
    """A second KM, published: ตลาดนัดชุมชน of the Nan office, one chapter (number 1, as the
    seed KM's first chapter) with one item, and its topic field."""
    report = KMReport.objects.create(slug="market-nan", title="ตลาดนัดชุมชนกับงาน อพม. น่าน", unit="พมจ.น่าน")
    ReportField.objects.create(report=report, key="topic", title="ประเด็นความรู้", section=2,
                               body="ตลาดนัดชุมชนสร้างรายได้ให้ผู้สูงอายุ")
    chapter = Chapter.objects.create(report=report, number=1, slug="market", title="ตลาดนัด")
    Item.objects.create(chapter=chapter, slug="market-place", title="ตลาดนัดชุมชน", order=1, status=Item.PUBLISHED,
                        body="ตลาดนัดเปิดทุกวันอาทิตย์ที่ลานวัด ผู้ค้าเป็นผู้สูงอายุในหมู่บ้าน")
    return report


def seed_report_questions():
    return Question.objects.filter(status=Question.PUBLISHED, field__report__slug="regulation-2564").count()


@pytest.fixture
def bank(market, tmp_path):
    """The seed bank plus the second KM's questions and forms, loaded with loadquestions."""
    root = tmp_path / "questions"
    shutil.copytree(CONTENT / "questions", root)
    (root / "market-nan").mkdir()
    (root / "market-nan" / "01-market.yaml").write_text(MARKET_QUESTIONS, encoding="utf-8")
    (root / "market-nan" / "report.yaml").write_text(MARKET_REPORT_QUESTIONS, encoding="utf-8")
    with (root / "forms.yaml").open("a", encoding="utf-8") as forms:
        forms.write(MARKET_FORMS.format(seed_report=seed_report_questions()))
    call_command("loadquestions", str(root), verbosity=0)
    grading.clear_caches()
    return root


def test_existing_forms_belong_to_the_seed_km():
    assert set(TestForm.objects.values_list("report__slug", flat=True)) == {"regulation-2564"}


def test_a_second_kms_questions_never_enter_the_seed_kms_forms(bank):
    market_keys = {"market-day", "market-sellers", "market-topic"}
    seed_quiz = TestForm.objects.get(key="seed-report-quiz")
    assert seed_quiz.report.slug == "regulation-2564"
    staff = TestForm.objects.get(key="staff-regulation")
    for n in range(20):
        for form in (seed_quiz, staff):
            drawn = set(Question.objects.filter(versions__in=grading.draw(form, f"s{n}"))
                        .values_list("key", flat=True))
            assert drawn and not drawn & market_keys
    # The report rule drew every seed report question and nothing else.
    drawn = grading.draw(seed_quiz, "once")
    assert len(drawn) == seed_report_questions()


def test_the_second_kms_form_draws_from_its_own_chapters(bank, market):
    form = TestForm.objects.get(key="market-pre")
    assert form.report == market
    assert {r.chapter.report_id for r in BlueprintRule.objects.filter(form=form, chapter__isnull=False)} == {market.pk}
    drawn = set(Question.objects.filter(versions__in=grading.draw(form, "x")).values_list("key", flat=True))
    assert drawn == {"market-day", "market-sellers", "market-topic"}


def test_a_form_that_mixes_kms_is_refused_in_thai(market, tmp_path):
    root = tmp_path / "questions"
    shutil.copytree(CONTENT / "questions", root)
    (root / "market-nan").mkdir()
    (root / "market-nan" / "01-market.yaml").write_text(MARKET_QUESTIONS, encoding="utf-8")
    forms = root / "forms.yaml"
    forms.write_text(forms.read_text(encoding="utf-8").replace("  - centres-levels\n",
                                                               "  - centres-levels\n  - market-day\n"),
                     encoding="utf-8")
    before = TestForm.objects.get(key="volunteer-post-b").form_questions.count()
    with pytest.raises(CommandError, match="คำถาม 'market-day' เป็นคำถามของ KM อื่น"):
        call_command("loadquestions", str(root), verbosity=0)
    assert TestForm.objects.get(key="volunteer-post-b").form_questions.count() == before
    assert not Question.objects.filter(key="market-day").exists()


def test_the_trainer_picks_forms_under_their_kms_title_and_runs_a_second_kms_training(bank, desk, unit):
    page = desk.get("/trainer/new/").content.decode()
    groups = re.findall(r'<optgroup label="([^"]+)"', page)
    assert "ระเบียบฯ อพม. พ.ศ. ๒๕๖๔ ที่ควรรู้" in groups[0] and "ตลาดนัดชุมชนกับงาน อพม. น่าน" in groups

    form = TestForm.objects.get(key="market-pre")
    response = desk.post("/trainer/new/", {
        "title": "อบรมตลาดนัดชุมชน", "unit": unit.pk, "pre_form": form.pk, "post_form": form.pk,
        "date_day": 2, "date_month": 3, "date_year": 2026, "time_limit": 15, "pass_mark": 50,
        "reveal": "after_close", "ask_for": "name"})
    assert response.status_code == 302, response.content.decode()[:500]
    session = TrainingSession.objects.get(title="อบรมตลาดนัดชุมชน")
    session.set_phase("pre", "open")

    phone = Client()
    join(phone, session)
    test = read_test_page(phone, session)
    assert "ตลาดนัดชุมชนของ อพม. น่านเปิดวันใด" in test["html"]
    assert len(test["questions"]) == 3
    answers = correct_answers(test["questions"])
    submit_form(phone, session, test, answers)
    attempt = Attempt.objects.get(participant__session=session)
    assert (attempt.score, attempt.max_score) == (3, 3)


def test_the_admin_shows_each_forms_km(bank, editor_client):
    page = editor_client.get("/admin/assessments/testform/").content.decode()
    assert "ตลาดนัดชุมชนกับงาน อพม. น่าน" in page and "ระเบียบฯ อพม. พ.ศ. ๒๕๖๔ ที่ควรรู้" in page


def test_a_dump_names_each_forms_km(bank, tmp_path):
    call_command("dumpquestions", str(tmp_path / "dump"), verbosity=0)
    forms = (tmp_path / "dump" / "forms.yaml").read_text(encoding="utf-8")
    assert "key: market-pre\n  title: แบบทดสอบก่อนอบรม ตลาดนัดชุมชน น่าน\n  km: market-nan\n" in forms
    assert forms.count("km: regulation-2564") == 4


def test_a_form_edited_in_the_admin_keeps_to_its_km(bank, market):
    seed_form = TestForm.objects.get(key="volunteer-pre-a")
    rule = BlueprintRule(form=seed_form, chapter=market.chapters.get(), count=1)
    with pytest.raises(ValidationError, match="หมวดนี้ไม่ได้อยู่ใน KM ของแบบทดสอบ"):
        rule.full_clean()
    for key in ("market-day", "market-topic"):
        line = FormQuestion(form=seed_form, question=Question.objects.get(key=key), order=99)
        with pytest.raises(ValidationError, match="คำถามนี้เป็นของ KM อื่น"):
            line.full_clean()
    FormQuestion(form=TestForm.objects.get(key="market-pre"), question=Question.objects.get(key="market-day"),
                 order=1).full_clean()
