"""The report pages in a real browser against gunicorn with two workers: a trainer opens
a session's report on a phone, orders the Excel file, watches its progress (htmx polls
whichever worker answers; the job's state is in the database) and downloads it; the
dashboard on a projector-sized screen; a volunteer's certificate checked by its QR address.

The data is committed (the server cannot see a test's transaction) and removed after."""
import io

import pytest
from openpyxl import load_workbook

from assessments.models import POST, PRE, Attempt
from reports.models import Certificate

from .helpers import TRAINER_PASSWORD, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.django_db  # (one marked test makes pytest-django set the test database up when this file runs alone)
def test_committed_results_are_there_for_the_server(committed):
    s = committed["session"]
    assert Attempt.objects.filter(session=s, kind=PRE).count() == 30
    assert Attempt.objects.filter(session=s, kind=POST).count() == 30
    assert Certificate.objects.filter(session=s).count() >= 1


def log_in(page, base, next_path):
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.fill("input[name=username]", "rb-trainer")
    page.fill("input[name=password]", TRAINER_PASSWORD)
    page.click("button[type=submit]")


def test_trainer_exports_a_session_from_a_phone(live_server_url, phone_page, committed):
    s = committed["session"]
    log_in(phone_page, live_server_url, f"/reports/sessions/{s.pk}/")
    phone_page.wait_for_url(f"**/reports/sessions/{s.pk}/")
    assert phone_page.locator("h1").inner_text() == s.title
    assert phone_page.locator("svg.chart").count() >= 2
    # nothing wider than the phone but the scrollable tables
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 361
    screenshot(phone_page, "reports-session-phone")
    phone_page.get_by_role("button", name="Excel").click()
    job = phone_page.locator(".job").first
    job.wait_for()
    link = phone_page.get_by_role("link", name="ดาวน์โหลด")
    link.wait_for(timeout=60_000)
    screenshot(phone_page, "reports-export-done-phone")
    with phone_page.expect_download() as info:
        link.click()
    with open(info.value.path(), "rb") as downloaded:
        wb = load_workbook(io.BytesIO(downloaded.read()))
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


def test_a_certificate_is_checked_by_its_qr_address(live_server_url, phone_page, committed):
    cert = committed["cert"]
    phone_page.goto(live_server_url + cert.get_absolute_url())
    text = phone_page.locator("main").inner_text()
    assert cert.name in text and "ใช้ได้" in text and "พ.ศ. ๒๕๖๙" in text
    screenshot(phone_page, "reports-certificate-verify-phone")
