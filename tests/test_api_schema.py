"""The OpenAPI schema says what the API does: every schema name belongs to one model, every
refusal an operation can give (400, 401, 403, 404, 409, 422 …) is documented with its
shape, parameters are checked by the schema (a Thai 422, never a 500), the schema is valid
OpenAPI, and a client generated from it (openapi-python-client) works against the API."""
import importlib
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from openapi_spec_validator import validate
from pydantic import BaseModel

from assessments.models import Attempt
from volunteerkm.api import api

from .helpers import correct_answers

pytestmark = pytest.mark.django_db

API_MODULES = ["knowledge.api", "search.api", "assessments.api", "reports.api", "volunteerkm.apierrors"]
REFUSALS = {"400", "401", "403", "404", "409", "413", "422"}


def spec():
    """The schema as /api/openapi.json serves it (JSON: status codes are strings)."""
    return json.loads(json.dumps(api.get_openapi_schema()))


def resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def reply_schema(schema, path, method, status):
    content = schema["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    return resolve(schema, content)


def test_every_model_has_a_schema_name_of_its_own():
    names = {}
    for module_name in API_MODULES:
        module = importlib.import_module(module_name)
        for name, obj in vars(module).items():
            if inspect.isclass(obj) and issubclass(obj, BaseModel) and obj.__module__ == module_name:
                assert name not in names, f"{name} is defined in {names[name]} and in {module_name}"
                names[name] = module_name


def test_each_operation_is_documented_with_its_own_reply_shape():
    from assessments.api import SessionOut
    from knowledge.api import ItemOut
    from reports.api import ItemStatsOut, SessionReportOut

    schema = spec()
    phone = reply_schema(schema, "/api/assessments/sessions/{code}", "get", "200")
    assert set(phone["properties"]) == set(SessionOut.model_fields)
    analytics = reply_schema(schema, "/api/analytics/sessions/{session_id}", "get", "200")
    assert set(analytics["properties"]) == set(SessionReportOut.model_fields)
    item = reply_schema(schema, "/api/reports/{report}/items/{item}", "get", "200")
    assert set(item["properties"]) == set(ItemOut.model_fields)
    items = reply_schema(schema, "/api/analytics/forms/{form_id}/items", "get", "200")
    row = resolve(schema, items["properties"]["items"]["items"])
    assert set(row["properties"]) == set(ItemStatsOut.model_fields)


def test_refusals_are_documented_with_their_shapes():
    schema = spec()
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            codes = set(op["responses"])
            where = f"{method.upper()} {path}"
            if op.get("security"):
                assert "401" in codes, f"{where}: no 401"
            if "{" in path:
                assert "404" in codes, f"{where}: no 404"
            if op.get("parameters") or op.get("requestBody"):
                assert "422" in codes, f"{where}: no 422"
            if op.get("requestBody"):
                assert "400" in codes, f"{where}: no 400 (unreadable JSON)"
            for code in codes & REFUSALS:
                shape = reply_schema(schema, path, method, code)
                assert shape["required"][0] == "detail" and shape["properties"]["detail"]["type"] == "string", \
                    f"{where} {code}"
            if "422" in codes:
                assert "errors" in reply_schema(schema, path, method, "422")["properties"]


def test_the_schema_is_valid_openapi():
    validate(spec())


@pytest.mark.parametrize("limit, message", [
    ("²", "limit ต้องเป็นจำนวนเต็ม"), ("๓", "limit ต้องเป็นจำนวนเต็ม"), ("ห้า", "limit ต้องเป็นจำนวนเต็ม"),
    ("0", "limit ต้องไม่น้อยกว่า 1"), ("51", "limit ต้องไม่เกิน 50"), ("1e3", "limit ต้องเป็นจำนวนเต็ม"),
])
def test_search_limit_is_checked_by_the_schema(client, limit, message):
    response = client.get("/api/search", {"q": "อพม.", "limit": limit})
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_an_ordinary_limit_still_works(client):
    assert len(client.get("/api/search", {"q": "อพม.", "limit": "2"}).json()["results"]) == 2


# --- a generated client --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def generated(tmp_path_factory, django_db_setup, django_db_blocker):
    """A Python client generated from the schema by openapi-python-client, importable as
    ``vkm_client``; returns a function giving an operation's module by its operationId."""
    where = tmp_path_factory.mktemp("client")
    with django_db_blocker.unblock():
        (where / "openapi.json").write_text(json.dumps(spec(), ensure_ascii=False))
    bin_dir = Path(sys.executable).parent
    result = subprocess.run([str(bin_dir / "openapi-python-client"), "generate", "--path", "openapi.json",
                             "--output-path", "vkm_client", "--meta", "none"], cwd=where, capture_output=True,
                            text=True, env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout, result.stdout
    sys.path.insert(0, str(where))
    operations = {p.stem: p for p in (where / "vkm_client" / "api").glob("*/*.py") if p.stem != "__init__"}

    def operation(operation_id):
        path = operations[operation_id]
        return importlib.import_module(f"vkm_client.api.{path.parent.name}.{path.stem}")

    yield operation
    sys.path.remove(str(where))
    for name in [m for m in sys.modules if m == "vkm_client" or m.startswith("vkm_client.")]:
        del sys.modules[name]


@pytest.fixture
def wsgi(in_process_wsgi):
    return {"transport": httpx.WSGITransport(app=in_process_wsgi)}


def test_a_generated_client_works(generated, wsgi, session):
    from vkm_client import AuthenticatedClient, Client
    from vkm_client.models import ErrorOut, JoinIn, SubmitIn, SubmitInAnswers

    client = Client(base_url="http://testserver", httpx_args=wsgi, raise_on_unexpected_status=True)

    found = generated("search_api_search").sync(client=client, q="สมัคร อพม. ต้องมีคุณสมบัติอะไร", limit=3)
    assert 1 <= len(found.results) <= 3 and found.results[0].url.startswith("/km/")
    refused = generated("search_api_search").sync_detailed(client=client, q="อพม.", limit="²")
    assert refused.status_code == 422 and "limit" in refused.parsed.detail

    info = generated("assessments_api_session_info").sync(client=client, code=session.code)
    assert info.code == session.code and info.join_url.endswith(f"/j/{session.code}/")
    missing = generated("assessments_api_session_info").sync(client=client, code="ZZZZZZ")
    assert isinstance(missing, ErrorOut) and "ไม่พบการอบรม" in missing.detail

    session.set_phase("pre", "open")
    joined = generated("assessments_api_join_session").sync(
        client=client, code=session.code, body=JoinIn(name="สมศรี ใจดี", consent=True))
    assert joined.created and joined.session.phase == "pre"
    phone = AuthenticatedClient(base_url="http://testserver", token=joined.participant_token,
                                auth_header_name="X-Participant", prefix="", httpx_args=wsgi,
                                raise_on_unexpected_status=True)
    test = generated("assessments_api_session_test").sync(client=phone, code=session.code)
    questions = [(q.id, [o.key for o in q.options]) for q in test.questions]
    answers = SubmitInAnswers.from_dict({str(k): v for k, v in correct_answers(questions, wrong=1).items()})
    body = SubmitIn(ticket=test.ticket, idempotency_key="generated-client-0001", answers=answers)
    result = generated("assessments_api_session_submit").sync(client=phone, code=session.code, body=body)
    assert result.score == len(questions) - 1 and result.replayed is False
    again = generated("assessments_api_session_submit").sync(client=phone, code=session.code, body=body)
    assert again.replayed is True and again.attempt_id == result.attempt_id
    assert Attempt.objects.count() == 1

    no_login = generated("reports_api_session").sync_detailed(client=client, session_id=session.pk)
    assert no_login.status_code == 401 and "เข้าสู่ระบบ" in no_login.parsed.detail
