"""The rich menu under the chat: four buttons that send ถามเรื่องระเบียบ, หมวดความรู้, คำย่อ,
แบบทดสอบ. Its 2500×843 image is drawn here with Pillow; Thai must be shaped by raqm
(HarfBuzz), without which vowels and tone marks land on top of each other, so drawing
refuses to run without it. `install` uploads it and makes it every follower's default."""
import io
from dataclasses import dataclass

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from linebot.v3.messaging import MessageAction, RichMenuArea, RichMenuBounds, RichMenuRequest, RichMenuSize
from PIL import Image, ImageDraw, ImageFont, features

from . import channel

WIDTH, HEIGHT = 2500, 843
NAME = "volunteerkm"  # menus of this name are this project's: older ones are deleted on install
CHAT_BAR = "เมนู อพม."
GUTTER = 8
BACKGROUND = "#ffffff"


@dataclass(frozen=True)
class Button:
    label: str  # on the image, and the text the button sends
    hint: str
    colour: str
    icon: str


BUTTONS = [
    Button("ถามเรื่องระเบียบ", "พิมพ์ถามได้เลย", "#7a1f1f", "ask"),
    Button("หมวดความรู้", "ระเบียบ ๗ หมวด", "#0a4a94", "chapters"),
    Button("คำย่อ", "อพม. กอพม. ศปง.", "#1f5f3f", "glossary"),
    Button("แบบทดสอบ", "พิมพ์รหัสการอบรม", "#6b4a00", "test"),
]


def require_raqm():
    if not features.check_feature("raqm"):
        raise ImproperlyConfigured(
            "Pillow ไม่มี raqm จึงวางสระและวรรณยุกต์ภาษาไทยไม่ถูกต้อง: ติดตั้ง libraqm (apt-get install libraqm0) "
            "หรือใช้ Pillow จาก PyPI ที่มี raqm แล้วลองอีกครั้ง")


def font(size, bold=True):
    path = finders.find(f"fonts/Sarabun-{'Bold' if bold else 'Regular'}.ttf")
    if path is None:
        raise ImproperlyConfigured("ไม่พบฟอนต์ Sarabun ใน volunteerkm/static/fonts")
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.RAQM)


def fitted(text, width, size, bold=True):
    """The largest font, from `size` down, in which `text` fits `width` pixels."""
    while size > 24 and font(size, bold).getlength(text) > width:
        size -= 4
    return font(size, bold)


def image() -> bytes:
    """The menu as PNG bytes (a few tens of kB; LINE takes up to 1 MB)."""
    require_raqm()
    canvas = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    tile = WIDTH // len(BUTTONS)
    for n, button in enumerate(BUTTONS):
        left = n * tile
        box = (left + GUTTER // 2, GUTTER, left + tile - GUTTER // 2, HEIGHT - GUTTER)
        draw.rounded_rectangle(box, radius=36, fill=button.colour)
        centre = left + tile // 2
        ICONS[button.icon](draw, centre, 270, button.colour)
        label = fitted(button.label, tile - 90, 92)
        draw.text((centre, 560), button.label, font=label, fill="#ffffff", anchor="mm")
        hint = fitted(button.hint, tile - 110, 54, bold=False)
        draw.text((centre, 690), button.hint, font=hint, fill="#f3e9d2", anchor="mm")
    out = io.BytesIO()
    canvas.save(out, "PNG", optimize=True)
    return out.getvalue()


# --- icons: simple white line drawings, 300 px across, centred on (x, y) -------------------------

def _ask(draw, x, y, colour):
    draw.rounded_rectangle((x - 150, y - 120, x + 150, y + 90), radius=50, fill="#ffffff")
    draw.polygon([(x - 70, y + 80), (x - 110, y + 150), (x - 10, y + 85)], fill="#ffffff")
    draw.text((x, y - 12), "?", font=font(180), fill=colour, anchor="mm")


def _chapters(draw, x, y, colour):
    for side in (-1, 1):
        page = [(x, y - 95), (x + side * 150, y - 125), (x + side * 150, y + 115), (x, y + 140)]
        draw.polygon(page, fill="#ffffff")
        for k in range(4):
            ly = y - 60 + k * 45
            draw.line([(x + side * 30, ly), (x + side * 120, ly - 18)], fill=colour, width=10)
    draw.line([(x, y - 95), (x, y + 140)], fill=colour, width=8)


def _glossary(draw, x, y, colour):
    draw.rounded_rectangle((x - 150, y - 130, x + 150, y + 130), radius=40, fill="#ffffff")
    draw.text((x, y - 5), "ก.ข.", font=font(130), fill=colour, anchor="mm")


def _test(draw, x, y, colour):
    draw.rounded_rectangle((x - 120, y - 130, x + 120, y + 145), radius=28, fill="#ffffff")
    draw.rounded_rectangle((x - 50, y - 155, x + 50, y - 105), radius=14, fill="#ffffff", outline=colour, width=8)
    for k in range(3):
        ly = y - 55 + k * 80
        draw.line([(x - 85, ly), (x - 60, ly + 25), (x - 20, ly - 25)], fill=colour, width=12, joint="curve")
        draw.line([(x + 5, ly), (x + 90, ly)], fill=colour, width=12)


ICONS = {"ask": _ask, "chapters": _chapters, "glossary": _glossary, "test": _test}


# --- LINE ----------------------------------------------------------------------------------------

def menu_request() -> RichMenuRequest:
    tile = WIDTH // len(BUTTONS)
    areas = [RichMenuArea(bounds=RichMenuBounds(x=n * tile, y=0, width=tile, height=HEIGHT),
                          action=MessageAction(label=b.label, text=b.label))
             for n, b in enumerate(BUTTONS)]
    return RichMenuRequest(size=RichMenuSize(width=WIDTH, height=HEIGHT), selected=True, name=NAME,
                           chat_bar_text=CHAT_BAR, areas=areas)


def install(png: bytes):
    """Create the menu, upload its image, make it the default; delete this project's older
    menus. Returns (new menu id, deleted ids)."""
    api = channel.messaging_api()
    request = menu_request()
    api.validate_rich_menu_object(request, _request_timeout=channel.TIMEOUT)
    menu_id = api.create_rich_menu(request, _request_timeout=channel.TIMEOUT).rich_menu_id
    channel.blob_api().set_rich_menu_image(menu_id, png, _headers={"Content-Type": "image/png"},
                                           _request_timeout=(3.05, 30))
    api.set_default_rich_menu(menu_id, _request_timeout=channel.TIMEOUT)
    old = [m.rich_menu_id for m in api.get_rich_menu_list(_request_timeout=channel.TIMEOUT).richmenus
           if m.name == NAME and m.rich_menu_id != menu_id]
    for menu in old:
        api.delete_rich_menu(menu, _request_timeout=channel.TIMEOUT)
    return menu_id, old
