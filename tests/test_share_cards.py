"""Share cards and share buttons: every item, chapter and the home page has a 1200×630
Open Graph image drawn from its own content (read back by OCR and a QR reader), made
again when the item changes; absolute addresses follow the request's host unless
SITE_URL is set; the buttons are plain links that need no JavaScript."""
import io
import re
from html import unescape
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, features
from rapidfuzz import fuzz

from knowledge.models import Chapter, Item
from outreach import sharecards
from volunteerkm.thai import compact

from .helpers import SCREENSHOTS, needs_tesseract, read_qr_codes, read_text_in_image

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def meta(html: str, prop: str) -> str:
    found = re.search(rf'<meta property="{re.escape(prop)}" content="([^"]*)"', html)
    assert found, f"no {prop}"
    return unescape(found.group(1))


def fetch_card(client, html: str) -> tuple[str, bytes]:
    url = meta(html, "og:image")
    parts = urlsplit(url)
    response = client.get(parts.path, {"v": parts.query.removeprefix("v=")})
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    return url, response.content


def reads_like(expected: str, ocr: str) -> int:
    """How closely OCR's text contains ``expected`` (0–100), spaces and digit style aside."""
    return fuzz.partial_ratio(compact(expected), compact(ocr))


@needs_tesseract
def test_item_card_is_a_1200_by_630_png_of_the_items_own_text(client):
    item = Item.objects.published().get(slug="roles-and-duties")
    html = client.get(item.get_absolute_url()).content.decode()
    assert meta(html, "og:image:width") == "1200" and meta(html, "og:image:height") == "630"
    url, png = fetch_card(client, html)
    assert url.startswith("http://testserver/share/card/item/")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1200, 630)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "share-card-item.png").write_bytes(png)

    text = read_text_in_image(png)
    assert reads_like(item.title, text) >= 90
    assert reads_like("หมวดที่ ๓ บทบาท หน้าที่และความรับผิดชอบของ อพม.", text) >= 85
    assert reads_like("ปฏิบัติตามนโยบายของทุกหน่วยงานในสังกัดกระทรวง", text) >= 85  # its first key point
    band = io.BytesIO()
    ImageOps.invert(image.convert("RGB").crop((0, 0, 1200, 92))).save(band, format="PNG")  # white on red
    assert reads_like("คลังความรู้ อพม.", read_text_in_image(band.getvalue())) >= 80  # the site's name
    other = Item.objects.published().get(slug="dress")
    assert reads_like(other.title, text) < 80
    assert read_qr_codes(image) == ["http://testserver" + item.get_absolute_url()]


@needs_tesseract
def test_card_is_drawn_again_when_the_item_changes(client):
    item = Item.objects.published().get(slug="dress")
    first_url, first = fetch_card(client, client.get(item.get_absolute_url()).content.decode())
    assert client.get(urlsplit(first_url).path).content == first  # kept, not drawn again
    item.title = "การแต่งกายของ อพม. ฉบับปรับปรุงใหม่"
    item.save()
    second_url, second = fetch_card(client, client.get(item.get_absolute_url()).content.decode())
    assert second_url != first_url  # a new address, so platforms that cached the old card fetch this one
    assert reads_like("ฉบับปรับปรุงใหม่", read_text_in_image(second)) >= 85
    _, stored = default_storage.listdir("outreach/cards")
    digest = parse_qs(urlsplit(second_url).query)["v"][0]
    assert [name for name in stored if name.startswith(f"item-{item.pk}-")] == [f"item-{item.pk}-{digest}.png"]


def test_chapter_and_home_pages_have_their_cards(client):
    chapter = Chapter.objects.get(number=2)
    for page in (chapter.get_absolute_url(), "/"):
        html = client.get(page).content.decode()
        _, png = fetch_card(client, html)
        image = Image.open(io.BytesIO(png))
        assert image.size == (1200, 630)
        assert read_qr_codes(image) == ["http://testserver" + page]
        assert meta(html, "og:image:width") == "1200"


def test_other_pages_name_the_sites_card(client):
    html = client.get("/glossary/").content.decode()
    assert meta(html, "og:image") == "http://testserver/share/card/home.png"


def test_addresses_follow_the_host_asked_unless_site_url_is_set(client, settings):
    settings.ALLOWED_HOSTS = ["192.168.1.20", "testserver"]
    item = Item.objects.published().get(slug="application")
    html = client.get(item.get_absolute_url(), HTTP_HOST="192.168.1.20:8000").content.decode()
    page_url = "http://192.168.1.20:8000" + item.get_absolute_url()
    assert meta(html, "og:image").startswith("http://192.168.1.20:8000/share/card/item/")
    assert meta(html, "og:url") == page_url
    assert quote(page_url, safe="") in html

    settings.SITE_URL, settings.SITE_URL_SET = "https://km.example.go.th", True
    html = client.get(item.get_absolute_url(), HTTP_HOST="192.168.1.20:8000").content.decode()
    assert meta(html, "og:image").startswith("https://km.example.go.th/share/card/item/")
    assert meta(html, "og:url") == "https://km.example.go.th" + item.get_absolute_url()


def test_share_buttons_are_links_that_need_no_javascript(client):
    item = Item.objects.published().get(slug="qualifications")
    html = client.get(item.get_absolute_url()).content.decode()
    url = "http://testserver" + item.get_absolute_url()
    line = re.search(r'href="(https://line\.me/R/share\?text=[^"]+)"', html).group(1)
    assert unescape(line) == "https://line.me/R/share?text=" + quote(f"{item.title}\n{url}", safe="")
    assert f'href="https://www.facebook.com/sharer/sharer.php?u={quote(url, safe="")}"' in html
    assert f'<input id="share-url" type="url" value="{url}" readonly>' in html  # select and copy by hand
    assert re.search(r'<details class="share-qr">\s*<summary>', html)
    png_path = re.search(r'<a href="([^"]+\.png)" download>', html).group(1)
    response = client.get(png_path)
    assert response["Content-Type"] == "image/png" and "attachment" in response["Content-Disposition"]
    assert read_qr_codes(Image.open(io.BytesIO(response.content))) == [url]
    svg_path = re.search(r'<img src="([^"]+\.svg)"', html).group(1)
    assert client.get(svg_path)["Content-Type"] == "image/svg+xml"
    # the page's scripts are files (a content security policy forbids inline scripts)
    assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", html))


def test_drafts_have_no_public_card_or_qr(client):
    item = Item.objects.published().get(slug="honours")
    item.status = Item.DRAFT
    item.save()
    assert client.get(f"/share/card/item/{item.pk}.png").status_code == 404
    assert client.get(f"/share/qr/item/{item.pk}.png").status_code == 404
    assert client.get("/share/card/item/999999.png").status_code == 404


def test_a_card_is_never_drawn_without_text_shaping(monkeypatch):
    real_check = features.check
    monkeypatch.setattr(features, "check", lambda name: False if name == "raqm" else real_check(name))
    with pytest.raises(ImproperlyConfigured, match="raqm"):
        sharecards.require_raqm()
    item = Item.objects.published().first()
    from outreach.subjects import of_item

    with pytest.raises(ImproperlyConfigured):
        sharecards.draw_card(of_item(item))
