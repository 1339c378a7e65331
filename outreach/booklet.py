"""The pocket booklet (A5): the whole KM for volunteers without smartphones — a cover,
the contents, every chapter and item, the glossary, and QR codes to the pages, with page
numbers in Thai digits. Made again only when the published knowledge changes."""
import hashlib

from django.db.models import Prefetch
from django.utils import timezone
from django.views.decorators.http import require_GET

from knowledge.models import GlossaryTerm, Item
from knowledge.render import plain_blocks
from knowledge.views import main_report
from reports.pdfkit import FONT, INK, MUTED, ThaiPDF
from volunteerkm.links import absolute_url
from volunteerkm.thai import thai_date, thai_digits

from . import rendered
from .printing import DIVISION, SITE_NAME, band, hanging, line_height, qr_image
from .subjects import chapter_label

LAYOUT = "booklet-2"
BODY = 12
ITEM_QR = 20
CONTENTS = "สารบัญ"
GLOSSARY = "อภิธานศัพท์ คำย่อ"


def contents_entries(report) -> list[tuple[int, str]]:
    entries = []
    for chapter in report.chapters.all():
        entries.append((0, chapter_label(chapter)))
        entries += [(1, item.title) for item in chapter.items.all()]
    return [*entries, (0, GLOSSARY)]


class Booklet(ThaiPDF):
    def __init__(self, title):
        super().__init__(title=title, page_format=(148, 210))  # A5
        self.set_margins(15, 18, 15)
        self.set_auto_page_break(True, margin=15)

    def contents_pages(self, entries) -> int:
        """How many pages the contents take (laid out as render_contents lays them out),
        so its place is reserved before the pages it lists exist."""
        bottom = self.h - self.b_margin
        pages, y = 1, self.t_margin + line_height(18) + 3
        for level, name in entries:
            self.set_font(FONT, "B" if level == 0 else "", 11)
            height = len(self.lines(thai_digits(name), self.epw - 20 - level * 6)) * line_height(11)
            if y + height > bottom:
                pages, y = pages + 1, self.t_margin
            y += height
        return pages

    def render_contents(self, pdf, outline):
        pdf.set_font(FONT, "B", 18)
        pdf.cell(pdf.epw, line_height(18), CONTENTS, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        for section in outline:
            pdf.set_font(FONT, "B" if section.level == 0 else "", 11)
            indent = section.level * 6
            lines = pdf.lines(thai_digits(section.name), pdf.epw - 20 - indent)
            pdf.ensure(len(lines) * line_height(11))
            for n, line in enumerate(lines):
                pdf.set_x(pdf.l_margin + indent)
                pdf.cell(pdf.epw - 20 - indent, line_height(11), line, link=pdf.add_link(page=section.page_number))
                if n == len(lines) - 1:
                    pdf.cell(20, line_height(11), thai_digits(section.page_number), align="R")
                pdf.ln(line_height(11))

    def blocks(self, body: str):
        for block in plain_blocks(body):
            if block.kind == "heading":
                self.heading(thai_digits(block.text), size=BODY + 1, space=1)
            elif block.kind == "item":
                hanging(self, block.marker, block.text, BODY, indent=(block.depth - 1) * 6, marker_width=6)
            else:
                self.para(thai_digits(block.text), size=BODY, height=line_height(BODY))
            self.ln(1)


def cover(pdf: Booklet, report, home_url: str, updated):
    pdf.add_page()
    band(pdf, 30, DIVISION, SITE_NAME, size=14)
    pdf.set_y(52)
    pdf.para(thai_digits(report.title), size=24, style="B", align="C", height=line_height(24))
    pdf.ln(2)
    pdf.para("สมุดความรู้ฉบับพกพา สำหรับอาสาสมัครพัฒนาสังคมและความมั่นคงของมนุษย์ (อพม.)", size=14, align="C",
             height=line_height(14))
    size = 42
    y = pdf.get_y() + 10
    qr_image(pdf, home_url, (pdf.w - size) / 2, y, size)
    pdf.set_y(y + size + 2)
    pdf.para("สแกนเพื่ออ่านและค้นหาความรู้บนเว็บไซต์", size=12, align="C", height=line_height(12), colour=MUTED)
    pdf.set_y(pdf.h - 40)
    pdf.para(f"จัดทำโดย{DIVISION}", size=12, align="C", height=line_height(12))
    pdf.para(f"เนื้อหาปรับปรุงล่าสุดเมื่อ {thai_date(timezone.localtime(updated))}", size=11, align="C",
             height=line_height(11), colour=MUTED)


def item_heading(pdf: Booklet, title: str, url: str):
    """The item's title with a small QR code of its page beside it."""
    pdf.ensure(ITEM_QR + line_height(BODY) * 3)
    y = pdf.get_y()
    qr_image(pdf, url, pdf.w - pdf.r_margin - ITEM_QR, y, ITEM_QR)
    width = pdf.epw - ITEM_QR - 4
    pdf.set_font(FONT, "B", 14)
    for line in pdf.lines(thai_digits(title), width):
        pdf.cell(width, line_height(14), line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*MUTED)
    pdf.cell(width, line_height(10), "สแกนคิวอาร์โค้ดเพื่ออ่านเรื่องนี้บนเว็บไซต์", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_y(max(pdf.get_y(), y + ITEM_QR) + 2)


def draw_booklet(report, terms, home_url: str, url_of) -> bytes:
    chapters = list(report.chapters.all())
    updated = max([report.updated_at, *(c.updated_at for c in chapters),
                   *(i.updated_at for c in chapters for i in c.items.all())])
    pdf = Booklet(title=f"{report.title} ฉบับพกพา")
    cover(pdf, report, home_url, updated)
    pdf.add_page()
    pdf.insert_toc_placeholder(pdf.render_contents, pages=pdf.contents_pages(contents_entries(report)))
    for n, chapter in enumerate(chapters):
        if n:  # the contents end with a page break of their own
            pdf.add_page()
        label = chapter_label(chapter)
        pdf.start_section(label, level=0)
        pdf.para(label, size=18, style="B", height=line_height(18))
        pdf.ln(2)
        pdf.blocks(chapter.summary)
        for item in chapter.items.all():
            pdf.ln(4)
            pdf.ensure(ITEM_QR + line_height(BODY) * 3)
            pdf.start_section(item.title, level=1)
            item_heading(pdf, item.title, url_of(item))
            pdf.blocks(item.body)
    pdf.add_page()
    pdf.start_section(GLOSSARY, level=0)
    pdf.para(GLOSSARY, size=18, style="B", height=line_height(18))
    pdf.ln(2)
    for term in terms:
        hanging(pdf, term.abbr, term.full or "ยังไม่ทราบคำเต็มที่แน่นอน", BODY - 1, marker_width=24)
        pdf.ln(0.5)
    return bytes(pdf.output())


@require_GET
def booklet(request):
    report = main_report()
    report = type(report).objects.prefetch_related(
        Prefetch("chapters__items", queryset=Item.objects.published().select_related("chapter__report"))
    ).get(pk=report.pk)
    terms = list(GlossaryTerm.objects.all())
    home_url = absolute_url(request, "/")
    chapters = list(report.chapters.all())
    fingerprint = [LAYOUT, home_url, report.title, report.updated_at.isoformat(),
                   *(f"{c.pk}:{c.updated_at.isoformat()}" for c in chapters),
                   *(f"{i.pk}:{i.updated_at.isoformat()}" for c in chapters for i in c.items.all()),
                   *(f"{t.abbr}={t.full}" for t in terms)]
    digest = hashlib.sha256("\n".join(fingerprint).encode()).hexdigest()[:20]
    data = rendered.cached("booklets", report.slug, digest, "pdf",
                           lambda: draw_booklet(report, terms, home_url,
                                                lambda item: absolute_url(request, item.get_absolute_url())))
    return rendered.file_response(request, data, "application/pdf", digest, filename="km-pocket-booklet.pdf")
