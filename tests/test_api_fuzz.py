"""The whole API under schemathesis: for every operation of the OpenAPI schema, bounded
generated requests (25 examples per operation, valid and invalid) get no server error,
only documented status codes and content types, and replies that match their schemas.

Half of each operation's requests name things that exist (the session code, a form, a
chapter …) and carry a participant token and a trainer's login, so the fuzzed bodies and
queries reach the code behind the identifiers, not only the 404s of made-up ones."""
import collections
import json

import pytest
import schemathesis
from django.test import Client, override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Membership
from assessments import grading, participants
from assessments.models import STAFF, TestForm
from knowledge.models import Item
from volunteerkm.api import api

from .helpers import make_session

pytestmark = pytest.mark.fuzz
MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CSRF = "f" * 32  # an unmasked CSRF secret, sent as cookie and header alike

schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema())))
statuses = collections.Counter()
operations = collections.Counter()


@pytest.fixture(autouse=True)
def no_rate_limits():
    """The fuzzer sends far more than any phone would; the limits themselves are tested in
    test_rate_limits.py."""
    with override_settings(RATELIMIT_ENABLE=False):
        yield


@pytest.fixture(scope="module", autouse=True)
def counts(request):
    """Print what was sent and how it was answered, after the module."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter and capture and operations:
        server_errors = sum(n for status, n in statuses.items() if status >= 500)
        with capture.global_and_fixture_disabled():
            reporter.write_line(
                f"\nschemathesis: {sum(operations.values())} requests over {len(operations)} operations; "
                f"statuses {dict(sorted(statuses.items()))}; 5xx: {server_errors}")


@pytest.fixture
def known(db, unit, trainer):
    """Things that exist, by the names of the path parameters, and the headers and cookies
    of a joined phone and a logged-in trainer."""
    session = make_session(unit, trainer)
    session.set_phase("pre", "open")
    participant, _ = participants.join(session, name="สมศรี ใจดี", device="fuzz-device-0001")
    staff_form = TestForm.objects.filter(kind=STAFF, active=True).first()
    Membership.objects.create(user=trainer, unit=unit, role=Membership.STAFF)
    desk = Client()
    desk.force_login(trainer)
    item = Item.objects.published().select_related("chapter__report").first()
    return {
        "ids": {"code": session.code, "pk": session.pk, "session_id": session.pk, "kind": "pre",
                "form_id": session.pre_form_id, "report": item.chapter.report.slug, "chapter": item.chapter.slug,
                "item": item.slug, "province": unit.province},
        "staff_form": staff_form.pk,
        "headers": {"X-Participant": grading.participant_token(participant), "X-CSRFToken": CSRF},
        "cookies": {"sessionid": desk.cookies["sessionid"].value, "csrftoken": CSRF},
    }


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_schema_says(case, known, in_process_wsgi):
    label = f"{case.operation.method.upper()} {case.operation.path}"  # (case.method may be a probe of another)
    operations[label] += 1
    # (the in-process WSGI call does not undo the site's gzip, so none is asked for)
    extra = {"headers": {"Accept-Encoding": "identity"}}
    if operations[label] % 2 == 0:  # every other request: real identifiers, a phone and a login
        for name in case.path_parameters or {}:
            if name in known["ids"]:
                case.path_parameters[name] = known["ids"][name]
        if "/staff/forms/" in case.path:
            case.path_parameters["form_id"] = known["staff_form"]
        extra = {"headers": {**extra["headers"], **known["headers"]}, "cookies": known["cookies"]}
    response = case.call(app=in_process_wsgi, **extra)
    statuses[response.status_code] += 1
    case.validate_response(response, checks=CHECKS)


def test_the_fuzzing_reached_every_operation():
    """Runs after the fuzzing above (in file order): every operation of the schema was called."""
    if not operations:
        pytest.skip("ยังไม่ได้ทดสอบด้วย schemathesis ในรอบนี้ (เลือกทดสอบเฉพาะบางส่วน)")
    documented = {f"{method.upper()} {path}" for path, ops in schema.raw_schema["paths"].items() for method in ops}
    assert documented == set(operations)
    assert not any(status >= 500 for status in statuses)

