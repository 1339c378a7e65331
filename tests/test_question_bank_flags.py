"""Editors see each question's item-analysis flag in the question bank list."""
import pytest
from django.contrib.auth.models import User

from assessments.models import Question

pytestmark = pytest.mark.django_db


def test_question_list_shows_the_analysis_column(client):
    client.force_login(User.objects.create_superuser("km-editor", "km@example.go.th", "รหัสผ่านยาว-12345"))
    page = client.get("/admin/assessments/question/").content.decode()
    assert "ผลวิเคราะห์ข้อสอบ" in page
    # The seed bank has no answers yet: every question says so rather than showing a flag.
    assert page.count("ยังไม่มีผู้ตอบ") == min(Question.objects.count(), 100)
