"""Certificates of completion: issued to those who passed the post-test, verified by a
public page behind a signed, unguessable code printed as a QR code."""
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import Image, ImageChops

from assessments.models import POST, Attempt
from reports import certificates, jobs
from reports.models import Certificate, ExportJob

from .helpers import keep_pngs, needs_poppler, pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


def test_certificates_go_to_those_who_passed_the_post_test_once(known):
    certs = certificates.issue(known["s1"])
    # post-test ≥ 60 %: ก้อง 80, คณิน 100, ดวงใจ 60, เอก 60; not ขวัญ (40) nor ฟ้า (no post-test)
    assert sorted(c.name for c in certs) == sorted(["ก้อง", "คณิน", "ดวงใจ", "เอก"])
    assert len({c.number for c in certs}) == 4 and len({c.code for c in certs}) == 4
    assert certificates.issue(known["s1"]) == certs   # asking again issues nothing new
    kong = next(c for c in certs if c.name == "ก้อง")
    assert (kong.score, kong.max_score, kong.training_date, kong.training) == (
        4, 5, known["s1"].date, known["s1"].title)
    khwan_post = Attempt.objects.get(participant__name="ขวัญ", kind=POST)
    assert certificates.certificate_for(khwan_post) is None
    assert certificates.certificate_for(kong.attempt) == kong


def test_public_verification_page(client, known):
    cert = next(c for c in certificates.issue(known["s1"]) if c.name == "คณิน")
    url = cert.get_absolute_url()
    assert url.startswith("/c/") and cert.code in url and len(cert.code) >= 16
    html = client.get(url).content.decode()   # no login
    for text in ("คณิน", known["s1"].title, "๕ มีนาคม พ.ศ. ๒๕๖๙", "ใช้ได้"):
        assert text in html, text
    assert "คะแนน" not in html   # a public page shows no more than it must
    assert cert.verify_url().endswith(url)


def test_forged_or_guessed_codes_find_nothing(client, known):
    cert = certificates.issue(known["s1"])[0]
    code, signature = cert.token.rsplit(".", 1)
    forged = f"{code}.{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}"
    for token in (forged, code, "x" * 20, f"{Certificate.objects.exclude(pk=cert.pk).first().code}.{signature}"):
        response = client.get(f"/c/{token}/")
        assert response.status_code == 404 and "ไม่พบวุฒิบัตร" in response.content.decode()
    assert client.get(f"/c/{forged}/pdf").status_code == 404


def test_revoked_or_regraded_certificates_say_so(client, known):
    certs = {c.name: c for c in certificates.issue(known["s1"])}
    revoked = certs["ก้อง"]
    revoked.revoked_at, revoked.revoked_reason = timezone.now(), "ออกผิดคน"
    revoked.save()
    html = client.get(revoked.get_absolute_url()).content.decode()
    assert "ถูกเพิกถอน (ออกผิดคน)" in html and "ดาวน์โหลดวุฒิบัตร" not in html
    assert client.get(f"{revoked.get_absolute_url()}pdf").status_code == 404
    regraded = certs["เอก"]
    Attempt.objects.filter(pk=regraded.attempt_id).update(passed=False, score=2, regraded_at=timezone.now())
    assert "ไม่มีผล" in client.get(regraded.get_absolute_url()).content.decode()


@needs_poppler
def test_certificate_pdf_carries_a_qr_code_of_its_verification_address(client, known):
    cert = next(c for c in certificates.issue(known["s1"]) if c.name == "ดวงใจ")
    response = client.get(f"{cert.get_absolute_url()}pdf")
    assert response["Content-Type"] == "application/pdf"
    data = response.content
    assert pdf_pages(data) == 1
    text = pdf_text(data)
    assert "๕ มีนาคม พ.ศ. ๒๕๖๙" in text and "ดวงใจ" in text
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "c.pdf").write_bytes(data)
        subprocess.run(["pdfimages", "-png", str(Path(tmp) / "c.pdf"), str(Path(tmp) / "img")], check=True)
        printed = Image.open(Path(tmp) / "img-000.png").convert("1")
    # the image in the PDF is, pixel for pixel, the QR code of this certificate's address on
    # the host the PDF was asked from (SITE_URL is unset)
    expected = Image.open(certificates.qr_png(cert.verify_url("http://testserver"))).convert("1")
    assert printed.size == expected.size and ImageChops.difference(printed, expected).getbbox() is None
    keep_pngs(data, "certificate")


@needs_poppler
def test_certificates_of_a_session_as_one_job(client, known):
    client.force_login(get_user_model().objects.create_user("km", is_staff=True))
    client.post("/reports/exports/", {"kind": "certificates", "scope": "session", "session": known["s1"].pk})
    job = ExportJob.objects.get()
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.DONE
    data = client.get(f"/reports/exports/{job.pk}/file").content
    assert pdf_pages(data) == 4
    assert Certificate.objects.filter(session=known["s1"]).count() == 4


def test_verification_api_is_public(client, known):
    cert = next(c for c in certificates.issue(known["s1"]) if c.name == "ก้อง")
    data = client.get(f"/api/certificates/{cert.token}").json()
    assert data == {"number": cert.number, "name": "ก้อง", "training": known["s1"].title, "unit": "พมจ.เชียงราย",
                    "date": "2026-03-05", "valid": True, "status": "ใช้ได้"}
    assert client.get(f"/api/certificates/{cert.code}.forged").status_code == 404


def test_editors_revoke_certificates_in_the_admin(client, known):
    certs = certificates.issue(known["s1"])
    client.force_login(get_user_model().objects.create_superuser("editor", "e@example.org", "x"))
    response = client.post("/admin/reports/certificate/", {"action": "revoke", "_selected_action": [certs[0].pk]})
    assert response.status_code == 302
    certs[0].refresh_from_db()
    assert certs[0].revoked_at is not None and not certs[0].valid
    assert "ถูกเพิกถอน" in client.get(certs[0].get_absolute_url()).content.decode()
