"""Drawing Thai documents with fpdf2: the Sarabun face with HarfBuzz text shaping (so
vowels and tone marks sit where they belong), line breaking between Thai words, tables
and bar charts drawn with fpdf2's own primitives.

The layout follows the look of Thai government documents: A4, Sarabun, margins of
3 cm left and 2 cm right, page numbers centred at the top from page 2. Numbers are in the
site's one digit style (volunteerkm.thai.DIGITS).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from fpdf import FPDF
from pythainlp.tokenize import word_tokenize

FONT_DIR = Path(settings.BASE_DIR) / "volunteerkm" / "static" / "fonts"
FONT = "Sarabun"

INK = (27, 27, 27)
MUTED = (80, 80, 80)
LINE = (190, 190, 190)
PRE_COLOUR = (176, 190, 210)    # light slate blue: before training
POST_COLOUR = (10, 74, 148)     # the site's link blue: after training
ACCENT = (122, 31, 31)          # the site's header red
GOOD = (30, 110, 60)
BAD = (170, 40, 30)


OPENING = set("([{“‘\"'")
CLOSING = set(")]}”’\"'.,;:!?%ฯ")


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    """Chunks that a line may break between: Thai words, with an opening bracket kept
    on the word after it and closing punctuation on the word before it."""
    out = []
    glue_next = False
    for token in word_tokenize(text, engine="newmm", keep_whitespace=True):
        if out and not token.isspace() and (glue_next or token[0] in CLOSING):
            out[-1] += token
        else:
            out.append(token)
        glue_next = not token.isspace() and token[-1] in OPENING
    return tuple(out)


class ThaiPDF(FPDF):
    """An A4 document in Sarabun with shaped Thai text."""

    def __init__(self, title: str = "", orientation: str = "P"):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.add_font(FONT, "", str(FONT_DIR / "Sarabun-Regular.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "Sarabun-Bold.ttf"))
        self.set_text_shaping(True)
        self.set_margins(30, 25, 20)
        self.set_auto_page_break(True, margin=20)
        self.set_title(title)
        self.set_creator("คลังความรู้ อพม.")
        self.set_lang("th")
        self.set_font(FONT, "", 14)
        self.set_text_color(*INK)
        self.numbered = True

    # fpdf2 calls header() on every new page.
    def header(self):
        if self.numbered and self.page_no() > 1:
            self.set_font(FONT, "", 12)
            self.set_y(10)
            self.cell(0, 6, f"- {self.page_no()} -", align="C")
            self.set_y(self.t_margin)
            self.set_font(FONT, "", 14)

    # ----------------------------------------------------------------- text

    def lines(self, text: str, width: float) -> list[str]:
        """Break ``text`` into lines no wider than ``width``, only between Thai words
        (PyThaiNLP's newmm) or at spaces; explicit newlines are kept."""
        out = []
        for para in str(text).split("\n"):
            line = ""
            for word in _words(para):
                trial = line + word
                if line and self.get_string_width(trial) > width:
                    out.append(line.rstrip())
                    line = word.lstrip()
                    # a single word wider than the line (a long URL): cut it by characters
                    while self.get_string_width(line) > width and len(line) > 1:
                        cut = len(line)
                        while cut > 1 and self.get_string_width(line[:cut]) > width:
                            cut -= 1
                        out.append(line[:cut])
                        line = line[cut:]
                else:
                    line = trial
            out.append(line.rstrip())
        return out

    def para(self, text: str, size: float = 14, style: str = "", height: float | None = None, align: str = "L",
             indent: float = 0, colour=INK):
        self.set_font(FONT, style, size)
        self.set_text_color(*colour)
        height = height or size * 0.55
        width = self.epw - indent
        for line in self.lines(text, width):
            self.ensure(height)
            self.set_x(self.l_margin + indent)
            self.cell(width, height, line, align=align, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(*INK)

    def heading(self, text: str, size: float = 16, space: float = 3):
        self.ensure(size * 1.2)
        self.ln(space)
        self.para(text, size=size, style="B")
        self.ln(1)

    def ensure(self, height: float):
        """Start a new page unless ``height`` mm still fit on this one."""
        if self.get_y() + height > self.h - self.b_margin:
            self.add_page()

    # ----------------------------------------------------------------- tables

    def table(self, headers, rows, widths, aligns=None, size: float = 12, header_fill=(236, 232, 222),
              row_colours=None):
        """A ruled table; cells wrap between words and every row keeps to one page."""
        aligns = aligns or ["L"] * len(headers)
        h = size * 0.5
        scale = self.epw / sum(widths)
        widths = [w * scale for w in widths]

        def row_height(cells, bold=False):
            self.set_font(FONT, "B" if bold else "", size)
            return max(len(self.lines(str(c), w - 2)) for c, w in zip(cells, widths, strict=True)) * h + 1.5

        def draw_row(cells, bold=False, fill=None, colour=INK):
            self.set_font(FONT, "B" if bold else "", size)
            wrapped = [self.lines(str(c), w - 2) for c, w in zip(cells, widths, strict=True)]
            height = max(len(w) for w in wrapped) * h + 1.5
            if self.get_y() + height > self.h - self.b_margin:
                self.add_page()
                if not bold:
                    draw_row(headers, bold=True, fill=header_fill)
                    self.set_font(FONT, "", size)
            x, y = self.l_margin, self.get_y()
            self.set_draw_color(*LINE)
            for cell_lines, w, a in zip(wrapped, widths, aligns, strict=True):
                if fill:
                    self.set_fill_color(*fill)
                    self.rect(x, y, w, height, style="DF")
                else:
                    self.rect(x, y, w, height)
                self.set_text_color(*colour)
                for i, line in enumerate(cell_lines):
                    self.set_xy(x + 1, y + 0.75 + i * h)
                    self.cell(w - 2, h, line, align="C" if bold else a)
                x += w
            self.set_text_color(*INK)
            self.set_xy(self.l_margin, y + height)

        # a header never ends a page alone
        self.ensure(row_height(headers, True) + (row_height(rows[0]) if rows else 0))
        draw_row(headers, bold=True, fill=header_fill)
        for i, row in enumerate(rows):
            colour = row_colours[i] if row_colours else INK
            draw_row(row, colour=colour)
        self.ln(2)

    # ----------------------------------------------------------------- charts

    def legend(self, entries, size: float = 11):
        self.set_font(FONT, "", size)
        x = self.l_margin
        y = self.get_y()
        for colour, label in entries:
            self.set_fill_color(*colour)
            self.rect(x, y + 1.2, 4, 4, style="F")
            self.set_xy(x + 5.5, y)
            self.cell(self.get_string_width(label) + 2, 6.5, label)
            x += 5.5 + self.get_string_width(label) + 8
        self.set_xy(self.l_margin, y + 7)

    def grouped_bars(self, categories, series, colours, height: float = 60, max_value: float | None = None,
                     value_format=str, axis_label: str = "", size: float = 10):
        """Vertical bars, one group per category, one bar per series; values above bars."""
        self.ensure(height + 16)
        top = self.get_y() + 2
        left = self.l_margin + 8
        width = self.epw - 8
        base = top + height
        from .charts import nice_ticks

        if max_value:
            ticks = [max_value * i / 4 for i in range(5)]
        else:
            ticks = nice_ticks(max([v for s in series for v in s if v is not None] + [1]))
        peak = ticks[-1]
        self.set_draw_color(*LINE)
        self.set_font(FONT, "", size - 1)
        for tick in ticks:
            y = base - tick / peak * height
            self.line(left, y, left + width, y)
            self.set_xy(self.l_margin - 4, y - 2.5)
            self.set_text_color(*MUTED)
            self.cell(11, 5, value_format(tick), align="R")
        group_w = width / len(categories)
        bar_w = group_w * 0.8 / len(series)
        for i, cat in enumerate(categories):
            gx = left + i * group_w + group_w * 0.1
            for s, (values, colour) in enumerate(zip(series, colours, strict=True)):
                v = values[i] or 0
                bh = height * v / peak if peak else 0
                self.set_fill_color(*colour)
                if bh > 0:
                    self.rect(gx + s * bar_w, base - bh, bar_w * 0.95, bh, style="F")
                if v:
                    self.set_text_color(*INK)
                    self.set_xy(gx + s * bar_w - 2, base - bh - 5)
                    self.cell(bar_w + 4, 5, value_format(v), align="C")
            self.set_text_color(*MUTED)
            self.set_xy(left + i * group_w, base + 0.5)
            self.cell(group_w, 5, cat, align="C")
        self.set_text_color(*INK)
        self.set_xy(self.l_margin, base + 6)
        if axis_label:
            self.set_font(FONT, "", size)
            self.cell(self.epw, 5, axis_label, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def hbars(self, labels, series, colours, max_value: float = 100, label_width: float = 62,
              value_format=lambda v: f"{v:.0f}%", size: float = 11, bar_h: float = 4.2,
              label_colours=None):
        """Horizontal bars, one row per label with a bar per series (e.g. before/after)."""
        bar_area = self.epw - label_width - 16
        for i, label in enumerate(labels):
            self.set_font(FONT, "", size)
            lines = self.lines(label, label_width - 2)
            row_h = max(len(series) * (bar_h + 0.8) + 2, len(lines) * size * 0.45 + 1)
            self.ensure(row_h)
            y = self.get_y()
            self.set_text_color(*(label_colours[i] if label_colours else INK))
            for j, line in enumerate(lines):
                self.set_xy(self.l_margin, y + j * size * 0.45)
                self.cell(label_width - 2, size * 0.45, line)
            self.set_text_color(*INK)
            x0 = self.l_margin + label_width
            self.set_draw_color(*LINE)
            self.line(x0, y, x0, y + row_h - 1)
            for s, (values, colour) in enumerate(zip(series, colours, strict=True)):
                v = values[i]
                by = y + 0.5 + s * (bar_h + 0.8)
                if v is None:
                    continue
                w = bar_area * min(v, max_value) / max_value
                self.set_fill_color(*colour)
                if w > 0:
                    self.rect(x0, by, w, bar_h, style="F")
                self.set_font(FONT, "", size - 2)
                self.set_xy(x0 + w + 1, by - 0.6)
                self.cell(15, bar_h + 1, value_format(v))
            self.set_xy(self.l_margin, y + row_h)
        self.ln(2)
