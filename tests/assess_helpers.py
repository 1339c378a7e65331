"""Fixtures and helpers shared by the assessment tests: a province office, its trainer, a
session on the seed forms, and a phone (Django's test client) that joins it."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.models import Membership, Unit
from assessments import grading
from assessments.models import TestForm, TrainingSession


@pytest.fixture
def unit(db):
    return Unit.objects.create(code="pmj-chiangmai", name="สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดเชียงใหม่",
                               short_name="พมจ.เชียงใหม่", kind=Unit.PROVINCE, province="เชียงใหม่", region="เหนือ")


@pytest.fixture
def trainer(unit):
    user = get_user_model().objects.create_user("trainer-cm")  # tests log in with force_login
    Membership.objects.create(user=user, unit=unit, role=Membership.TRAINER)
    return user


def make_session(unit, trainer, ask_for=TrainingSession.NAME_ONLY, **kwargs):
    grading.clear_caches()  # a cached draw from another test's rolled-back bank
    return TrainingSession.objects.create(
        title="อบรม อพม. ใหม่ รุ่นที่ ๑", unit=unit, date="2026-03-02", trainer=trainer,
        pre_form=TestForm.objects.get(key="volunteer-pre-a"), post_form=TestForm.objects.get(key="volunteer-post-b"),
        ask_for=ask_for, **kwargs)


@pytest.fixture
def session(unit, trainer):
    return make_session(unit, trainer)


def join(client: Client, session, name="สมศรี ใจดี", **extra):
    """Join through the pages: name → consent → agree. Returns the last response."""
    response = client.post(f"/j/{session.code}/", {"name": name, **extra})
    assert response.status_code == 200, response.content.decode()[:500]
    pending = re.search(r'name="pending" value="([^"]+)"', response.content.decode()).group(1)
    return client.post(f"/j/{session.code}/consent/", {"pending": pending, "agree": "yes"})


def read_test_page(client: Client, session):
    """The test page's ticket, key and questions [(version id, [option keys])] in order."""
    response = client.get(f"/j/{session.code}/test/")
    assert response.status_code == 200
    html = response.content.decode()
    ticket = re.search(r'name="ticket" value="([^"]+)"', html).group(1)
    key = re.search(r'name="key" value="([^"]+)"', html).group(1)
    questions = []
    for vid in re.findall(r'data-q="(\d+)"', html):
        questions.append((int(vid), re.findall(rf'name="a{vid}" value="([a-z])"', html)))
    return {"ticket": ticket, "key": key, "questions": questions, "html": html}




def correct_answers(questions, wrong=0):
    """Right answers for all but the first `wrong` questions (those get a wrong option)."""
    from assessments.models import QuestionVersion

    versions = QuestionVersion.objects.in_bulk([vid for vid, _ in questions])
    out = {}
    for n, (vid, keys) in enumerate(questions):
        right = versions[vid].correct
        out[vid] = next(k for k in keys if k != right) if n < wrong else right
    return out
