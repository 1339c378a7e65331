"""An idempotency key answers only for the person, phase and form it was first stored with.
Another participant (or user) who sends someone else's key, even with the same answers,
is refused in Thai with 409, gets nothing of the stored attempt, and can send again with
a key of their own; the same person's retry still gets their stored result back."""
import pytest
from django.test import Client

from assessments.models import Attempt

from .helpers import correct_answers, join, make_session, read_test_page, submit_form

SCOPE_MESSAGE = "รหัสการส่งนี้ถูกใช้กับแบบทดสอบอื่นแล้ว"


def api_submit(client, code, ticket, key, answers):
    return client.post(f"/api/assessments/sessions/{code}/submit",
                       {"ticket": ticket, "idempotency_key": key, "answers": {str(k): v for k, v in answers.items()}},
                       content_type="application/json")


def phone(session, name):
    client = Client()
    join(client, session, name=name)
    return client, read_test_page(client, session)


@pytest.fixture
def two_phones(session):
    session.set_phase("pre", "open")
    return phone(session, "สมศรี ใจดี"), phone(session, "สมชาย รักดี")


def test_another_participants_key_with_the_same_answers_is_refused(session, two_phones):
    (a, page_a), (b, page_b) = two_phones
    answers = correct_answers(page_a["questions"], wrong=1)
    first = api_submit(a, session.code, page_a["ticket"], page_a["key"], answers)
    assert first.status_code == 200 and first.json()["replayed"] is False
    stolen = api_submit(b, session.code, page_b["ticket"], page_a["key"], answers)
    assert stolen.status_code == 409, stolen.content
    body = stolen.json()
    assert SCOPE_MESSAGE in body["detail"]
    assert set(body) == {"detail"}, "nothing of the other person's attempt is sent back"
    assert Attempt.objects.count() == 1
    # with a key of their own, the second person's answers are stored for them
    own = api_submit(b, session.code, page_b["ticket"], page_b["key"], answers)
    assert own.status_code == 200 and own.json()["replayed"] is False
    assert own.json()["attempt_id"] != first.json()["attempt_id"]
    assert {a.participant.name for a in Attempt.objects.all()} == {"สมศรี ใจดี", "สมชาย รักดี"}
    # the first person's own retry is still acknowledged with their stored result
    again = api_submit(a, session.code, page_a["ticket"], page_a["key"], answers)
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert again.json()["attempt_id"] == first.json()["attempt_id"]


def test_the_page_form_refuses_another_participants_key_without_linking_their_result(session, two_phones):
    (a, page_a), (b, page_b) = two_phones
    answers = correct_answers(page_a["questions"])
    assert submit_form(a, session, page_a, answers).status_code == 302
    response = submit_form(b, session, page_b, answers, key=page_a["key"])
    assert response.status_code == 409
    html = response.content.decode()
    assert SCOPE_MESSAGE in html and "ดูผลที่บันทึกไว้" not in html
    assert Attempt.objects.count() == 1


def test_a_key_of_the_pre_test_is_refused_for_the_post_test(unit, trainer):
    # the same form in both phases, so the same answers give the same digest
    s = make_session(unit, trainer)
    s.post_form = s.pre_form
    s.save()
    s.set_phase("pre", "open")
    client, page = phone(s, "สมศรี ใจดี")
    answers = correct_answers(page["questions"])
    assert api_submit(client, s.code, page["ticket"], page["key"], answers).status_code == 200
    s.set_phase("pre", "close")
    s.set_phase("post", "open")
    post = read_test_page(client, s)
    response = api_submit(client, s.code, post["ticket"], page["key"], correct_answers(post["questions"]))
    assert response.status_code == 409 and SCOPE_MESSAGE in response.json()["detail"]
    assert list(Attempt.objects.values_list("kind", flat=True)) == ["pre"]
    stored = api_submit(client, s.code, post["ticket"], post["key"], correct_answers(post["questions"]))
    assert stored.status_code == 200 and stored.json()["kind"] == "post"


def test_another_staff_members_key_with_the_same_answers_is_refused(staff, unit):
    from django.contrib.auth import get_user_model

    from accounts.models import Membership
    from assessments.models import STAFF
    from reports import sample

    # a fixed form: both people get the same questions, so the same answers can be sent
    form = sample.form("แบบทดสอบเจ้าหน้าที่ (ชุดคงที่)", STAFF, sample.question_bank("iq", chapters=[1, 2, 3]))
    other = get_user_model().objects.create_user("staff-cm-2")
    Membership.objects.create(user=other, unit=unit, role=Membership.STAFF)
    colleague = Client()
    colleague.force_login(other)

    def take(client):
        test = client.get(f"/api/assessments/staff/forms/{form.pk}/test").json()
        return test["ticket"], {str(q["id"]): "a" for q in test["questions"]}

    def send(client, ticket, key, answers):
        return client.post("/api/assessments/staff/submit", {"ticket": ticket, "idempotency_key": key,
                                                             "answers": answers}, content_type="application/json")

    ticket, answers = take(staff)
    key = "staff-key-0000000001"
    assert send(staff, ticket, key, answers).status_code == 200
    ticket_2, answers_2 = take(colleague)
    assert answers_2 == answers
    stolen = send(colleague, ticket_2, key, answers_2)
    assert stolen.status_code == 409 and SCOPE_MESSAGE in stolen.json()["detail"]
    assert set(stolen.json()) == {"detail"}
    assert Attempt.objects.filter(user=other).count() == 0
    assert send(colleague, ticket_2, "staff-key-0000000002", answers_2).status_code == 200
