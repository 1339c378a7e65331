"""Plain helpers shared by the tests (the fixtures are in conftest.py): where things are,
pictures and PDF pages kept for people to look at, and a phone's way through a training
session with Django's test client."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from assessments import grading
from assessments.models import QuestionVersion, TestForm, TrainingSession

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SCREENSHOTS = ROOT / "var" / "screenshots"
# axe-core's rules for WCAG 2.1 level AA.
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
# The password of the trainers the browser tests commit for the real server and log in as.
TRAINER_PASSWORD = "รหัสผ่านผู้จัดอบรม-ทดสอบ-2569"


def screenshot(page, name, full_page=True):
    """Keep a picture of what the user saw, for people to look at: the whole page, or just
    the screen (where a sticky bar sits as the phone shows it)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="ไม่พบ poppler-utils (pdftotext)")


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def pdf_pages(data: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def keep_pngs(data: bytes, name: str):
    """Pages as PNG under var/screenshots, for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"{name}.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(SCREENSHOTS / f"{name}.pdf"), str(SCREENSHOTS / name)],
                   check=True)


def make_session(unit, trainer, ask_for=TrainingSession.NAME_ONLY, **kwargs):
    grading.clear_caches()  # a cached draw from another test's rolled-back bank
    pre, post = TestForm.objects.get(key="volunteer-pre-a"), TestForm.objects.get(key="volunteer-post-b")
    kwargs = {"time_limit": pre.time_limit, "pass_mark": post.pass_mark, **kwargs}  # as the session form suggests
    return TrainingSession.objects.create(title="อบรม อพม. ใหม่ รุ่นที่ 1", unit=unit, date="2026-03-02",
                                          trainer=trainer, pre_form=pre, post_form=post, ask_for=ask_for, **kwargs)


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
    versions = QuestionVersion.objects.in_bulk([vid for vid, _ in questions])
    out = {}
    for n, (vid, keys) in enumerate(questions):
        right = versions[vid].correct
        out[vid] = next(k for k in keys if k != right) if n < wrong else right
    return out


def chosen(versions, pattern):
    """The options a person chose on sample questions (right option "a"), from a pattern of
    1 (right) and 0 (wrong)."""
    return ["a" if right else "b" for _, right in zip(versions, pattern, strict=True)]


def submit_form(client, session, page, answers, key=None):
    """Post the test page's form as the browser would without JavaScript."""
    data = {"ticket": page["ticket"], "key": key or page["key"]}
    data.update({f"a{vid}": opt for vid, opt in answers.items()})
    return client.post(f"/j/{session.code}/submit/", data)
