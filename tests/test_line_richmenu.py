"""`volunteerkm line richmenu`: the 2500×843 menu image drawn with raqm and set up on the
LINE stand-in as every follower's default menu."""
import io

import pytest
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command
from PIL import Image, ImageDraw, ImageFont, features

from outreach.line import richmenu


def test_the_command_sets_up_the_menu_and_replaces_the_old_one(line_api):
    out = io.StringIO()
    call_command("line", "richmenu", stdout=out)
    assert "เป็นเมนูหลักแล้ว" in out.getvalue()
    [(first, menu)] = line_api.rich_menus.items()
    assert line_api.default_rich_menu == first
    request = menu["request"]
    assert (request["size"]["width"], request["size"]["height"]) == (2500, 843) and request["selected"] is True
    assert [a["action"]["text"] for a in request["areas"]] == ["ถามเรื่องระเบียบ", "หมวดความรู้", "คำย่อ", "แบบทดสอบ"]
    assert Image.open(io.BytesIO(menu["image"])).size == (2500, 843)
    upload = line_api.calls(f"/v2/bot/richmenu/{first}/content")[0]
    assert upload.headers["Content-Type"] == "image/png" and len(upload.body) < 1024 * 1024
    assert line_api.calls("/v2/bot/richmenu/validate")

    call_command("line", "richmenu", stdout=io.StringIO())
    [second] = line_api.rich_menus
    assert second != first and line_api.default_rich_menu == second  # the old menu was deleted


def test_without_a_channel_the_command_says_what_to_set(settings):
    settings.LINE_CHANNEL_SECRET = settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    with pytest.raises(CommandError, match="LINE_CHANNEL_SECRET"):
        call_command("line", "richmenu")


def test_the_image_alone_needs_no_channel(tmp_path):
    target = tmp_path / "menu.png"
    call_command("line", "richmenu", "--image", str(target), stdout=io.StringIO())
    image = Image.open(target)
    assert image.size == (2500, 843) and image.format == "PNG"
    # four coloured buttons with white labels: the label row has white text on each tile
    pixels = image.convert("RGB").load()
    for tile in range(4):
        row = [pixels[x, 560] for x in range(tile * 625 + 60, tile * 625 + 565)]
        assert (255, 255, 255) in row


def test_drawing_refuses_to_run_without_raqm(monkeypatch):
    assert features.check_feature("raqm"), "Pillow here must have raqm"
    monkeypatch.setattr(features, "check_feature", lambda name: name != "raqm")
    with pytest.raises(CommandError, match="raqm"):
        call_command("line", "richmenu", "--image", "/dev/null")


def test_thai_labels_are_shaped():
    """The labels go through raqm: laid out without shaping, the tone marks of "ได้" and
    "เรื่อง" sit elsewhere, so the two drawings differ."""
    def draw(layout):
        font = ImageFont.truetype(finders.find("fonts/Sarabun-Bold.ttf"), 92, layout_engine=layout)
        canvas = Image.new("L", (900, 160), 0)
        ImageDraw.Draw(canvas).text((10, 20), "ได้เรื่องที่ถาม", font=font, fill=255)
        return canvas.tobytes()

    assert richmenu.font(92).layout_engine == ImageFont.Layout.RAQM
    assert draw(ImageFont.Layout.RAQM) != draw(ImageFont.Layout.BASIC)
