"""Editors manage the bank in the Thai admin: edits make versions, bad questions are refused
with a Thai reason, and the bank is exported and imported in the content format (all or
nothing, errors naming file and line)."""
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import Question, QuestionVersion

from .helpers import CONTENT


def question_post_data(q, **changes):
    data = {"key": q.key, "kind": q.kind, "item": q.item_id or "", "field": q.field_id or "", "text": q.text,
            "tf_answer": "" if q.tf_answer is None else ("true" if q.tf_answer else "false"), "source": q.source,
            "explanation": q.explanation, "difficulty": q.difficulty, "status": q.status}
    options = list(q.options.all())
    data.update({"options-TOTAL_FORMS": len(options), "options-INITIAL_FORMS": len(options),
                 "options-MIN_NUM_FORMS": 0, "options-MAX_NUM_FORMS": 5})
    for n, o in enumerate(options):
        data.update({f"options-{n}-id": o.pk, f"options-{n}-question": q.pk, f"options-{n}-key": o.key,
                     f"options-{n}-text": o.text, f"options-{n}-correct": "on" if o.correct else ""})
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_bank_in_the_admin_is_thai(editor_client):
    html = editor_client.get("/admin/assessments/question/").content.decode()
    assert "คลังคำถาม" in html and "นำเข้าไฟล์คลังคำถาม" in html and "ส่งออกเป็นไฟล์" in html


def test_editing_a_question_in_the_admin_makes_a_version(editor_client):
    q = Question.objects.get(key="roles-count")
    url = f"/admin/assessments/question/{q.pk}/change/"
    response = editor_client.post(url, question_post_data(q, text="ตามระเบียบ อพม. มีบทบาทหน้าที่ทั้งหมดกี่ข้อ"))
    assert response.status_code == 302, response.content.decode()[:3000]
    q.refresh_from_db()
    assert q.version == 2 and q.latest_version().text.startswith("ตามระเบียบ")


@pytest.mark.parametrize("changes,message", [
    ({"source": "อพม. มีบทบาทหน้าที่ ๙ ข้อ"}, "ไม่พบในเนื้อหา"),
    ({"options-0-correct": "on", "options-3-correct": "on"}, "1 ตัวเลือกพอดี"),
    ({"options-0-text": "๘ ข้อ"}, "ข้อความซ้ำกัน"),
])
def test_a_bad_question_is_refused_in_the_admin(editor_client, changes, message):
    q = Question.objects.get(key="roles-count")
    before = QuestionVersion.objects.count()
    response = editor_client.post(f"/admin/assessments/question/{q.pk}/change/", question_post_data(q, **changes))
    assert response.status_code == 200 and message in response.content.decode()
    assert QuestionVersion.objects.count() == before
    assert Question.objects.get(pk=q.pk).source == q.source


def test_export_then_import_round_trips(editor_client):
    response = editor_client.get("/admin/assessments/question/import/")
    assert response.status_code == 200
    exported = editor_client.get("/admin/assessments/question/export/")
    assert exported["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(exported.content)).namelist()
    assert "questions/forms.yaml" in names and "questions/regulation-2564/02-volunteers.yaml" in names
    z = zipfile.ZipFile(io.BytesIO(exported.content))
    source = (CONTENT / "questions" / "regulation-2564" / "02-volunteers.yaml").read_text(encoding="utf-8")
    assert z.read("questions/regulation-2564/02-volunteers.yaml").decode() == source
    before = QuestionVersion.objects.count()
    upload = SimpleUploadedFile("questions.zip", exported.content, content_type="application/zip")
    response = editor_client.post("/admin/assessments/question/import/", {"files": upload})
    assert response.status_code == 302
    assert QuestionVersion.objects.count() == before


def test_a_bad_import_names_file_and_line_and_changes_nothing(editor_client):
    good = (CONTENT / "questions" / "regulation-2564" / "06-ethics.yaml").read_text(encoding="utf-8")
    edited = good.replace("text: ตามจรรยาบรรณ อพม. ต้องรักษาความลับของสิ่งใด", "text: แก้แล้วแต่ไม่ควรบันทึก", 1)
    bad_source = (CONTENT / "questions" / "regulation-2564" / "02-volunteers.yaml").read_text(encoding="utf-8")
    bad_source = bad_source.replace("source: มีสัญชาติไทย", "source: มีสัญชาติลาว", 1)
    line = next(n for n, text in enumerate(bad_source.split("\n"), start=1)
                if "key: qualifications-nationality" in text)
    files = [SimpleUploadedFile("06-ethics.yaml", edited.encode()),
             SimpleUploadedFile("02-volunteers.yaml", bad_source.encode())]
    response = editor_client.post("/admin/assessments/question/import/", {"files": files})
    html = response.content.decode()
    assert response.status_code == 400
    assert "นำเข้าไม่สำเร็จ ไม่มีการเปลี่ยนแปลงข้อมูล" in html
    assert f"regulation-2564/02-volunteers.yaml บรรทัด {line}" in html
    assert Question.objects.get(key="ethics-confidentiality").text == "ตามจรรยาบรรณ อพม. ต้องรักษาความลับของสิ่งใด"


def test_the_regrade_page_lists_versions(editor_client):
    q = Question.objects.get(key="roles-count")
    html = editor_client.get(f"/admin/assessments/question/{q.pk}/regrade/").content.decode()
    assert "ตรวจให้คะแนนใหม่" in html and "ฉบับที่" in html
