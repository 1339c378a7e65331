"""The national ID number a volunteer types never travels back to the browser: not in the
consent page's hidden data (even decoded), not re-filled in the form after a mistake. What
is stored after consent is only the keyed hash and the last four digits."""
import base64
import re
import zlib

import pytest
from django.test import Client

from assessments.models import Participant, TrainingSession

from .helpers import make_session

pytestmark = pytest.mark.django_db

ID = "1101700230708"
TYPED = "๑-๑๐๑๗-๐๐๒๓๐-๗๐-๘"  # Thai digits and dashes, as people type it


def readable_forms(value: str):
    """A form value as the browser could read it: itself, and the payload of a signed
    value (base64, maybe zlib-compressed) decoded."""
    yield value
    payload = value.split(":")[0].lstrip(".")
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except ValueError:
        return
    yield raw.decode("latin-1")
    try:
        text = zlib.decompress(raw).decode("utf-8", "replace")
    except zlib.error:
        return
    yield text


def assert_no_id(html: str):
    digits = re.sub(r"\D", "", ID)
    values = re.findall(r'value="([^"]*)"', html)
    for v in values:
        for text in readable_forms(v):
            assert digits not in re.sub(r"[\s\-]", "", text), f"the ID number is readable in {v[:40]}…"
    assert digits not in html and TYPED not in html


@pytest.fixture
def id_session(unit, trainer):
    return make_session(unit, trainer, ask_for=TrainingSession.NATIONAL_ID)


def test_the_consent_page_carries_no_readable_id_number(id_session):
    client = Client()
    response = client.post(f"/j/{id_session.code}/", {"name": "สมศรี ใจดี", "national_id": TYPED})
    assert response.status_code == 200 and "การใช้ข้อมูลของคุณ" in response.content.decode()
    assert_no_id(response.content.decode())
    pending = re.search(r'name="pending" value="([^"]+)"', response.content.decode()).group(1)
    agreed = client.post(f"/j/{id_session.code}/consent/", {"pending": pending, "agree": "yes"})
    assert agreed.status_code == 302 and agreed["Location"] == f"/j/{id_session.code}/test/"
    p = Participant.objects.get()
    assert p.national_id_last4 == "0708" and p.national_id_hash == Participant.hash_national_id(ID)
    assert_no_id(client.get(f"/j/{id_session.code}/test/").content.decode())


def test_a_form_with_a_mistake_does_not_fill_the_id_number_back_in(id_session):
    response = Client().post(f"/j/{id_session.code}/", {"name": " ", "national_id": TYPED})
    assert response.status_code == 400 and "กรุณากรอกชื่อ–นามสกุล" in response.content.decode()
    assert_no_id(response.content.decode())
    assert not Participant.objects.exists()


def test_the_same_id_number_on_another_phone_is_the_same_person(id_session):
    first, second = Client(), Client()
    for client in (first, second):
        page = client.post(f"/j/{id_session.code}/", {"name": "สมศรี ใจดี", "national_id": ID}).content.decode()
        pending = re.search(r'name="pending" value="([^"]+)"', page).group(1)
        client.post(f"/j/{id_session.code}/consent/", {"pending": pending, "agree": "yes"})
    assert Participant.objects.count() == 1
