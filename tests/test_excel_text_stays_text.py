"""Text people typed (a participant's name, a training's title, a unit's name) is written to
every Excel sheet as text: a name like =HYPERLINK(…) never becomes a live formula in the
trainer's workbook, whatever character it starts with (= + - @, a tab or a carriage return)."""
import io
import re
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from assessments.models import POST, PRE
from reports import jobs, sample
from reports.models import ExportJob
from reports.xlsxkit import Sheet, write_workbook

from .helpers import chosen

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example","คลิก")',
    "+66-1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def formulas_in(data: bytes) -> list[str]:
    """Every <f> (formula) element in the workbook's sheets."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [f for name in z.namelist() if name.startswith("xl/worksheets/")
                for f in re.findall(r"<f[ >].*?</f>", z.read(name).decode())]


def text_cells(data: bytes):
    wb = load_workbook(io.BytesIO(data))
    return [(ws.title, c) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def assert_inert(data: bytes, expected: list[str]):
    assert formulas_in(data) == []
    cells = text_cells(data)
    for value in expected:
        value = value.replace("\r", "\n")  # XML reads a carriage return in text as a line feed
        found = [(sheet, c) for sheet, c in cells if c.value == value]
        assert found, f"{value!r} is missing from the workbook"
        for _sheet, c in found:
            assert c.data_type == "s", (value, c.data_type)
            assert c.quotePrefix, f"{value!r} is not marked as text"


def test_write_workbook_keeps_text_starting_with_a_formula_sign_as_text():
    data = write_workbook([Sheet("ชื่อ", [("ชื่อ", 20), ("คะแนน", 8)],
                                [(name, i) for i, name in enumerate(HOSTILE)] + [("สมศรี", 9)], [None, "0.0"])])
    assert_inert(data, HOSTILE)
    wb = load_workbook(io.BytesIO(data))
    assert [r[1] for r in wb["ชื่อ"].iter_rows(min_row=2, values_only=True)] == [0, 1, 2, 3, 4, 5, 9]
    assert wb["ชื่อ"]["A8"].value == "สมศรี" and not wb["ชื่อ"]["A8"].quotePrefix  # ordinary text unchanged


def test_session_and_national_exports_write_hostile_names_as_text(client, known, km_team):
    unit = sample.unit("rq-hostile", '=HYPERLINK("http://evil.example/u","หน่วย")', "เชียงราย", "ภาคเหนือ")
    trainer = sample.user("rq-hostile-trainer", [unit])
    s = sample.session('+SUM(1,2) อบรม', unit, trainer, known["pre_f"], known["post_f"], date(2026, 3, 6))
    versions = known["versions"]
    for name in HOSTILE:
        p = sample.participant(s, name)
        sample.record_attempt(known["pre_f"], PRE, versions, chosen(versions, [1, 0, 1, 0, 1]), session_obj=s,
                              participant_obj=p)
        sample.record_attempt(known["post_f"], POST, versions, chosen(versions, [1, 1, 1, 0, 1]), session_obj=s,
                              participant_obj=p)
    for params in ({"scope": "session", "session": s.pk}, {"scope": "national"}):
        assert client.post("/reports/exports/", {"kind": "xlsx", **params}).status_code == 302
        job = ExportJob.objects.latest("created_at")
        jobs.run(job.pk)
        data = bytes(ExportJob.objects.filter(pk=job.pk).values_list("content", flat=True).get())
        assert_inert(data, HOSTILE + ['+SUM(1,2) อบรม'])
        if params["scope"] == "national":
            assert_inert(data, ['=HYPERLINK("http://evil.example/u","หน่วย")'])
