"""Print: the A4 poster of an item and the pocket booklet of the whole KM hold the
content's own text (pdftotext), QR codes that open the right pages (read back from the
rendered pages), Thai page numbers; both are made again when the content changes."""
import re

import pytest

from knowledge.models import Chapter, GlossaryTerm, Item
from outreach.subjects import of_item
from volunteerkm.thai import thai_digits

from .helpers import keep_pngs, needs_poppler, pdf_contains, pdf_page_images, pdf_pages, pdf_text, read_qr_codes

pytestmark = [pytest.mark.django_db, needs_poppler]


@pytest.fixture(autouse=True)
def own_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_poster_holds_the_items_title_key_points_qr_and_date(client):
    item = Item.objects.published().get(slug="roles-and-duties")
    html = client.get(item.get_absolute_url()).content.decode()
    poster = re.search(r'<link rel="alternate" type="application/pdf" href="([^"]+)"', html).group(1)
    response = client.get(poster)
    assert response["Content-Type"] == "application/pdf"
    data = response.content
    assert pdf_pages(data) == 1
    text = pdf_text(data)
    subject = of_item(item)
    assert pdf_contains(text, item.title) and pdf_contains(text, "กองกิจการอาสาสมัครและภาคประชาสังคม")
    assert all(pdf_contains(text, point) for point in subject.points)  # this item's points all fit
    assert re.search(r"ปรับปรุงเนื้อหาเมื่อ \d+ \S+ พ\.ศ\. [๐-๙]{4}", thai_digits(text))
    assert read_qr_codes(pdf_page_images(data)[0]) == ["http://testserver" + item.get_absolute_url()]
    keep_pngs(data, "poster-roles-and-duties")


def test_a_long_item_keeps_to_one_page_and_sends_the_rest_to_the_qr_code(client):
    item = Item.objects.published().get(slug="provincial-committee")
    data = client.get(f"/print/poster/{item.pk}.pdf").content
    assert pdf_pages(data) == 1
    text = pdf_text(data)
    assert pdf_contains(text, item.title) and pdf_contains(text, of_item(item).points[0])
    assert pdf_contains(text, "ยังมีต่อ สแกนคิวอาร์โค้ดเพื่ออ่านเรื่องเต็ม")
    keep_pngs(data, "poster-provincial-committee")


def test_poster_is_kept_and_made_again_after_an_edit(client):
    item = Item.objects.published().get(slug="dress")
    first = client.get(f"/print/poster/{item.pk}.pdf")
    again = client.get(f"/print/poster/{item.pk}.pdf", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    item.title = "การแต่งกายของ อพม. (แก้ไขแล้ว)"
    item.save()
    second = client.get(f"/print/poster/{item.pk}.pdf")
    assert second["ETag"] != first["ETag"] and pdf_contains(pdf_text(second.content), "(แก้ไขแล้ว)")


def test_no_poster_of_a_draft(client):
    item = Item.objects.published().get(slug="honorary")
    item.status = Item.DRAFT
    item.save()
    assert client.get(f"/print/poster/{item.pk}.pdf").status_code == 404


def test_booklet_holds_the_whole_km_with_contents_qr_codes_and_thai_page_numbers(client):
    draft = Item.objects.published().get(slug="royal-decoration")
    draft.status = Item.DRAFT
    draft.save()
    response = client.get("/print/booklet.pdf")
    assert response["Content-Type"] == "application/pdf"
    data = response.content
    pages = pdf_pages(data)
    text = pdf_text(data)
    for chapter in Chapter.objects.all():
        assert pdf_contains(text, f"หมวดที่ {chapter.number} {chapter.title}")
    published = list(Item.objects.published().select_related("chapter__report"))
    for item in published:
        assert pdf_contains(text, item.title)
    assert not pdf_contains(text, "อันเป็นที่สรรเสริญยิ่งดิเรกคุณาภรณ์")  # the draft's own text
    assert pdf_contains(text, of_item(published[0]).points[0])  # bodies, not only titles
    for term in GlossaryTerm.objects.exclude(full=""):
        assert pdf_contains(text, term.full)

    page_texts = [pdf_text_of_page(data, n) for n in range(1, pages + 1)]
    # page numbers in Thai digits from page 2 on
    for n, page in enumerate(page_texts[1:], start=2):
        assert re.fullmatch(rf"-\s*{thai_digits(n)}\s*-", page.strip().splitlines()[0].strip())
    # the contents name the page each item starts on
    contents = page_texts[1]
    assert "สารบัญ" in contents and not pdf_contains(contents, draft.title)
    for item in published[:5]:
        entry = re.search(re.escape(item.title) + r"\s+([๐-๙]+)", contents)
        number = int("".join(str("๐๑๒๓๔๕๖๗๘๙".index(d)) for d in entry.group(1)))
        assert pdf_contains(page_texts[number - 1], item.title)

    images = pdf_page_images(data, dpi=200)
    assert read_qr_codes(images[0]) == ["http://testserver/"]
    item_urls = {"http://testserver" + i.get_absolute_url() for i in published}
    found = {code for image in images[1:] for code in read_qr_codes(image)}
    assert found == item_urls  # one QR code for every item, each opening its page
    keep_pngs(data, "booklet")


def pdf_text_of_page(data: bytes, page: int) -> str:
    import subprocess

    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", "-", "-"], input=data,
                          capture_output=True, check=True).stdout.decode()
