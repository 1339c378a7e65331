"""Excel and PDF exports, run as background jobs whose state is kept in the database."""
import io
import subprocess
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import Attempt
from reports import jobs, pdf, xlsx
from reports.dashboards import province_report
from reports.models import ExportJob
from reports.periods import Period
from reports.session_report import session_report

from .helpers import keep_pngs, needs_poppler, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


def order(client, **data):
    """Order an export; the job is queued for the task worker (tests/test_task_queue.py
    runs the worker), here it is run directly in the test's own transaction."""
    response = client.post("/reports/exports/", data)
    job = ExportJob.objects.latest("created_at")
    assert job.status == ExportJob.QUEUED
    jobs.run(job.pk)
    job.refresh_from_db()
    return response, job


def rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_session_workbook_has_every_sheet_with_thai_headers(client, known, km_team):
    response, job = order(client, kind="xlsx", scope="session", session=known["s1"].pk)
    assert response.status_code == 302 and response["Location"] == f"/reports/exports/{job.pk}/"
    assert job.status == ExportJob.DONE and job.filename.endswith(".xlsx")
    page = client.get(f"/reports/exports/{job.pk}/").content.decode()
    assert f"/reports/exports/{job.pk}/file" in page and "ดาวน์โหลด" in page
    data = client.get(f"/reports/exports/{job.pk}/file")
    assert data["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(data.content))
    assert wb.sheetnames == ["สรุป", "รายหมวด", "คะแนนรายบุคคล", "คำตอบ", "วิเคราะห์ข้อสอบ"]

    summary = dict((r[0], r[1]) for r in rows(wb["สรุป"])[1:])
    assert summary["คะแนนเฉลี่ยก่อนอบรม (ร้อยละ)"] == 40 and summary["คะแนนเฉลี่ยหลังอบรม (ร้อยละ)"] == 68
    assert summary["ความก้าวหน้าของกลุ่ม: ความรู้ที่ได้เพิ่มเทียบกับส่วนที่ยังไม่รู้ (Hake's g)"] == pytest.approx(
        0.4667, abs=1e-4)
    assert summary["ค่า p (สองทาง)"] == pytest.approx(0.140773, abs=1e-6)
    assert summary["คะแนนเปลี่ยนจริงหรือเป็นความบังเอิญ"] == "ยังสรุปไม่ได้ (คนน้อยเกินไป)"
    # Dates are real date cells with one Buddhist-Era number format on every sheet.
    day_cell = next(r for r in wb["สรุป"].iter_rows(min_row=2) if r[0].value == "ช่วงเวลา")[2]
    assert day_cell.is_date and day_cell.value.date() == date(2026, 3, 5) and day_cell.number_format == xlsx.DATE

    people = rows(wb["คะแนนรายบุคคล"])
    assert people[0][:6] == ["รหัสการอบรม", "วันที่อบรม", "การอบรม", "หน่วยงาน", "จังหวัด", "ชื่อ"]
    kong = next(r for r in people if r[5] == "ก้อง")
    assert kong[1] == datetime(2026, 3, 5) and kong[4] == "เชียงราย"
    assert wb["คะแนนรายบุคคล"]["B2"].is_date and wb["คะแนนรายบุคคล"]["B2"].number_format == xlsx.DATE
    assert kong[6:] == [1, 5, 20, 4, 5, 80, 60, 0.75, "ผ่าน"]
    fah = next(r for r in people if r[5] == "ฟ้า")
    assert fah[9] is None and fah[14] is None

    answers = rows(wb["คำตอบ"])
    assert answers[0] == ["รหัสการอบรม", "ชื่อ", "แบบทดสอบ", "ข้อที่", "รหัสคำถาม", "หมวด", "ตอบ", "เฉลย", "ผล", "ส่งเมื่อ"]
    assert len(answers) - 1 == 6 * 5 + 5 * 5
    assert ["ก้อง", "หลังอบรม", 5, "rq-5-1", "หมวดที่ ๕", "ข", "ก", "ผิด"] in [r[1:9] for r in answers]
    # submitted: a date-time cell in Bangkok wall-clock time, shown in the Buddhist Era
    submitted = timezone.localtime(Attempt.objects.get(participant__name="ก้อง", kind="post").submitted_at)
    cell = next(r[9] for r in wb["คำตอบ"].iter_rows(min_row=2) if r[1].value == "ก้อง" and r[2].value == "หลังอบรม")
    assert cell.is_date and cell.number_format == xlsx.DATETIME
    assert cell.value == submitted.replace(tzinfo=None, microsecond=cell.value.microsecond)

    sections = rows(wb["รายหมวด"])
    assert sections[0][:4] == ["หมวด", "ชื่อหมวด", "ก่อนอบรม (ร้อยละ)", "หลังอบรม (ร้อยละ)"]
    assert [r[3] for r in sections[1:6]] == [100, 100, 80, 40, 20]

    items = rows(wb["วิเคราะห์ข้อสอบ"])
    assert items[0][1] == "ข้อที่" and items[0][5] == "ความยาก p (ร้อยละตอบถูก)"
    post_form_row = next(i for i, r in enumerate(items) if r[0] and "หลังอบรม" in r[0])
    assert "(KR-20) = ๐.๕๘ จาก ๕ ครั้ง" in items[post_form_row][10] and "น้อยกว่า ๒๐ ครั้ง" in items[post_form_row][10]
    first = items[post_form_row + 1]
    assert first[1:3] == [1, "rq-1-1"] and first[5] == 100 and "ก*=๕" in first[9] and "ยังไม่ประเมิน" in first[10]


def test_province_workbook_and_progress_partial(client, known, km_team):
    response = client.post("/reports/exports/", {"kind": "xlsx", "scope": "province", "province": "ตรัง",
                                                 "fy": "2569"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    job = ExportJob.objects.latest("created_at")
    assert 'hx-trigger="every 1s"' in html and "รอเริ่มงาน" in html
    jobs.run(job.pk)
    html = client.get(f"/reports/exports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in html and "ดาวน์โหลด" in html
    wb = load_workbook(io.BytesIO(client.get(f"/reports/exports/{job.pk}/file").content))
    assert "รายการอบรม" in wb.sheetnames
    names = sorted(r[5] for r in rows(wb["คะแนนรายบุคคล"])[1:])
    assert names == ["กานต์", "หทัย"]
    summary = dict((r[0], r[1]) for r in rows(wb["สรุป"])[1:])
    assert summary["ช่วงเวลา"] == "ปีงบประมาณ ๒๕๖๙" and summary["คะแนนเฉลี่ยหลังอบรม (ร้อยละ)"] == 90


def test_exports_are_private_to_who_ordered_them(client, known, km_team):
    _, job = order(client, kind="pdf", scope="session", session=known["s1"].pk)
    client.force_login(get_user_model().objects.create_user("someone-else", is_staff=True))
    assert client.get(f"/reports/exports/{job.pk}/").status_code == 404
    assert client.get(f"/reports/exports/{job.pk}/file").status_code == 404


def test_a_trainer_cannot_export_other_units_or_the_whole_country(client, known):
    client.force_login(known["s1"].trainer)
    assert client.post("/reports/exports/", {"kind": "xlsx", "scope": "session",
                                             "session": known["s2"].pk}).status_code == 403
    assert client.post("/reports/exports/", {"kind": "xlsx", "scope": "national"}).status_code == 403
    assert client.post("/reports/exports/", {"kind": "exe", "scope": "national"}).status_code == 400
    assert not ExportJob.objects.exists()


def test_a_job_whose_process_died_is_shown_as_stopped(client, km_team):
    job = ExportJob.objects.create(user=km_team, kind="xlsx", params={}, title="ทดสอบ", status=ExportJob.RUNNING)
    ExportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(minutes=10))
    html = client.get(f"/reports/exports/{job.pk}/").content.decode()
    assert "งานหยุดกลางคัน" in html and "hx-trigger" not in html


def test_a_failing_export_records_a_thai_message(client, km_team):
    job = ExportJob.objects.create(user=km_team, kind="pdf", params={"scope": "session", "session": 0},
                                   title="ทดสอบ")
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.FAILED and job.message.startswith("สร้างไฟล์ไม่สำเร็จ")
    assert "สร้างไฟล์ไม่สำเร็จ" in client.get(f"/reports/exports/{job.pk}/").content.decode()


@needs_poppler
def test_session_pdf_report(known):
    data = pdf.session_pdf(session_report(known["s1"]))
    assert data.startswith(b"%PDF") and pdf_pages(data) >= 2
    text = pdf_text(data)
    # Thai digits and Buddhist-Era dates; the names of the people
    assert "๕ มีนาคม พ.ศ. ๒๕๖๙" in text and "๒๘.๐" in text and "ขวัญ" in text
    assert "Sarabun" in subprocess.run(["pdffonts", "-"], input=data, capture_output=True).stdout.decode()
    keep_pngs(data, "report-session")


@needs_poppler
def test_province_pdf_report(known):
    data = pdf.province_pdf(province_report("เชียงราย", Period.fiscal(2569)))
    text = pdf_text(data)
    assert "ปีงบประมาณ ๒๕๖๙" in text and "๖๘.๐" in text
    keep_pngs(data, "report-province")
