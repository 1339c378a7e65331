"""Staff take the staff test logged in (a blueprint: n questions per chapter) and see their
history; a staff ticket is theirs alone."""
import re

from django.contrib.auth import get_user_model
from django.test import Client

from assessments.models import Attempt, BlueprintRule, QuestionVersion, TestForm

from .helpers import correct_answers


def open_staff_test(client):
    form = TestForm.objects.get(key="staff-regulation")
    html = client.get(f"/tests/{form.pk}/").content.decode()
    ticket = re.search(r'name="ticket" value="([^"]+)"', html).group(1)
    key = re.search(r'name="key" value="([^"]+)"', html).group(1)
    questions = [(int(v), re.findall(rf'name="a{v}" value="([a-z])"', html))
                 for v in re.findall(r'data-q="(\d+)"', html)]
    return ticket, key, questions


def test_staff_need_to_log_in():
    assert Client().get("/tests/")["Location"].startswith("/accounts/login/")


def test_the_staff_test_follows_its_blueprint_and_is_graded(staff, unit):
    assert "แบบทดสอบความรู้ระเบียบฯ อพม." in staff.get("/tests/").content.decode()
    ticket, key, questions = open_staff_test(staff)
    assert len(questions) == 20
    versions = QuestionVersion.objects.in_bulk([v for v, _ in questions])
    per_section = {}
    for v in versions.values():
        per_section[v.section] = per_section.get(v.section, 0) + 1
    rules = BlueprintRule.objects.filter(form__key="staff-regulation").select_related("chapter")
    blueprint = {str(r.chapter.number) if r.chapter_id else "report": r.count for r in rules}
    assert per_section == blueprint and sum(blueprint.values()) == 20
    # The same draw on a reload, until it is submitted.
    assert open_staff_test(staff)[2] == questions
    data = {"ticket": ticket, "key": key, **{f"a{v}": o for v, o in correct_answers(questions, wrong=5).items()}}
    response = staff.post("/tests/submit/", data)
    attempt = Attempt.objects.get()
    assert response["Location"] == f"/tests/result/{attempt.pk}/"
    assert (attempt.kind, attempt.user, attempt.unit, attempt.session) == ("staff", staff.user, unit, None)
    assert (attempt.score, attempt.max_score, attempt.passed) == (15, 20, True)
    assert {s.section: s.max_score for s in attempt.subscores.all()} == blueprint
    html = staff.get(response["Location"]).content.decode()
    assert "๑๕ / ๒๐ คะแนน" in html
    assert html.count("คำตอบที่ถูก:") == 5
    history = staff.get("/tests/").content.decode()
    assert "๑๕/๒๐" in history and "ผ่าน" in history
    assert staff.get("/api/assessments/staff/attempts").json()[0]["score"] == 15


def test_a_second_attempt_gets_a_new_draw_and_both_stay_in_history(staff):
    ticket, key, first = open_staff_test(staff)
    staff.post("/tests/submit/", {"ticket": ticket, "key": key})
    ticket2, key2, second = open_staff_test(staff)
    assert key2 != key
    staff.post("/tests/submit/", {"ticket": ticket2, "key": key2,
                                  **{f"a{v}": o for v, o in correct_answers(second).items()}})
    assert list(Attempt.objects.order_by("id").values_list("score", flat=True)) == [0, 20]
    assert len(staff.get("/api/assessments/staff/attempts").json()) == 2


def test_someone_elses_staff_ticket_is_refused(staff, unit):
    ticket, key, questions = open_staff_test(staff)
    other = Client()
    other.force_login(get_user_model().objects.create_user("staff-other"))
    response = other.post("/tests/submit/", {"ticket": ticket, "key": key})
    assert response.status_code == 403 and "ออกให้ผู้ใช้คนอื่น" in response.content.decode()
    assert not Attempt.objects.exists()
    # Nor can another user read the first one's result.
    staff.post("/tests/submit/", {"ticket": ticket, "key": key})
    assert other.get(f"/tests/result/{Attempt.objects.get().pk}/").status_code == 404


def test_staff_test_through_the_api(staff):
    forms = staff.get("/api/assessments/staff/forms").json()
    assert forms[0]["questions"] == 20
    assert forms[0]["km_slug"] == "regulation-2564" and forms[0]["km"].startswith("ระเบียบฯ อพม.")  # the KM it tests
    test = staff.get(f"/api/assessments/staff/forms/{forms[0]['id']}/test").json()
    answers = {str(q["id"]): q["options"][0]["key"] for q in test["questions"]}
    response = staff.post("/api/assessments/staff/submit",
                          {"ticket": test["ticket"], "idempotency_key": "staff-api-key-0001", "answers": answers},
                          content_type="application/json")
    assert response.status_code == 200 and response.json()["max_score"] == 20
