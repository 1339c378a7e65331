"""Public pages served by Django: content, drafts, sanitising, Open Graph, the read API."""
import pytest

from knowledge.models import Item
from knowledge.render import render_markdown

pytestmark = pytest.mark.django_db


def test_every_published_item_has_its_own_page(client):
    for item in Item.objects.published():
        page = client.get(item.get_absolute_url())
        assert page.status_code == 200
        html = page.content.decode()
        assert f'id="{item.slug}"' in html and "og:title" in html and item.title in html


def test_draft_items_are_hidden_from_the_public(client):
    item = Item.objects.published().first()
    item.status = Item.DRAFT
    item.save()
    assert client.get(item.get_absolute_url()).status_code == 404
    assert item.title not in client.get(item.chapter.get_absolute_url()).content.decode()


def test_markdown_is_sanitised():
    html = render_markdown("<script>alert(1)</script>\n\n[x](javascript:alert(1)) **ตัวหนา**", link_terms=False)
    assert "<script" not in html and 'href="javascript' not in html and "<strong>ตัวหนา</strong>" in html


def test_abbreviations_link_to_the_glossary_longest_first():
    html = render_markdown("กอพม. จังหวัด และ อพม.")
    assert 'href="/glossary/#term-กอพม"' in html and 'href="/glossary/#term-อพม"' in html


def test_item_update_date_is_in_buddhist_era(client):
    item = Item.objects.published().first()
    html = client.get(item.get_absolute_url()).content.decode()
    assert f"พ.ศ. {''.join('๐๑๒๓๔๕๖๗๘๙'[int(d)] for d in str(item.updated_at.year + 543))}" in html


def test_api_lists_chapters_items_glossary_and_report(client):
    chapters = client.get("/api/reports/regulation-2564/chapters").json()
    assert [c["number"] for c in chapters] == [1, 2, 3, 4, 5, 6, 7]
    assert all(c["items"] for c in chapters)
    item = client.get("/api/reports/regulation-2564/items/qualifications").json()
    assert "มีสัญชาติไทย" in item["text"]
    assert any(t["abbr"] == "อพม." for t in client.get("/api/glossary").json())
    report = client.get("/api/reports").json()[0]
    assert len(report["fields"]) == 12
    schema = client.get("/api/openapi.json").json()
    assert "/api/reports/{report}/chapters" in schema["paths"]
    assert client.get("/api/docs").status_code == 200


def test_unknown_pages_are_404_in_thai(client):
    response = client.get("/km/regulation-2564/no-such-chapter/")
    assert response.status_code == 404
