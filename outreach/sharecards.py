"""Open Graph share cards: a 1200×630 PNG of a page (its title, chapter, key sentence,
the site's name and a small QR code of the page), drawn with Pillow. Thai needs text
shaping to place vowels and tone marks, which Pillow does only with libraqm: without it
the marks float or collide, so a card is never drawn without it."""
from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from PIL import Image, ImageDraw, ImageFont, features
from PIL.PngImagePlugin import PngInfo

from volunteerkm.qr import qr_png
from volunteerkm.thai import wrap

from .subjects import Subject

WIDTH, HEIGHT = 1200, 630
# Part of every card's digest: change it when the layout changes, and every card is drawn again.
LAYOUT = "card-1"
SITE_NAME = "คลังความรู้ อพม."
DIVISION = "กองกิจการอาสาสมัครและภาคประชาสังคม"
FONT_DIR = Path(settings.BASE_DIR) / "volunteerkm" / "static" / "fonts"

INK = (27, 27, 27)
MUTED = (74, 74, 74)
ACCENT = (122, 31, 31)
SOFT = (244, 241, 234)
WHITE = (255, 255, 255)
MARGIN = 64
QR_SIZE = 176
LINE = 50  # the key sentence's line height: room for marks above and below


def require_raqm():
    """Refuse to draw Thai without text shaping."""
    if not features.check("raqm"):
        raise ImproperlyConfigured(
            "Pillow ไม่มี libraqm จึงจัดวางสระและวรรณยุกต์ภาษาไทยให้ถูกต้องไม่ได้ "
            "(ติดตั้ง Pillow จาก wheel ที่มี raqm หรือ libraqm0 และ libfribidi0 ของระบบ)")


require_raqm()


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    path = FONT_DIR / ("Sarabun-Bold.ttf" if bold else "Sarabun-Regular.ttf")
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


def measure(face: ImageFont.FreeTypeFont):
    return lambda text: face.getlength(text, language="th")


def fit_lines(text: str, face: ImageFont.FreeTypeFont, width: int, max_lines: int) -> list[str]:
    """``text`` wrapped to ``width``; past ``max_lines`` the last line ends in "…"."""
    lines = [line for line in wrap(text, width, measure(face)) if line]
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    while last and face.getlength(last + "…", language="th") > width:
        last = last[:-1].rstrip()
    kept[-1] = last + "…"
    return kept


def title_lines(title: str, width: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest bold size at which the title fits in two lines (down to 44 px)."""
    for size in (68, 62, 56, 50, 44):
        face = font(size, bold=True)
        lines = wrap(title, width, measure(face))
        if len(lines) <= 2:
            return face, lines
    return face, fit_lines(title, face, width, 2)


def draw_card(subject: Subject) -> bytes:
    """The card as PNG bytes; the PNG's text chunks repeat the title, description and address."""
    require_raqm()
    image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    draw = ImageDraw.Draw(image)

    # the site's band
    band = 92
    draw.rectangle((0, 0, WIDTH, band), fill=ACCENT)
    draw.text((MARGIN, band / 2), SITE_NAME, font=font(38, bold=True), fill=WHITE, anchor="lm", language="th")
    draw.text((WIDTH - MARGIN, band / 2), DIVISION, font=font(26), fill=WHITE, anchor="rm", language="th")

    y = band + 34
    context_face = font(30)
    for line in fit_lines(subject.context, context_face, WIDTH - 2 * MARGIN, 1):
        draw.text((MARGIN, y), line, font=context_face, fill=MUTED, language="th")
        y += 48

    face, lines = title_lines(subject.title, WIDTH - 2 * MARGIN)
    y += 6
    for line in lines:
        draw.text((MARGIN, y), line, font=face, fill=INK, language="th")
        y += int(face.size * 1.3)

    # the key sentence, then as many key points as fit, beside the QR code
    text_width = WIDTH - 2 * MARGIN - QR_SIZE - 40
    body_face = font(32)
    y += 10
    room = max(1, min(4, (HEIGHT - 64 - y) // LINE))
    lines = fit_lines(subject.sentence, body_face, text_width, min(2, room))
    for point in subject.points:
        if len(lines) >= room:
            break
        lines += fit_lines(f"• {point}", body_face, text_width, 1)
    draw.rectangle((MARGIN - 24, y + 8, MARGIN - 16, y + len(lines) * LINE - 4), fill=ACCENT)
    for line in lines:
        draw.text((MARGIN, y), line, font=body_face, fill=INK, language="th")
        y += LINE

    # the page's address and its QR code
    address = subject.url.split("://", 1)[-1]
    address_face = font(24)
    address = fit_lines(address, address_face, text_width, 1)[0]
    draw.text((MARGIN, HEIGHT - 40), address, font=address_face, fill=MUTED, anchor="ls")
    qr = Image.open(qr_png(subject.url, scale=1, border=2)).convert("RGB")
    modules = qr.size[0]
    side = modules * (QR_SIZE // modules)  # whole pixels per module, so every module is alike
    qr = qr.resize((side, side), Image.Resampling.NEAREST)
    left, top = WIDTH - MARGIN - QR_SIZE, HEIGHT - 36 - QR_SIZE
    draw.rectangle((left - 8, top - 8, left + QR_SIZE + 8, top + QR_SIZE + 8), fill=SOFT)
    image.paste(qr, (left + (QR_SIZE - side) // 2, top + (QR_SIZE - side) // 2))

    info = PngInfo()
    info.add_itxt("Title", subject.title)
    info.add_itxt("Description", subject.sentence)
    info.add_itxt("Source", subject.url)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info, optimize=True)
    return out.getvalue()


def card_digest(subject: Subject) -> str:
    return subject.digest(LAYOUT)
