"""The bank check: the shipped bank passes every rule; a bank that breaks one rule is
caught by that rule (bad banks built in the test database or in a copy of the files); the
loader refuses a form that claims to parallel another with a different blueprint; editors
read the same check in the admin."""
import shutil

import pytest
from django.urls import reverse

from assessments.bankcheck import check_bank, uniquely_longest
from assessments.models import FormQuestion, Option, Question, TestForm

from .helpers import CONTENT
from .test_question_bank import assert_rejected, line_of, replace_in

pytestmark = pytest.mark.django_db


def test_the_shipped_bank_passes_every_rule():
    report = check_bank()
    assert report.violations == []
    assert report.published >= 100
    assert 0.40 <= report.tf_true_share <= 0.60
    assert report.longest_share <= 0.35
    assert sum(report.key_letters.values()) == report.mc_total
    # No letter is the key of more than half the multiple-choice questions.
    assert max(report.key_letters.values()) <= report.mc_total / 2
    forms = {f["key"]: f for f in report.forms}
    assert forms["volunteer-post-b"]["parallel_to"] and forms["volunteer-post-b"]["problem"] is None
    assert forms["volunteer-pre-a"]["blueprint"] == forms["volunteer-post-b"]["blueprint"]


def test_uniquely_longest_means_longer_than_every_other_option():
    assert uniquely_longest({"a": "ยาวกว่าข้ออื่นมาก", "b": "สั้น", "c": "สั้นด้วย"}, "a")
    assert not uniquely_longest({"a": "ยาวเท่า", "b": "ยาวเท่า!", "c": "สั้น"}, "a")
    assert not uniquely_longest({"a": "ยาวเท่ากัน", "b": "ยาวเท่ากัน", "c": "สั้น"}, "a")


def test_true_false_keyed_true_too_often_is_caught():
    Question.objects.filter(kind=Question.TRUE_FALSE).update(tf_answer=True)
    report = check_bank()
    assert report.rules() == {"tf_balance"}
    assert report.tf_true_share == 1
    assert "ร้อยละ ๔๐–๖๐" in report.violations[0].message


def test_keyed_option_longest_too_often_is_caught():
    for option in Option.objects.filter(correct=True, question__status=Question.PUBLISHED):
        option.text += " ซึ่งเป็นไปตามที่ระเบียบกำหนดไว้ทุกประการโดยละเอียด"
        option.save()
    report = check_bank()
    assert report.rules() == {"longest"}
    assert report.longest_share > 0.9
    assert "ไม่เกินร้อยละ ๓๕" in report.violations[0].message


def test_forms_that_claim_to_be_parallel_but_differ_are_caught():
    post = TestForm.objects.get(key="volunteer-post-b")
    row = FormQuestion.objects.get(form=post, question__key="definition-all-three")
    row.question = Question.objects.get(key="definition-not-yet-registered")  # same chapter, hard not medium
    row.save()
    report = check_bank()
    assert report.rules() == {"parallel"}
    message = report.violations[0].message
    assert "volunteer-post-b" in message and "volunteer-pre-a" in message
    assert "หมวดที่ ๒" in message and "ยาก" in message


def test_a_quote_not_in_its_item_is_caught():
    Question.objects.filter(key="qualifications-nationality").update(source="มีสัญชาติไทยหรือสัญชาติอื่น")
    report = check_bank()
    assert report.rules() == {"source"}
    assert "qualifications-nationality" in report.violations[0].message


def test_a_question_on_a_flagged_passage_is_caught():
    # A line of the item marked "(… รอตรวจสอบ)".
    Question.objects.filter(key="qualifications-literacy").update(
        source="สมจริตใจ และมีความพร้อมในการปฏิบัติหน้าที่")
    # A passage the item's review note quotes as uncertain.
    Question.objects.filter(key="bangkok-committee-chair").update(
        source="ผู้แทน อพม. (๑ ใน ๗ คน) เป็นกรรมการและผู้ช่วยเลขานุการ")
    report = check_bank()
    assert report.rules() == {"flagged"}
    flagged = " ".join(v.message for v in report.violations)
    assert "qualifications-literacy" in flagged and "bangkok-committee-chair" in flagged


def test_a_draft_may_quote_anything_the_check_reads_only_published_questions():
    Question.objects.filter(key="qualifications-nationality").update(source="ไม่มีในเรื่องนี้", status=Question.DRAFT)
    assert check_bank().ok


@pytest.fixture
def bank_copy(tmp_path):
    copy = tmp_path / "questions"
    shutil.copytree(CONTENT / "questions", copy)
    return copy


def test_the_loader_refuses_a_form_that_is_not_parallel_to_the_one_it_names(bank_copy):
    forms = bank_copy / "forms.yaml"
    replace_in(forms, "  - definition-all-three\n", "  - definition-not-yet-registered\n")
    # A valid change elsewhere in the bank, which must not be stored either.
    replace_in(bank_copy / "regulation-2564" / "02-volunteers.yaml",
               "text: อพม. ย่อมาจากอะไร", "text: อพม. ย่อมาจากคำว่าอะไร")
    before = list(FormQuestion.objects.filter(form__key="volunteer-post-b").values_list("question__key", flat=True))
    assert_rejected(bank_copy, "ระบุว่าเป็นฉบับคู่ขนานของ volunteer-pre-a แต่จำนวนข้อต่อหมวดและระดับความยากไม่ตรงกัน",
                    forms, line_of(forms, "key: volunteer-post-b"))
    after = list(FormQuestion.objects.filter(form__key="volunteer-post-b").values_list("question__key", flat=True))
    assert after == before


def test_the_loader_takes_a_parallel_form_with_the_same_blueprint(bank_copy):
    # Another medium question of chapter 2 in place of one: the blueprint stays the same.
    medium = (Question.objects.filter(status=Question.PUBLISHED, chapter__number=2, difficulty=Question.MEDIUM)
              .exclude(form_questions__isnull=False).values_list("key", flat=True).first())
    assert medium
    replace_in(bank_copy / "forms.yaml", "  - definition-all-three\n", f"  - {medium}\n")
    from django.core.management import call_command

    call_command("loadquestions", str(bank_copy), verbosity=0)
    assert check_bank().ok


def test_editors_read_the_check_in_the_admin(editor_client):
    changelist = editor_client.get(reverse("admin:assessments_question_changelist")).content.decode()
    url = reverse("admin:assessments_question_bankcheck")
    assert url in changelist and "ตรวจคุณภาพคลังคำถาม" in changelist
    page = editor_client.get(url).content.decode()
    assert "ผ่านทุกเกณฑ์" in page
    assert "คำถามถูก/ผิดที่เฉลยว่า “ถูก”" in page and "ร้อยละ ๔๐–๖๐" in page
    assert "แบบทดสอบก่อนอบรม อพม. ชุด ก" in page and "ตรงกัน" in page
    assert "หมวดที่ ๑ ง่าย ๑" in page


def test_the_admin_report_names_what_fails(editor_client):
    Question.objects.filter(kind=Question.TRUE_FALSE).update(tf_answer=False)
    page = editor_client.get(reverse("admin:assessments_question_bankcheck")).content.decode()
    assert "ผ่านทุกเกณฑ์" not in page
    assert "ร้อยละ ๐" in page


def test_the_check_page_is_for_staff_only(client):
    response = client.get(reverse("admin:assessments_question_bankcheck"))
    assert response.status_code == 302
