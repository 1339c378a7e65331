"""The assessment API alone runs a phone's whole session (what a LINE or mobile client
does), and is in the OpenAPI schema; bad input gets a Thai message and stores nothing."""
from django.test import Client

from assessments.models import Attempt, Participant, TrainingSession

from .helpers import make_session

API = "/api/assessments"


def post(client, path, data, **headers):
    return client.post(API + path, data, content_type="application/json", **headers)


def test_a_phone_session_through_the_api(session):
    phone = Client()
    info = phone.get(f"{API}/sessions/{session.code.lower()}").json()
    assert info["title"] == session.title and info["phase"] is None and info["ask_for"] == "name"
    joined = post(phone, f"/sessions/{session.code}/join",
                  {"name": "สมศรี ใจดี", "consent": True, "device": "api-device-0001"})
    assert joined.status_code == 200 and joined.json()["created"] is True
    token = joined.json()["participant_token"]
    waiting = phone.get(f"{API}/sessions/{session.code}/test", HTTP_X_PARTICIPANT=token)
    assert waiting.status_code == 409 and "ยังไม่เปิดแบบทดสอบ" in waiting.json()["detail"]
    session.set_phase("pre", "open")
    test = phone.get(f"{API}/sessions/{session.code}/test", HTTP_X_PARTICIPANT=token).json()
    assert test["kind"] == "pre" and len(test["questions"]) == 14 and test["time_limit_minutes"] == 15
    answers = {str(q["id"]): q["options"][-1]["key"] for q in test["questions"]}
    result = post(phone, f"/sessions/{session.code}/submit",
                  {"ticket": test["ticket"], "idempotency_key": "api-submit-key-0001", "answers": answers})
    assert result.status_code == 200
    body = result.json()
    assert body["max_score"] == 14 and len(body["subscores"]) == 7
    assert body["answers_revealed"] is False and body["answers"] == [] and body["correct"] == []
    session.set_phase("pre", "close")  # the trainer closes the test: the answers are revealed
    again = phone.get(f"{API}/sessions/{session.code}/results/pre", HTTP_X_PARTICIPANT=token).json()
    assert again["attempt_id"] == body["attempt_id"] and again["answers_revealed"] is True
    assert len(again["correct"]) == again["score"] and len(again["answers"]) == 14 - again["score"]
    assert all(a["read_url"].startswith("/km/regulation-2564/") and a["right_answer"] for a in again["answers"])
    session.set_phase("pre", "open")
    done = phone.get(f"{API}/sessions/{session.code}/test", HTTP_X_PARTICIPANT=token)
    assert done.status_code == 409 and "คุณส่งแบบทดสอบก่อนอบรมแล้ว" in done.json()["detail"]
    # Joining again from the same device is the same person.
    rejoined = post(phone, f"/sessions/{session.code}/join",
                    {"name": "สมศรี ใจดี", "consent": True, "device": "api-device-0001"})
    assert rejoined.json()["created"] is False and rejoined.json()["participant_id"] == joined.json()["participant_id"]


def test_bad_input_through_the_api_stores_nothing(unit, trainer):
    s = make_session(unit, trainer, ask_for=TrainingSession.NATIONAL_ID)
    phone = Client()
    assert phone.get(f"{API}/sessions/ZZZZZZ").status_code == 404
    unknown = post(phone, "/sessions/ZZZZZZ/join", {"name": "ก ข", "consent": True})
    assert unknown.status_code == 404 and "ไม่พบการอบรม" in unknown.json()["detail"]
    no_consent = post(phone, f"/sessions/{s.code}/join",
                      {"name": "สมศรี ใจดี", "consent": False, "national_id": "1101700230708"})
    assert no_consent.status_code == 400 and "ยินยอม" in no_consent.json()["detail"]
    wrong_digit = post(phone, f"/sessions/{s.code}/join",
                       {"name": "สมศรี ใจดี", "consent": True, "national_id": "1101700230705"})
    assert wrong_digit.status_code == 400 and "เลขตรวจสอบหลักสุดท้ายไม่ตรง" in wrong_digit.json()["detail"]
    assert phone.get(f"{API}/sessions/{s.code}/test", HTTP_X_PARTICIPANT="forged").status_code == 401
    assert not Participant.objects.exists() and not Attempt.objects.exists()


def test_the_api_is_in_the_openapi_schema():
    schema = Client().get("/api/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/assessments/sessions/{code}/join", "/api/assessments/sessions/{code}/test",
                 "/api/assessments/sessions/{code}/submit", "/api/assessments/sessions/{code}/results/{kind}",
                 "/api/assessments/trainer/sessions", "/api/assessments/staff/submit"):
        assert path in paths, path
    submit = paths["/api/assessments/sessions/{code}/submit"]["post"]
    assert set(submit["responses"]) >= {"200", "400", "409"}
