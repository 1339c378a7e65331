"""The search page, suggestions, click log and the editors' gaps page, through Django's client."""
import re

import pytest
from django.contrib.auth.models import User

from search.models import SearchClick, SearchQuery

pytestmark = pytest.mark.django_db


def test_results_show_title_chapter_marked_snippet_and_a_logged_link(client):
    html = client.get("/search/", {"q": "สมัคร อพม. ออนไลน์ได้ไหม"}).content.decode()
    assert "การสมัครเป็น อพม." in html and "หมวดที่ ๒" in html  # one digit style on the page
    assert "<mark>อิเล็กทรอนิกส์</mark>" in html
    logged = SearchQuery.objects.get()
    assert logged.q == "สมัคร อพม. ออนไลน์ได้ไหม" and logged.result_count > 0 and logged.source == "web"
    link = re.search(rf'href="(/search/open/{logged.pk}/1/[^"]+)"', html).group(1).replace("&amp;", "&")
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == "/km/regulation-2564/volunteers/application/"
    assert SearchClick.objects.get().rank == 1


def test_the_log_holds_no_personal_data():
    names = {f.name for f in SearchQuery._meta.get_fields()} | {f.name for f in SearchClick._meta.get_fields()}
    assert not names & {"ip", "ip_address", "user", "session", "user_agent"}


def test_click_redirect_refuses_other_sites(client):
    q = SearchQuery.objects.create(q="x", normalized="x", result_count=1)
    for bad in ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""]:
        response = client.get(f"/search/open/{q.pk}/1/", {"to": bad})
        assert response.status_code == 400 and "ลิงก์ไม่ถูกต้อง" in response.content.decode()
    assert not SearchClick.objects.exists()


def test_did_you_mean_for_a_typo(client):
    html = client.get("/search/", {"q": "คุณสมบติ"}).content.decode()
    assert "หมายถึง" in html and "คุณสมบัติ" in html and "คุณสมบัติของ อพม." in html


def test_no_result_page_offers_the_glossary_and_the_chapters(client):
    html = client.get("/search/", {"q": "ฟุตบอลโลก"}).content.decode()
    assert "ไม่พบเรื่องที่ตรงกับ" in html
    assert 'href="/glossary/#term-อพม"' in html and "/km/regulation-2564/committees/" in html
    assert SearchQuery.objects.get().result_count == 0


def test_too_long_query_gets_a_thai_message_and_is_not_logged(client):
    response = client.get("/search/", {"q": "ก" * 201})
    assert response.status_code == 400 and "คำค้นยาวเกินไป" in response.content.decode()
    assert not SearchQuery.objects.exists()


def test_empty_page_invites_a_question(client):
    html = client.get("/search/").content.decode()
    assert "พิมพ์คำถาม" in html and not SearchQuery.objects.exists()


def test_suggestions_list_titles_and_are_not_logged(client):
    html = client.get("/search/suggest/", {"q": "จรรยา"}, HTTP_HX_REQUEST="true").content.decode()
    assert "จรรยาบรรณของ อพม." in html and "<html" not in html
    assert client.get("/search/suggest/", {"q": "ก"}).content.decode().strip() == ""
    assert not SearchQuery.objects.exists()


def test_gaps_page_is_for_editors_and_lists_what_was_not_found_most_asked_first(client):
    client.get("/search/", {"q": "ฟุตบอลโลก"})
    client.get("/search/", {"q": "ฟุตบอลโลก"})
    client.get("/search/", {"q": "คณะกรรมการมีใครบ้าง"})  # results, no direct answer (a list), nobody opened one
    client.get("/search/", {"q": "เครื่องแบบ"})  # answered directly: not a gap
    assert client.get("/search/gaps/").status_code == 302  # to the login page
    client.force_login(User.objects.create_user("km", password="x", is_staff=True))
    html = client.get("/search/gaps/").content.decode()
    rows = re.findall(r"<tr>.*?</tr>", html.split("<tbody>")[1], re.S)
    assert "ฟุตบอลโลก" in rows[0] and "ไม่พบผลลัพธ์" in rows[0] and "<td>๒</td>" in rows[0]
    assert "คณะกรรมการ" in rows[1] and "ไม่มีใครเปิดอ่าน" in rows[1]
    assert "เครื่องแบบ" not in html.split("<tbody>")[1]


def test_results_that_may_not_answer_are_shown_apart_after_the_ones_that_do(client):
    from search import engine

    hits = engine.search("ชุด อพม", 10).hits
    sure = [h.doc.title for h in hits if h.sure]
    related = [h.doc.title for h in hits if not h.sure]
    assert sure and related, "this question has both kinds"
    assert [h.sure for h in hits] == sorted((h.sure for h in hits), reverse=True)  # the sure ones first
    html = client.get("/search/", {"q": "ชุด อพม"}).content.decode()
    count, heading = html.index("เรื่องที่ตอบคำถาม"), html.index("เรื่องที่อาจเกี่ยวข้อง")
    assert f"พบ {len(sure)} เรื่องที่ตอบคำถาม".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")) in html
    assert all(count < html.index(t) < heading for t in sure)
    assert all(heading < html.index(t) for t in related)
    api = client.get("/api/search", {"q": "ชุด อพม"}).json()["results"]
    assert [r["title"] for r in api if not r["sure"]] == related
