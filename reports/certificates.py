"""Certificates of completion (วุฒิบัตร): issued to every participant whose post-test
passed, printed as an A4 landscape PDF page each with a QR code that opens the public
verification page of that certificate."""
from __future__ import annotations

from django.db import IntegrityError, transaction

from assessments.models import POST, Attempt, TrainingSession
from volunteerkm.qr import qr_png
from volunteerkm.thai import be_year, thai_date, thai_digits

from .models import Certificate
from .pdfkit import ACCENT, FONT, INK, MUTED, ThaiPDF

ISSUER = "กองกิจการอาสาสมัครและภาคประชาสังคม"
DEPARTMENT = "กรมพัฒนาสังคมและสวัสดิการ กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์"


def issue(session: TrainingSession) -> list[Certificate]:
    """Issue (once) a certificate for every passed post-test of the session; returns the
    session's certificates by name."""
    passed = (Attempt.objects.filter(session=session, kind=POST, passed=True, participant__isnull=False,
                                     certificate__isnull=True).select_related("participant").order_by("id"))
    year = be_year(session.date)
    for attempt in passed:
        for _ in range(5):
            seq = Certificate.objects.filter(session=session).count() + 1
            try:
                with transaction.atomic():
                    Certificate.objects.create(
                        attempt=attempt, participant=attempt.participant, session=session,
                        number=f"{session.pk}/{seq}/{year}", name=attempt.participant.name, training=session.title,
                        unit_name=session.unit.name, training_date=session.date, score=attempt.score,
                        max_score=attempt.max_score)
                break
            except IntegrityError:  # someone issued at the same moment: the attempt or the number is taken
                if Certificate.objects.filter(attempt=attempt).exists():
                    break
    return list(Certificate.objects.filter(session=session).select_related("attempt").order_by("name", "id"))


def certificate_for(attempt) -> Certificate | None:
    """The certificate of a passed post-test attempt, issued on first ask (for the
    volunteer's own result page); None if the attempt did not pass."""
    if attempt.kind != POST or not attempt.passed or attempt.session_id is None:
        return None
    existing = Certificate.objects.filter(attempt=attempt).first()
    if existing:
        return existing
    issue(attempt.session)
    return Certificate.objects.filter(attempt=attempt).first()


def _page(pdf: ThaiPDF, cert: Certificate, base_url: str):
    pdf.add_page()
    w, h = pdf.w, pdf.h
    # double frame
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.6)
    pdf.rect(10, 10, w - 20, h - 20)
    pdf.set_line_width(0.4)
    pdf.rect(14, 14, w - 28, h - 28)
    pdf.set_line_width(0.2)
    pdf.set_text_color(*INK)

    def centred(text, size, style="", y=None, colour=INK, height=None):
        pdf.set_font(FONT, style, size)
        pdf.set_text_color(*colour)
        if y is not None:
            pdf.set_y(y)
        for line in pdf.lines(text, w - 70):
            pdf.set_x(35)
            pdf.cell(w - 70, height or size * 0.5, line, align="C", new_x="LMARGIN", new_y="NEXT")

    centred(ISSUER, 18, "B", y=24)
    centred(DEPARTMENT, 13, colour=MUTED)
    centred("วุฒิบัตร", 38, "B", y=pdf.get_y() + 6, colour=ACCENT, height=20)
    centred("ให้ไว้เพื่อแสดงว่า", 16, y=pdf.get_y() + 2)
    centred(cert.name, 30, "B", y=pdf.get_y() + 3, height=16)
    centred(f"ได้เข้ารับการอบรม “{cert.training}”", 17, y=pdf.get_y() + 3)
    centred("และผ่านการทดสอบความรู้หลังการอบรมตามเกณฑ์", 15)
    centred(f"จัดโดย {cert.unit_name}", 15)
    centred(f"ให้ไว้ ณ วันที่ {thai_date(cert.training_date)}", 16, y=pdf.get_y() + 4)
    # signature block
    sig_x, sig_y = w / 2 - 45, h - 62
    pdf.set_draw_color(*MUTED)
    pdf.set_line_width(0.2)
    pdf.set_dash_pattern(dash=1, gap=1)
    pdf.line(sig_x + 10, sig_y + 12, sig_x + 80, sig_y + 12)
    pdf.set_dash_pattern()
    pdf.set_font(FONT, "", 14)
    pdf.set_text_color(*INK)
    pdf.set_xy(sig_x, sig_y + 14)
    pdf.cell(90, 7, "(.................................................)", align="C", new_x="LEFT", new_y="NEXT")
    pdf.cell(90, 7, f"ผู้อำนวยการ{ISSUER}", align="C")
    # QR code and number
    size = 34
    qx, qy = w - 24 - size, h - 24 - size - 8
    pdf.image(qr_png(cert.verify_url(base_url)), x=qx, y=qy, w=size, h=size)
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*MUTED)
    pdf.set_xy(qx - 8, qy + size)
    pdf.cell(size + 16, 5, "สแกนเพื่อตรวจสอบวุฒิบัตร", align="C")
    pdf.set_xy(24, h - 32)
    pdf.cell(80, 5, f"เลขที่ {thai_digits(cert.number)}")
    pdf.set_text_color(*INK)


def certificates_pdf(certs, progress=None, base_url: str = "") -> bytes:
    """Certificates as one PDF, a page each; ``base_url`` is the site's address for the
    QR codes (volunteerkm.links.site_url of the request that asked)."""
    pdf = ThaiPDF(title="วุฒิบัตร", orientation="L")
    pdf.numbered = False
    pdf.set_auto_page_break(False)
    for i, cert in enumerate(certs, start=1):
        _page(pdf, cert, base_url)
        if progress:
            progress(i, len(certs))
    return bytes(pdf.output())
