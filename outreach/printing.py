"""What the poster and the booklet draw alike: the division's band, a list item with a
hanging marker, the QR code of a page. Built on reports.pdfkit's ThaiPDF (Sarabun,
shaped Thai, lines broken between Thai words)."""
from reports.pdfkit import ACCENT, FONT, INK, ThaiPDF
from volunteerkm.qr import qr_png
from volunteerkm.thai import thai_digits

DIVISION = "กองกิจการอาสาสมัครและภาคประชาสังคม"
SITE_NAME = "คลังความรู้ อพม."
WHITE = (255, 255, 255)
PT = 0.3528  # mm per point


def line_height(size: float) -> float:
    """Room for one line of Thai at ``size`` pt, marks above and below included."""
    return size * PT * 1.55


def band(pdf: ThaiPDF, height: float, title: str, subtitle: str, size: float = 16):
    """The division's coloured band across the top of the page."""
    pdf.set_fill_color(*ACCENT)
    pdf.rect(0, 0, pdf.w, height, style="F")
    pdf.set_text_color(*WHITE)
    pdf.set_font(FONT, "B", size)
    pdf.set_xy(pdf.l_margin, height / 2 - line_height(size))
    pdf.cell(pdf.epw, line_height(size), title)
    pdf.set_font(FONT, "", size * 0.75)
    pdf.set_xy(pdf.l_margin, height / 2 + 0.5)
    pdf.cell(pdf.epw, line_height(size * 0.75), subtitle)
    pdf.set_text_color(*INK)


def item_lines(pdf: ThaiPDF, text: str, width: float, size: float, marker_width: float) -> list[str]:
    pdf.set_font(FONT, "", size)
    return pdf.lines(thai_digits(text), width - marker_width)


def hanging(pdf: ThaiPDF, marker: str, text: str, size: float, indent: float = 0, marker_width: float = 7,
            width: float | None = None, colour=INK):
    """A list item: the marker (•, ๑.) in the margin, its lines aligned after it (an
    item's further paragraph has no marker and the same alignment)."""
    width = width if width is not None else pdf.epw - indent
    height = line_height(size)
    lines = item_lines(pdf, text, width, size, marker_width)
    pdf.set_text_color(*colour)
    for n, line in enumerate(lines):
        pdf.ensure(height)
        x = pdf.l_margin + indent
        if marker and n == 0:
            pdf.set_x(x)
            pdf.cell(marker_width, height, thai_digits(marker))
        pdf.set_x(x + marker_width)
        pdf.cell(width - marker_width, height, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)


def qr_image(pdf: ThaiPDF, url: str, x: float, y: float, size: float):
    pdf.image(qr_png(url, scale=8, border=2), x=x, y=y, w=size, h=size)
