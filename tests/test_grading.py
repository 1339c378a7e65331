"""Grading on submission: totals, per-chapter sub-scores and every answer are stored; a
submission is stored exactly once; tampered, forged, replayed or late submissions are
refused in Thai and store nothing; editing a question never changes a stored result
except through a recorded regrade."""
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from assessments import grading
from assessments.models import Answer, Attempt, Option, Question, QuestionVersion, Regrade, SubScore

from .helpers import correct_answers, join, make_session, read_test_page, submit_form


def api_submit(client, session, ticket, key, answers):
    return client.post(f"/api/assessments/sessions/{session.code}/submit",
                       {"ticket": ticket, "idempotency_key": key, "answers": {str(k): v for k, v in answers.items()}},
                       content_type="application/json")


def stored():
    return (Attempt.objects.count(), Answer.objects.count(), SubScore.objects.count())


def test_grading_stores_total_subscores_and_every_answer(session, phone_client):
    page = read_test_page(phone_client, session)
    answers = correct_answers(page["questions"], wrong=3)
    del answers[page["questions"][-1][0]]  # one left unanswered
    response = submit_form(phone_client, session, page, answers)
    assert response.status_code == 302 and response["Location"] == f"/j/{session.code}/result/pre/"
    attempt = Attempt.objects.get()
    assert (attempt.score, attempt.max_score) == (10, 14)
    assert attempt.kind == "pre" and attempt.session == session and attempt.unit == session.unit
    assert attempt.form == session.pre_form and attempt.participant.name == "สมศรี ใจดี"
    assert attempt.passed is True and attempt.pass_mark == 60  # 10/14 = 71%
    assert attempt.started_at and attempt.submitted_at >= attempt.started_at and not attempt.over_time
    rows = list(attempt.answers.order_by("position"))
    assert len(rows) == 14
    assert sum(a.correct for a in rows) == 10
    unanswered = [a for a in rows if a.chosen == ""]
    assert len(unanswered) == 1 and not unanswered[0].correct
    for a in rows:
        assert a.version.question_id == a.question_id
        assert a.correct == (a.chosen == a.version.correct)
    # Per-chapter sub-scores: the seed pre-test has two questions in each of the 7 chapters.
    subs = {s.section: (s.score, s.max_score) for s in attempt.subscores.all()}
    assert set(subs) == {str(n) for n in range(1, 8)}
    assert all(m == 2 for _, m in subs.values())
    assert sum(s for s, _ in subs.values()) == attempt.score
    for s in attempt.subscores.all():
        assert s.chapter.number == int(s.section)


def test_the_result_page_shows_the_score_and_what_to_read(session, phone_client):
    page = read_test_page(phone_client, session)
    answers = correct_answers(page["questions"], wrong=2)
    submit_form(phone_client, session, page, answers)
    html = phone_client.get(f"/j/{session.code}/result/pre/").content.decode()
    assert "๑๒ / ๑๔ คะแนน" in html and "ไม่มีผ่านหรือไม่ผ่าน" in html and "ผ่านเกณฑ์" not in html
    # Neighbours are still answering: the score shows, the answers wait for the close.
    assert "คำตอบที่ถูก:" not in html and "เฉลยจะแสดงที่นี่เมื่อผู้จัดอบรมปิดแบบทดสอบ" in html
    waiting = phone_client.get(f"/j/{session.code}/result/pre/", HTTP_X_POLL="1").content.decode()
    assert "data-poll=" in waiting and "คำตอบที่ถูก:" not in waiting
    session.set_phase("pre", "close")
    revealed = phone_client.get(f"/j/{session.code}/result/pre/", HTTP_X_POLL="1").content.decode()
    assert revealed.count("คำตอบที่ถูก:") == 2 and "data-poll=" not in revealed
    html = phone_client.get(f"/j/{session.code}/result/pre/").content.decode()
    assert html.count("คำตอบที่ถูก:") == 2
    assert html.count("อ่านเรื่อง “") == 2
    wrong = Attempt.objects.get().answers.filter(correct=False).select_related("version__item__chapter__report")
    for a in wrong:
        assert a.version.item.get_absolute_url() in html
        assert a.version.option_text(a.version.correct) in html
    assert "คะแนนรายหมวด" in html and "หมวดที่ ๑" in html


def test_a_retry_with_the_same_key_is_stored_once(session, phone_client):
    page = read_test_page(phone_client, session)
    answers = correct_answers(page["questions"])
    first = api_submit(phone_client, session, page["ticket"], page["key"], answers)
    assert first.status_code == 200 and first.json()["replayed"] is False
    before = stored()
    for _ in range(3):
        again = api_submit(phone_client, session, page["ticket"], page["key"], answers)
        assert again.status_code == 200 and again.json()["replayed"] is True
        assert again.json()["attempt_id"] == first.json()["attempt_id"]
    # The no-JavaScript form posting the same thing is acknowledged the same way.
    assert submit_form(phone_client, session, page, answers).status_code == 302
    assert stored() == before


def test_a_replay_with_other_answers_under_the_same_key_is_refused(session, phone_client):
    page = read_test_page(phone_client, session)
    answers = correct_answers(page["questions"], wrong=5)
    api_submit(phone_client, session, page["ticket"], page["key"], answers)
    before = stored()
    better = correct_answers(page["questions"])
    response = api_submit(phone_client, session, page["ticket"], page["key"], better)
    assert response.status_code == 409
    assert "รหัสการส่งนี้ถูกใช้กับคำตอบชุดอื่นแล้ว" in response.json()["detail"]
    assert stored() == before and Attempt.objects.get().score == 9


def test_a_second_submission_of_the_same_phase_is_refused(session, phone_client):
    page = read_test_page(phone_client, session)
    submit_form(phone_client, session, page, correct_answers(page["questions"], wrong=7))
    before = stored()
    response = api_submit(phone_client, session, page["ticket"], "another-key-1234567890",
                          correct_answers(page["questions"]))
    assert response.status_code == 409 and "คุณส่งแบบทดสอบนี้ไปแล้ว" in response.json()["detail"]
    page_again = submit_form(phone_client, session, page, correct_answers(page["questions"]),
                             key="yet-another-key-12345678")
    assert page_again.status_code == 409 and "คุณส่งแบบทดสอบนี้ไปแล้ว" in page_again.content.decode()
    assert stored() == before and Attempt.objects.get().score == 7


@pytest.mark.parametrize("tamper,message", [
    ("unknown_question", "มีข้อที่ไม่อยู่ในแบบทดสอบนี้"),
    ("unknown_option", "มีตัวเลือกที่ไม่มีในข้อคำถาม"),
    ("not_a_number", "มีข้อที่ไม่อยู่ในแบบทดสอบนี้"),
])
def test_tampered_answers_are_refused_and_nothing_is_stored(session, phone_client, tamper, message):
    page = read_test_page(phone_client, session)
    answers = {str(k): v for k, v in correct_answers(page["questions"]).items()}
    if tamper == "unknown_question":
        other = QuestionVersion.objects.exclude(pk__in=[int(k) for k in answers]).first()
        answers[str(other.pk)] = other.correct
    elif tamper == "unknown_option":
        answers[next(iter(answers))] = "z"
    else:
        answers["<script>"] = "a"
    response = api_submit(phone_client, session, page["ticket"], page["key"], answers)
    assert response.status_code == 400 and message in response.json()["detail"]
    if tamper != "not_a_number":  # a form field name that is not a question is simply not an answer
        form = submit_form(phone_client, session, page, answers)
        assert form.status_code == 400 and message in form.content.decode()
    assert stored() == (0, 0, 0)


def test_a_forged_ticket_is_refused_and_nothing_is_stored(session, phone_client):
    page = read_test_page(phone_client, session)
    answers = correct_answers(page["questions"])
    # Re-signed with another key: a ticket the server did not issue.
    data = signing.loads(page["ticket"], salt=grading.TICKET_SALT)
    forged = signing.dumps(data, key="not-the-server-key", salt=grading.TICKET_SALT, compress=True)
    response = api_submit(phone_client, session, forged, page["key"], answers)
    assert response.status_code == 400 and "ข้อมูลแบบทดสอบไม่ถูกต้องหรือถูกแก้ไข" in response.json()["detail"]
    # A ticket cut short, or one claiming other questions, the same.
    assert api_submit(phone_client, session, page["ticket"][:-3] + "abc", page["key"], answers).status_code == 400
    assert api_submit(phone_client, session, "", page["key"], answers).status_code == 400
    assert api_submit(phone_client, session, page["ticket"], "short", answers).status_code == 400
    assert stored() == (0, 0, 0)


def test_a_ticket_from_another_session_is_refused(session, phone_client, unit, trainer):
    page = read_test_page(phone_client, session)
    other = make_session(unit, trainer)
    response = api_submit(phone_client, other, page["ticket"], page["key"], correct_answers(page["questions"]))
    assert response.status_code == 400 and "ไม่ใช่ของการอบรมนี้" in response.json()["detail"]
    assert stored() == (0, 0, 0)


def test_after_the_phase_is_closed_submissions_are_refused(session, phone_client):
    page = read_test_page(phone_client, session)
    session.set_phase("pre", "close")
    session.pre_closed_at = timezone.now() - grading.LATE_GRACE - timedelta(minutes=1)
    session.save()
    response = api_submit(phone_client, session, page["ticket"], page["key"], correct_answers(page["questions"]))
    assert response.status_code == 409 and "ผู้จัดอบรมปิดแบบทดสอบนี้แล้ว" in response.json()["detail"]
    form = submit_form(phone_client, session, page, correct_answers(page["questions"]))
    assert form.status_code == 409 and "ผู้จัดอบรมปิดแบบทดสอบนี้แล้ว" in form.content.decode()
    assert stored() == (0, 0, 0)


def test_a_phone_that_lost_signal_before_the_close_is_still_heard_shortly_after(session, phone_client):
    page = read_test_page(phone_client, session)
    session.set_phase("pre", "close")
    response = api_submit(phone_client, session, page["ticket"], page["key"], correct_answers(page["questions"]))
    assert response.status_code == 200
    # But a test fetched after the close gets nothing: the page is the waiting room.
    assert "แบบทดสอบก่อนอบรม" in phone_client.get(f"/j/{session.code}/test/").content.decode()
    assert Attempt.objects.count() == 1


def test_an_acknowledged_submission_is_acknowledged_again_even_after_the_close(session, phone_client):
    page = read_test_page(phone_client, session)
    answers = correct_answers(page["questions"])
    api_submit(phone_client, session, page["ticket"], page["key"], answers)
    session.set_phase("pre", "close")
    session.pre_closed_at = timezone.now() - timedelta(hours=3)
    session.save()
    again = api_submit(phone_client, session, page["ticket"], page["key"], answers)
    assert again.status_code == 200 and again.json()["replayed"] is True


def test_editing_a_question_keeps_stored_results_and_a_regrade_is_recorded(session, phone_client, trainer):
    page = read_test_page(phone_client, session)
    answers = correct_answers(page["questions"])
    api_submit(phone_client, session, page["ticket"], page["key"], answers)
    attempt = Attempt.objects.get()
    answer = attempt.answers.filter(version__kind="mc").first()
    question, old = answer.question, answer.version
    # The editor decides another option is right: a new version; the stored result stands.
    new_right = next(o for o in question.options.all() if not o.correct)
    Option.objects.filter(question=question).update(correct=False)
    Option.objects.filter(pk=new_right.pk).update(correct=True)
    question.snapshot()
    question.refresh_from_db()
    assert question.version == old.number + 1
    attempt.refresh_from_db()
    assert attempt.score == 14 and attempt.answers.get(pk=answer.pk).correct
    # A deliberate regrade changes it, and says who, when, why and what changed.
    record = grading.regrade(question, old, question.latest_version(), "เฉลยเดิมผิด", user=trainer)
    attempt.refresh_from_db()
    assert attempt.score == 13 and attempt.regraded_at is not None
    assert record.changes == [{"attempt": attempt.pk, "old_score": 14, "new_score": 13}]
    section = old.section
    assert attempt.subscores.get(section=section).score == 1
    assert Regrade.objects.get().by == trainer
    with pytest.raises(grading.SubmissionError):
        grading.regrade(question, old, question.latest_version(), "   ")


def test_a_draft_question_is_not_drawn(session, phone_client):
    page = read_test_page(phone_client, session)
    first_vid = page["questions"][0][0]
    q = QuestionVersion.objects.get(pk=first_vid).question
    Question.objects.filter(pk=q.pk).update(status=Question.DRAFT)
    grading.clear_caches()
    other = Client()
    join(other, session, name="สมชาย ใจกล้า")
    assert first_vid not in [v for v, _ in read_test_page(other, session)["questions"]]


def test_a_late_submission_is_kept_and_marked_over_time(session, phone_client):
    import time as _time

    from assessments.models import Participant, TestForm

    participant = Participant.objects.get()
    form = TestForm.objects.get(key="volunteer-pre-a")  # 15 minutes
    ids = grading.draw(form, grading.draw_seed(session, "pre"))
    late = grading.issue_ticket(kind="pre", form=form, version_ids=ids, session=session, participant=participant,
                                issued=_time.time() - 20 * 60)
    answers = {str(v): QuestionVersion.objects.get(pk=v).correct for v in ids}
    response = api_submit(phone_client, session, late.token, "late-submission-key-0001", answers)
    assert response.status_code == 200
    attempt = Attempt.objects.get()
    assert attempt.over_time and attempt.score == 14
    assert (attempt.submitted_at - attempt.started_at).total_seconds() > 19 * 60


def test_a_test_taken_before_a_merge_is_stored_for_the_person_it_was_merged_into(session, phone_client):
    from assessments.models import Participant
    from assessments.participants import merge

    page = read_test_page(phone_client, session)
    second_phone = Client()
    join(second_phone, session, name="สมศรี ใจดี (เครื่องที่สอง)")
    first, second = Participant.objects.order_by("id")
    merge(second, first)
    answers = correct_answers(page["questions"], wrong=1)
    # The cookie of the first phone_client now names the merged person, and so does its ticket.
    assert submit_form(phone_client, session, page, answers).status_code == 302
    attempt = Attempt.objects.get()
    assert attempt.participant == second and attempt.score == 13
    # Another phone_client cannot hand that ticket in as someone else.
    third = Client()
    join(third, session, name="สมชาย ใจกล้า")
    refused = submit_form(third, session, page, answers, key="third-phone_client-key-1234567")
    assert refused.status_code == 403 and "ออกให้ผู้เข้าอบรมคนอื่น" in refused.content.decode()
    assert Attempt.objects.count() == 1
