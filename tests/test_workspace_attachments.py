"""Source documents of a KM (the original PDF, infographics): the unit's team attaches them; the
type is read from the file's first bytes (a renamed program is refused) and the size checked;
they are kept through Django's storage API and open only for the unit's team, its executive
and the division's KM administrators."""
import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import AuditEvent, Membership, Unit
from workspace.models import Attachment, Draft

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.WORKSPACE_MAX_UPLOAD_MB = 1
    a = Unit.objects.create(code="ws-files-a", name="พมจ.อุตรดิตถ์")
    b = Unit.objects.create(code="ws-files-b", name="พมจ.สุโขทัย")
    clients = {"anonymous": Client()}
    for name, unit, role in (("editor", a, Membership.KM_EDITOR), ("reviewer", a, Membership.KM_REVIEWER),
                             ("other", b, Membership.KM_EDITOR)):
        user = get_user_model().objects.create_user(f"files-{name}")
        Membership.objects.create(user=user, unit=unit, role=role)
        clients[name] = Client()
        clients[name].force_login(user)
    draft = Draft.objects.create(unit=a, title="KM ที่มีเอกสารแนบ")
    return draft, clients


def attach(client, draft, name, data):
    return client.post(f"/workspace/{draft.pk}/files/", {"file": SimpleUploadedFile(name, data)}, follow=True)


def test_the_team_attaches_a_pdf_and_an_image_that_only_its_people_open(setup, django_capture_on_commit_callbacks):
    draft, clients = setup
    page = attach(clients["editor"], draft, "รายงาน KM ฉบับสแกน.pdf", PDF).content.decode()
    assert "แนบ “รายงาน KM ฉบับสแกน.pdf” แล้ว" in page
    attach(clients["editor"], draft, "อินโฟกราฟิก.png", PNG)
    pdf, png = Attachment.objects.order_by("pk")
    assert (pdf.content_type, png.content_type) == ("application/pdf", "image/png")
    assert default_storage.exists(pdf.file.name) and pdf.file.name.startswith(f"workspace/{draft.pk}/")
    assert AuditEvent.objects.filter(action="km.attach").count() == 2

    url = f"/workspace/{draft.pk}/files/{pdf.pk}/"
    for who in ("editor", "reviewer"):
        response = clients[who].get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    assert clients["editor"].get(f"/workspace/{draft.pk}/files/{png.pk}/")["Content-Type"] == "image/png"
    assert clients["other"].get(url).status_code == 404
    assert clients["anonymous"].get(url).status_code == 302
    # Only the team attaches and deletes.
    assert clients["reviewer"].post(f"/workspace/{draft.pk}/files/",
                                     {"file": SimpleUploadedFile("x.pdf", PDF)}).status_code == 403
    assert clients["reviewer"].post(f"/workspace/{draft.pk}/files/{pdf.pk}/delete/").status_code == 403
    assert clients["other"].post(f"/workspace/{draft.pk}/files/{pdf.pk}/delete/").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the deletion is committed
        clients["editor"].post(f"/workspace/{draft.pk}/files/{pdf.pk}/delete/")
    assert not Attachment.objects.filter(pk=pdf.pk).exists()
    assert not default_storage.exists(pdf.file.name)


@pytest.mark.parametrize(("name", "data", "message"), [
    ("โปรแกรม.pdf", b"MZ\x90\x00" + b"\x00" * 60, "แนบได้เฉพาะไฟล์ PDF หรือภาพ PNG, JPEG, WebP"),
    ("หน้าเว็บ.png", b"<html><script>alert(1)</script></html>", "แนบได้เฉพาะไฟล์ PDF หรือภาพ PNG, JPEG, WebP"),
    ("ใหญ่เกิน.pdf", PDF + b"0" * (1024 * 1024), "ไฟล์ใหญ่เกิน ๑ เมกะไบต์"),
])
def test_a_wrong_file_is_refused_in_thai_and_nothing_is_kept(setup, name, data, message):
    draft, clients = setup
    page = attach(clients["editor"], draft, name, data).content.decode()
    assert message in page
    assert not Attachment.objects.exists()
