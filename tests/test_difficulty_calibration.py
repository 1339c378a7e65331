"""Difficulty labels calibrated from data: from 20 answers on, the share right proposes a
label (≥ 70 % easy, 40–70 % medium, < 40 % hard); the item analysis and the question list
show it; editors accept it with an admin action that makes a new version and an audit line."""
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import AuditEvent
from assessments.bankflags import MIN_ANSWERS_FOR_DIFFICULTY, proposed_difficulty, question_flags
from assessments.models import Answer, Attempt, Question, TestForm
from reports.item_analysis import item_analysis_for

pytestmark = pytest.mark.django_db


def answered(questions, right_pattern):
    """One staff attempt per entry of `right_pattern` (a list of booleans per question:
    right or wrong), each answering every question of `questions`."""
    form = TestForm.objects.get(key="staff-regulation")
    user = get_user_model().objects.create_user("staff-calibration")
    for n, rights in enumerate(right_pattern):
        attempt = Attempt.objects.create(form=form, kind="staff", user=user, idempotency_key=f"calibration-{n}",
                                         score=sum(rights), max_score=len(questions), pass_mark=70,
                                         passed=False)
        for position, (q, right) in enumerate(zip(questions, rights, strict=True), start=1):
            version = q.latest_version()
            Answer.objects.create(attempt=attempt, question=q, version=version, position=position,
                                  chosen=version.correct if right else "x", correct=right)
    return Attempt.objects.filter(idempotency_key__startswith="calibration-")


def test_the_rule():
    assert proposed_difficulty(0.95, MIN_ANSWERS_FOR_DIFFICULTY - 1) is None
    assert proposed_difficulty(0.70, 20) == Question.EASY
    assert proposed_difficulty(0.69, 20) == Question.MEDIUM
    assert proposed_difficulty(0.40, 20) == Question.MEDIUM
    assert proposed_difficulty(0.39, 20) == Question.HARD


@pytest.fixture
def two_questions():
    easy_labelled = Question.objects.filter(status="published", difficulty=Question.EASY).order_by("key").first()
    hard_labelled = Question.objects.filter(status="published", difficulty=Question.HARD).order_by("key").first()
    return easy_labelled, hard_labelled


def test_item_analysis_proposes_a_label_once_there_is_enough_data(two_questions):
    easy_labelled, hard_labelled = two_questions
    # 25 people: the "easy" question is answered right by 5 (20 %), the "hard" one by 24 (96 %).
    attempts = answered([easy_labelled, hard_labelled], [(n < 5, n < 24) for n in range(25)])
    items = {it.question.question.key: it for it in item_analysis_for(attempts)["items"]}
    assert items[easy_labelled.key].proposed_difficulty == Question.HARD
    assert items[hard_labelled.key].proposed_difficulty == Question.EASY
    assert items[easy_labelled.key].proposed_difficulty_label == "ยาก"
    few = Attempt.objects.filter(pk__in=list(attempts.values_list("pk", flat=True))[:19])
    assert all(it.proposed_difficulty is None for it in item_analysis_for(few)["items"])


def test_editors_accept_the_proposal_in_the_admin(editor_client, two_questions):
    easy_labelled, hard_labelled = two_questions
    answered([easy_labelled, hard_labelled], [(n < 5, n < 24) for n in range(25)])
    untouched = Question.objects.filter(status="published", difficulty=Question.MEDIUM).order_by("key").first()
    changelist = reverse("admin:assessments_question_changelist")
    page = editor_client.get(changelist).content.decode()
    assert "ระดับความยากตามข้อมูล" in page and "เสนอให้เปลี่ยน" in page
    versions_before = easy_labelled.version
    response = editor_client.post(changelist, {
        "action": "accept_proposed_difficulty",
        "_selected_action": [easy_labelled.pk, hard_labelled.pk, untouched.pk],
    }, follow=True)
    text = response.content.decode()
    assert "ปรับระดับความยากแล้ว ๒ ข้อ" in text
    assert "ข้อมูลยังไม่พอ" in text and untouched.key in text
    easy_labelled.refresh_from_db()
    hard_labelled.refresh_from_db()
    untouched.refresh_from_db()
    assert (easy_labelled.difficulty, hard_labelled.difficulty) == (Question.HARD, Question.EASY)
    assert untouched.difficulty == Question.MEDIUM
    # The change is recorded: a new version with the new label, and who did it, in the audit log.
    assert easy_labelled.version == versions_before + 1
    assert easy_labelled.latest_version().difficulty == Question.HARD
    event = AuditEvent.objects.get(action="questions.calibrate", data__key=easy_labelled.key)
    assert event.actor.username == "editor" and event.data["answers"] == 25
    assert "จากง่ายเป็นยาก" in event.message
    # Stored answers keep the version they answered.
    assert not Answer.objects.filter(question=easy_labelled, version=easy_labelled.latest_version()).exists()
    # Accepting again changes nothing.
    editor_client.post(changelist, {"action": "accept_proposed_difficulty", "_selected_action": [easy_labelled.pk]})
    easy_labelled.refresh_from_db()
    assert easy_labelled.version == versions_before + 1


def test_the_proposal_uses_every_answer_to_the_question(two_questions):
    easy_labelled, _ = two_questions
    answered([easy_labelled], [(n < 15,) for n in range(30)])
    flags = question_flags([easy_labelled.pk])[easy_labelled.pk]
    assert flags.n == 30 and flags.proposed == Question.MEDIUM
