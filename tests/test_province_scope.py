"""A province report shows only the units the user may read: a trainer of one unit sees
their own unit's trainings in the province page, its PDF and Excel exports and the
analytics API, never another unit of the same province (names and scores of its people)."""
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from accounts.models import Unit
from assessments.models import POST, PRE
from reports import jobs, sample
from reports.models import ExportJob

from .helpers import chosen, needs_poppler, pdf_text

pytestmark = pytest.mark.django_db

OTHER_TITLE = "อบรมของหน่วยงานอื่น อำเภอแม่สาย"
OTHER_PERSON = "บุญมี ความลับ"


@pytest.fixture
def neighbour(known):
    """A second unit in Chiang Rai, not under the known trainer's unit, with a session
    and a person who took both tests."""
    unit = sample.unit("rq-maesai", "ที่ทำการปกครองอำเภอแม่สาย", "เชียงราย", "ภาคเหนือ", kind=Unit.DISTRICT)
    owner = sample.user("rq-maesai-trainer", [unit])
    s = sample.session(OTHER_TITLE, unit, owner, known["pre_f"], known["post_f"], date(2026, 3, 20))
    p = sample.participant(s, OTHER_PERSON)
    versions = known["versions"]
    sample.record_attempt(known["pre_f"], PRE, versions, chosen(versions, [1, 1, 1, 1, 1]), session_obj=s,
                          participant_obj=p)
    sample.record_attempt(known["post_f"], POST, versions, chosen(versions, [1, 1, 1, 1, 1]), session_obj=s,
                          participant_obj=p)
    return {"unit": unit, "session": s, "owner": owner}


def export(client, kind):
    response = client.post("/reports/exports/", {"kind": kind, "scope": "province", "province": "เชียงราย"})
    assert response.status_code == 302, response.content.decode()[:300]
    job = ExportJob.objects.latest("created_at")
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.DONE, job.message
    return bytes(ExportJob.objects.filter(pk=job.pk).values_list("content", flat=True).get())


def workbook_text(data):
    wb = load_workbook(io.BytesIO(data))
    return " ".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v)


def test_province_page_shows_only_the_units_the_trainer_may_read(client, known, known_trainer, neighbour):
    response = client.get("/reports/provinces/เชียงราย/")
    assert response.status_code == 200
    html = response.content.decode()
    assert known["s1"].title in html
    assert OTHER_TITLE not in html and "แม่สาย" not in html
    assert "แสดงเฉพาะหน่วยงานที่คุณมีสิทธิ์ดู" in html
    # the figures are the trainer's unit's alone (the known session: 40 % → 68 %)
    assert "๔๐.๐% → ๖๘.๐%" in html


def test_province_excel_export_holds_only_readable_units(client, known, known_trainer, neighbour):
    text = workbook_text(export(client, "xlsx"))
    assert "ก้อง" in text and known["s1"].title in text and "เฉพาะหน่วยงานที่ผู้ส่งออกมีสิทธิ์ดู" in text
    assert OTHER_PERSON not in text and OTHER_TITLE not in text and "แม่สาย" not in text


@needs_poppler
def test_province_pdf_export_holds_only_readable_units(client, known, known_trainer, neighbour):
    text = pdf_text(export(client, "pdf"))
    assert "เชียงราย" in text and "เฉพาะหน่วยงานที่" in text  # (pdftotext reorders some marks)
    assert "แม่สาย" not in text and "หน่วยงานอื่น" not in text


def test_province_analytics_api_lists_only_readable_sessions(client, known, known_trainer, neighbour):
    response = client.get("/api/analytics/provinces/เชียงราย")
    assert response.status_code == 200
    ids = {s["id"] for s in response.json()["sessions"]}
    assert ids == {known["s1"].pk}


def test_the_other_unit_sees_its_own_and_not_the_first(client, known, neighbour):
    client.force_login(neighbour["owner"])
    html = client.get("/reports/provinces/เชียงราย/").content.decode()
    assert OTHER_TITLE in html and known["s1"].title not in html
    assert {s["id"] for s in client.get("/api/analytics/provinces/เชียงราย").json()["sessions"]} == \
        {neighbour["session"].pk}


def test_a_unit_under_the_trainers_unit_is_readable(client, known, known_trainer):
    child = sample.unit("rq-north-child", "ศูนย์ย่อยเชียงราย", "เชียงราย", "ภาคเหนือ", kind=Unit.DISTRICT,
                        parent=known["u1"])
    s = sample.session("อบรมของหน่วยย่อย", child, known_trainer, known["pre_f"], known["post_f"], date(2026, 3, 21))
    p = sample.participant(s, "ลูกข่าย")
    sample.record_attempt(known["pre_f"], PRE, known["versions"], chosen(known["versions"], [1, 0, 0, 0, 0]),
                          session_obj=s, participant_obj=p)
    html = client.get("/reports/provinces/เชียงราย/").content.decode()
    assert "อบรมของหน่วยย่อย" in html and known["s1"].title in html
    assert "แสดงเฉพาะหน่วยงานที่คุณมีสิทธิ์ดู" not in html


def test_a_user_without_a_unit_in_the_province_is_refused_everywhere(client, known, known_trainer, neighbour):
    assert client.get("/reports/provinces/ตรัง/").status_code == 403
    assert client.get("/api/analytics/provinces/ตรัง").status_code == 403
    response = client.post("/reports/exports/", {"kind": "xlsx", "scope": "province", "province": "ตรัง"})
    assert response.status_code == 403
    assert not ExportJob.objects.filter(params__province="ตรัง").exists()


def test_the_km_team_sees_every_unit_of_the_province(client, known, km_team, neighbour):
    html = client.get("/reports/provinces/เชียงราย/").content.decode()
    assert OTHER_TITLE in html and known["s1"].title in html
    assert "แสดงเฉพาะหน่วยงานที่คุณมีสิทธิ์ดู" not in html
    text = workbook_text(export(client, "xlsx"))
    assert OTHER_PERSON in text and "ก้อง" in text and "เฉพาะหน่วยงาน" not in text
