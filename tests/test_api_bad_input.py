"""Whatever a phone or a client sends to the submission API, a refusal is a 4xx with a
Thai message and nothing is stored: random bytes, JSON of any shape, and well-formed
submissions with one thing wrong (a tampered ticket, a malformed key, an answer to a
question not on the ticket, an option the question does not have)."""
import json
import re

from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Answer, Attempt

API = "/api/assessments"
THAI = re.compile("[\u0e01-\u0e5b]")
# 429: a ticket sent over and over is slowed down (rate limits), also with a Thai message.
REFUSED = {400, 401, 403, 404, 409, 422, 429}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


def assert_refused_in_thai_and_nothing_stored(response):
    assert response.status_code in REFUSED, (response.status_code, response.content[:300])
    detail = response.json()["detail"]
    assert isinstance(detail, str) and THAI.search(detail), detail
    assert not Attempt.objects.exists() and not Answer.objects.exists()


fuzz = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@fuzz
@given(body=st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()))
def test_any_body_is_refused_in_thai(open_test, body):
    cache.clear()  # each example is a first try: the limit on resends is tested in test_rate_limits.py
    phone, code, _, _ = open_test
    response = phone.post(f"{API}/sessions/{code}/submit", body, content_type="application/json")
    assert_refused_in_thai_and_nothing_stored(response)


@fuzz
@given(data=st.data())
def test_a_submission_with_one_thing_wrong_is_refused_in_thai(open_test, data):
    cache.clear()  # each example is a first try: the limit on resends is tested in test_rate_limits.py
    phone, code, ticket, options = open_test
    answers = {qid: data.draw(st.sampled_from(keys)) for qid, keys in options.items()}
    body = {"ticket": ticket, "idempotency_key": "fuzz-submission-0001", "answers": answers}
    wrong = data.draw(st.sampled_from(["ticket", "key", "question", "option"]))
    if wrong == "ticket":
        at = data.draw(st.integers(0, len(ticket) - 1))
        other = data.draw(st.sampled_from("AbZ9_-:.").filter(lambda c: c != ticket[at]))
        body["ticket"] = ticket[:at] + other + ticket[at + 1:]
    elif wrong == "key":
        body["idempotency_key"] = data.draw(
            st.text(max_size=80).filter(lambda k: not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", k)))
    elif wrong == "question":
        answers[data.draw(st.text(max_size=8).filter(lambda k: k not in options))] = "a"
    else:
        qid = data.draw(st.sampled_from(sorted(options)))
        answers[qid] = data.draw(st.text(min_size=1, max_size=5).filter(lambda k: k not in options[qid]))
    response = phone.post(f"{API}/sessions/{code}/submit", body, content_type="application/json")
    assert_refused_in_thai_and_nothing_stored(response)


def test_ninja_own_refusals_are_thai_too(open_test):
    phone, code, _, _ = open_test
    missing = phone.post(f"{API}/sessions/{code}/submit", {"ticket": "x"}, content_type="application/json")
    assert missing.status_code == 422 and "answers" in missing.json()["detail"]
    assert "ผิดรูปแบบ" in missing.json()["detail"]
    unreadable = phone.post(f"{API}/sessions/{code}/submit", b"{not json", content_type="application/json")
    assert unreadable.status_code == 400 and "JSON" in unreadable.json()["detail"]
    no_token = phone.get(f"{API}/sessions/{code}/test")
    assert no_token.status_code == 401 and "เข้าสู่ระบบ" in no_token.json()["detail"]
    assert not Attempt.objects.exists()
