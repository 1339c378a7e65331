"""The report pages in a real browser against gunicorn with two workers: a trainer opens
a session's report on a phone, orders the Excel file, watches its progress (htmx polls
whichever worker answers; the job's state is in the database) and downloads it; the
dashboard on a projector-sized screen; a volunteer's certificate checked by its QR address.

The data is committed (the server cannot see a test's transaction) and removed after."""
import io
import random
from datetime import date

import pytest
from django.db import connections
from openpyxl import load_workbook

from accounts.models import Unit
from assessments.models import (
    POST, PRE, Attempt, Participant, Question, QuestionVersion, TestForm, TrainingSession,
)
from reports import certificates, sample
from reports.models import Certificate, ExportJob, SectionSummary, SessionSummary
from tests.conftest import screenshot

PASSWORD = "rb-pass-2569"


@pytest.fixture(scope="module")
def committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        rng = random.Random(7)
        versions = sample.question_bank("rb", per_chapter=2)
        pre_f = sample.form("แบบทดสอบก่อนอบรม (ทดสอบเบราว์เซอร์)", PRE, versions)
        post_f = sample.form("แบบทดสอบหลังอบรม (ทดสอบเบราว์เซอร์)", POST, versions)
        unit = sample.unit("rb-nan", "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดน่าน", "น่าน", "ภาคเหนือ")
        trainer = sample.user("rb-trainer", [unit], first_name="ผู้จัด", last_name="น่าน")
        trainer.set_password(PASSWORD)
        trainer.save()
        s = sample.session("อบรมทบทวนความรู้ระเบียบฯ อพม. จังหวัดน่าน", unit, trainer, pre_f, post_f, date(2026, 6, 12))
        for i in range(30):
            p = sample.participant(s, f"ผู้เข้าอบรม {i + 1:02d}")
            pre = rng.randint(3, 9)
            sample.record_attempt(pre_f, PRE, versions, sample.chosen_for(versions, pre, rng), session_obj=s,
                                  participant_obj=p)
            sample.record_attempt(post_f, POST, versions, sample.chosen_for(versions, min(14, pre + rng.randint(0, 6)),
                                                                             rng), session_obj=s, participant_obj=p)
        cert = certificates.issue(s)[0]
        yield {"session": s, "trainer": trainer, "cert": cert}
        # remove everything this module committed, children first
        ExportJob.objects.filter(user=trainer).delete()
        Certificate.objects.filter(session=s).delete()
        SessionSummary.objects.filter(session=s).delete()
        SectionSummary.objects.filter(session=s).delete()
        Attempt.objects.filter(session=s).delete()
        Participant.objects.filter(session=s).delete()
        TrainingSession.objects.filter(pk=s.pk).delete()
        TestForm.objects.filter(pk__in=[pre_f.pk, post_f.pk]).delete()
        QuestionVersion.objects.filter(question__key__startswith="rb-").delete()
        Question.objects.filter(key__startswith="rb-").delete()
        trainer.delete()
        Unit.objects.filter(pk=unit.pk).delete()
        connections.close_all()


@pytest.mark.django_db  # (one marked test makes pytest-django set the test database up when this file runs alone)
def test_committed_results_are_there_for_the_server(committed):
    s = committed["session"]
    assert Attempt.objects.filter(session=s, kind=PRE).count() == 30
    assert Attempt.objects.filter(session=s, kind=POST).count() == 30
    assert Certificate.objects.filter(session=s).count() >= 1


def log_in(page, base, next_path):
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.fill("input[name=username]", "rb-trainer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_trainer_exports_a_session_from_a_phone(live_server_url, phone, committed):
    s = committed["session"]
    log_in(phone, live_server_url, f"/reports/sessions/{s.pk}/")
    phone.wait_for_url(f"**/reports/sessions/{s.pk}/")
    assert phone.locator("h1").inner_text() == s.title
    assert phone.locator("svg.chart").count() >= 2
    # nothing wider than the phone but the scrollable tables
    assert phone.evaluate("document.documentElement.scrollWidth") <= 361
    screenshot(phone, "reports-session-phone")
    phone.get_by_role("button", name="Excel").click()
    job = phone.locator(".job").first
    job.wait_for()
    link = phone.get_by_role("link", name="ดาวน์โหลด")
    link.wait_for(timeout=60_000)
    screenshot(phone, "reports-export-done-phone")
    with phone.expect_download() as info:
        link.click()
    wb = load_workbook(io.BytesIO(open(info.value.path(), "rb").read()))
    assert wb.sheetnames == ["สรุป", "รายหมวด", "คะแนนรายบุคคล", "คำตอบ", "วิเคราะห์ข้อสอบ"]
    assert len(list(wb["คะแนนรายบุคคล"].iter_rows())) == 31


def test_dashboard_on_a_projector(live_server_url, browser, committed):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="th-TH")
    page = context.new_page()
    log_in(page, live_server_url, "/reports/")
    page.wait_for_url("**/reports/")
    assert "น่าน" in page.locator("table.data").first.inner_text()
    # the charts scale with the screen and keep their Thai labels as text
    width = page.locator("svg.chart").first.bounding_box()["width"]
    assert width > 600
    screenshot(page, "reports-dashboard-projector")
    page.goto(f"{live_server_url}/reports/provinces/น่าน/")
    screenshot(page, "reports-province-projector")
    context.close()


def test_a_certificate_is_checked_by_its_qr_address(live_server_url, phone, committed):
    cert = committed["cert"]
    phone.goto(live_server_url + cert.get_absolute_url())
    text = phone.locator("main").inner_text()
    assert cert.name in text and "ใช้ได้" in text and "พ.ศ. ๒๕๖๙" in text
    screenshot(phone, "reports-certificate-verify-phone")
