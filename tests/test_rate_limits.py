"""Rate limits (volunteerkm/ratelimits.py) and login lockouts (django-axes): each answers
429 with a Thai message and Retry-After, counts what it says it counts, and leaves
everyone else alone: another address, another session, another ticket, another username.
The numbers are the real ones, so a room of a hundred phones behind one NAT fits."""
import json
import time

import django_ratelimit.core
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from assessments.models import Attempt, Participant
from volunteerkm.ratelimits import LIMITS

from .helpers import make_session

API = "/api/assessments/sessions"


class Clock:
    """django-ratelimit's clock (fixed windows), held still so that no window ends in the
    middle of a test, and moved on by hand to see a window end."""

    def __init__(self):
        self.now = float(int(time.time()))

    def time(self):
        return self.now


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    held = Clock()
    monkeypatch.setattr(django_ratelimit.core, "time", held)
    return held


pytestmark = pytest.mark.django_db


def rate(group):
    return next(limit.rate for limit in LIMITS if limit.group == group)


def allowed(group):
    return int(rate(group).split("/")[0])


def phone(address="203.0.113.7"):
    """A client whose requests come from `address` (a school's NAT, say)."""
    return Client(REMOTE_ADDR=address)


def post_json(client, path, data):
    return client.post(path, json.dumps(data), content_type="application/json")


def assert_thai_429(response, api=False):
    assert response.status_code == 429
    retry = int(response["Retry-After"])
    assert 1 <= retry <= 15 * 60
    text = response.json()["detail"] if api else response.content.decode()
    assert "กรุณา" in text and "ใหม่ในอีก" in text


def test_the_numbers_fit_a_room_of_a_hundred_phones_behind_one_address():
    assert allowed("join") >= 300 and allowed("code-misses") >= 100
    assert allowed("search") >= 100 * 6 and allowed("suggest") >= 100 * 15  # per minute: 100 people
    assert allowed("submit") >= 20


def test_guessing_codes_is_stopped_per_address(session, clock):
    guesser = phone()
    for _ in range(allowed("code-misses")):
        assert guesser.get("/j/", {"code": "XXXXXX"}).status_code == 404
    assert_thai_429(guesser.get("/j/", {"code": "YYYYYY"}))
    assert_thai_429(guesser.get(f"/j/{session.code}/"))  # the entry pages, even with a right code
    refused = guesser.get(f"{API}/XXXXXX")
    assert_thai_429(refused, api=True)
    # after Retry-After seconds the address may try again
    clock.now += int(refused["Retry-After"])
    assert guesser.get("/j/", {"code": "XXXXXX"}).status_code == 404
    clock.now -= int(refused["Retry-After"])
    # another address is not affected, nor are codes that are found
    assert phone("198.51.100.20").get(f"/j/{session.code}/").status_code == 200
    # a code that is found does not count
    other = phone("198.51.100.21")
    for _ in range(allowed("code-misses") + 5):
        assert other.get("/j/", {"code": session.code}).status_code == 302


def test_joining_is_limited_per_address_and_session_not_per_address(session, trainer):
    room = phone()
    for n in range(allowed("join")):
        r = post_json(room, f"{API}/{session.code}/join", {"name": f"ผู้เข้าอบรม {n}", "consent": True,
                                                           "device": f"room-device-{n:04d}"})
        assert r.status_code == 200, r.content
    refused = post_json(room, f"{API}/{session.code}/join", {"name": "อีกคน", "consent": True, "device": "late-1"})
    assert_thai_429(refused, api=True)
    assert Participant.objects.filter(session=session).count() == allowed("join")
    # the same address joins another session, and another address this one
    second = make_session(session.unit, trainer)
    second.set_phase("pre", "open")
    joined = post_json(room, f"{API}/{second.code}/join", {"name": "กมล ใจดี", "consent": True, "device": "d2"})
    assert joined.status_code == 200
    assert post_json(phone("198.51.100.30"), f"{API}/{session.code}/join",
                     {"name": "ขวัญ ใจดี", "consent": True, "device": "d3"}).status_code == 200


def test_submissions_are_limited_per_ticket(open_test, session):
    client, code, ticket, options = open_test
    answers = {q: keys[0] for q, keys in options.items()}
    body = {"ticket": ticket, "idempotency_key": "rate-limit-key-0001", "answers": answers}
    first = post_json(client, f"{API}/{code}/submit", body)
    assert first.status_code == 200
    for _ in range(allowed("submit") - 1):  # resends of the same submission are answered
        assert post_json(client, f"{API}/{code}/submit", body).json()["replayed"] is True
    assert_thai_429(post_json(client, f"{API}/{code}/submit", body), api=True)
    assert Attempt.objects.filter(session=session).count() == 1
    # another person on the same network, with their own ticket, is not held back
    other = Client()
    joined = post_json(other, f"{API}/{code}/join", {"name": "สมชาย", "consent": True, "device": "other-1"}).json()
    test = other.get(f"{API}/{code}/test", HTTP_X_PARTICIPANT=joined["participant_token"]).json()
    mine = {str(q["id"]): q["options"][0]["key"] for q in test["questions"]}
    r = post_json(other, f"{API}/{code}/submit", {"ticket": test["ticket"], "idempotency_key": "rate-limit-key-0002",
                                                  "answers": mine})
    assert r.status_code == 200


def test_a_form_submission_without_javascript_gets_the_thai_page(phone_client, session):
    for _ in range(allowed("submit")):
        phone_client.post(f"/j/{session.code}/submit/", {"ticket": "the-same-ticket", "key": "k"})
    assert_thai_429(phone_client.post(f"/j/{session.code}/submit/", {"ticket": "the-same-ticket", "key": "k"}))


def test_searching_and_suggestions_are_limited_per_address():
    reader = phone()
    for _ in range(allowed("search")):
        assert reader.get("/search/").status_code == 200
    assert_thai_429(reader.get("/search/", {"q": "อพม."}))
    assert_thai_429(reader.get("/api/search", {"q": "อพม."}), api=True)
    assert phone("198.51.100.40").get("/api/search", {"q": "อพม."}).status_code == 200
    for _ in range(allowed("suggest")):
        assert reader.get("/search/suggest/").status_code == 200
    assert_thai_429(reader.get("/search/suggest/", {"q": "อพม"}))


@pytest.fixture
def quick_passwords(settings):
    """A fast hasher: every login post checks a password (even for a missing username)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_wrong_passwords_lock_one_username_from_one_address(quick_passwords):
    get_user_model().objects.create_user("trainer-a", password="รหัสผ่านที่ถูกต้อง-1")
    get_user_model().objects.create_user("trainer-b", password="รหัสผ่านที่ถูกต้อง-2")
    office = phone()
    for _ in range(5):
        r = office.post("/accounts/login/", {"username": "trainer-a", "password": "ผิด"})
        assert r.status_code in (200, 429)
    locked = office.post("/accounts/login/", {"username": "trainer-a", "password": "รหัสผ่านที่ถูกต้อง-1"})
    assert_thai_429(locked)
    assert "รหัสผ่านผิดหลายครั้งเกินไป" in locked.content.decode()
    assert int(locked["Retry-After"]) == 15 * 60
    # a colleague behind the same NAT, and the same person at home, still log in
    assert office.post("/accounts/login/", {"username": "trainer-b", "password": "รหัสผ่านที่ถูกต้อง-2"}).status_code == 302
    assert phone("198.51.100.50").post("/accounts/login/", {"username": "trainer-a",
                                                            "password": "รหัสผ่านที่ถูกต้อง-1"}).status_code == 302


def test_login_posts_are_limited_per_address(quick_passwords):
    sprayer = phone()
    for n in range(allowed("login")):
        assert sprayer.post("/accounts/login/", {"username": f"user-{n}", "password": "x"}).status_code == 200
    assert_thai_429(sprayer.post("/accounts/login/", {"username": "user-x", "password": "x"}))
    assert_thai_429(sprayer.post("/admin/login/", {"username": "user-y", "password": "x"}))


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(settings):
    settings.TRUSTED_PROXIES = 1
    balancer = "10.0.0.2"
    first = Client(REMOTE_ADDR=balancer, HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(allowed("code-misses")):
        first.get("/j/", {"code": "XXXXXX"})
    assert first.get("/j/", {"code": "XXXXXX"}).status_code == 429
    # another phone through the same balancer is another address
    second = Client(REMOTE_ADDR=balancer, HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.10")
    assert second.get("/j/", {"code": "XXXXXX"}).status_code == 404
