"""An A4 poster of one knowledge item for a notice board: a large title, the key points,
a QR code to the page, the division's name and the date in พ.ศ. The key points take the
largest size at which they all fit; what cannot fit even small is left to the QR code."""
from django.utils import timezone
from django.views.decorators.http import require_GET

from reports.pdfkit import FONT, MUTED, ThaiPDF
from volunteerkm.thai import thai_date, thai_digits

from . import rendered
from .printing import DIVISION, SITE_NAME, band, hanging, item_lines, line_height, qr_image
from .subjects import Subject, locate

LAYOUT = "poster-1"
MARGIN = 18
QR_SIZE = 52
FOOTER = QR_SIZE + 16  # mm kept at the bottom for the QR code and the date
POINT_SIZES = (24, 22, 20, 18, 16, 15, 14, 13, 12)
MORE = "ยังมีต่อ สแกนคิวอาร์โค้ดเพื่ออ่านเรื่องเต็ม"


def points_height(pdf: ThaiPDF, points: list[str], size: float) -> float:
    gap = size * 0.12
    return sum(len(item_lines(pdf, p, pdf.epw, size, 8)) * line_height(size) + gap for p in points)


def fit_points(pdf: ThaiPDF, points: list[str], room: float) -> tuple[float, list[str], bool]:
    """The largest size at which every point fits in ``room`` mm; at the smallest size,
    as many points as fit (and False: not all are shown)."""
    for size in POINT_SIZES:
        if points_height(pdf, points, size) <= room:
            return size, points, True
    size = POINT_SIZES[-1]
    shown = list(points)
    while shown and points_height(pdf, shown, size) + line_height(size) > room:
        shown.pop()
    return size, shown, False


def draw_poster(subject: Subject) -> bytes:
    pdf = ThaiPDF(title=f"โปสเตอร์: {subject.title}")
    pdf.numbered = False
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    band(pdf, 26, DIVISION, f"{SITE_NAME} · ระเบียบฯ อพม. พ.ศ. ๒๕๖๔ ที่ควรรู้", size=18)

    pdf.set_y(36)
    pdf.para(thai_digits(subject.context), size=16, colour=MUTED, height=line_height(16))
    pdf.ln(2)
    for size in (40, 36, 32, 28):
        pdf.set_font(FONT, "B", size)
        if len(pdf.lines(subject.title, pdf.epw)) <= 2:
            break
    pdf.para(thai_digits(subject.title), size=size, style="B", height=line_height(size) * 0.9)
    pdf.ln(3)
    if subject.sentence and subject.sentence != subject.title and subject.points:
        pdf.para(thai_digits(subject.sentence), size=18, height=line_height(18))
        pdf.ln(2)

    bottom = pdf.h - MARGIN - FOOTER
    points = subject.points or ([subject.sentence] if subject.sentence != subject.title else [])
    size, shown, complete = fit_points(pdf, points, bottom - pdf.get_y())
    for point in shown:
        hanging(pdf, "•", point, size, marker_width=8)
        pdf.ln(size * 0.12)
    if not complete:
        pdf.para(MORE, size=size, style="B", height=line_height(size))

    # the page's QR code, its address and the dates
    top = pdf.h - MARGIN - QR_SIZE
    pdf.set_draw_color(*MUTED)
    pdf.line(MARGIN, top - 6, pdf.w - MARGIN, top - 6)
    qr_image(pdf, subject.url, pdf.w - MARGIN - QR_SIZE, top, QR_SIZE)
    text_width = pdf.epw - QR_SIZE - 6
    pdf.set_xy(MARGIN, top)
    pdf.set_font(FONT, "B", 20)
    for line in pdf.lines("สแกนคิวอาร์โค้ดเพื่ออ่านเรื่องเต็ม", text_width):
        pdf.cell(text_width, line_height(20), line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    pdf.set_text_color(*MUTED)
    for line in pdf.lines(subject.url, text_width):
        pdf.cell(text_width, line_height(11), line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(FONT, "", 14)
    pdf.set_text_color(*MUTED)
    pdf.cell(text_width, line_height(14), f"ปรับปรุงเนื้อหาเมื่อ {thai_date(timezone.localtime(subject.updated_at))}",
             new_x="LMARGIN", new_y="NEXT")
    pdf.cell(text_width, line_height(14), f"จัดทำโดย{DIVISION}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@require_GET
def poster(request, pk):
    subject = locate(request, "item", pk)
    digest = subject.digest(LAYOUT, timezone.localtime(subject.updated_at).date().isoformat())
    data = rendered.cached("posters", subject.key, digest, "pdf", lambda: draw_poster(subject))
    return rendered.file_response(request, data, "application/pdf", digest, filename=f"poster-{subject.key}.pdf")
