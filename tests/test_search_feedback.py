"""ตอบคำถามไหม 👍/👎 on the results and on the direct answer, a short comment after 👎, and
the counts on the editors' page; nothing about the person is stored."""
import re

import pytest
from django.contrib.auth.models import User
from django.core import signing

from search.feedback import REMOVED, SALT, scrub
from search.models import SearchFeedback, SearchQuery

pytestmark = pytest.mark.django_db


def search(client, q):
    html = client.get("/search/", {"q": q}).content.decode()
    return html, SearchQuery.objects.latest("id")


def test_thumbs_are_offered_for_the_answer_and_the_results(client):
    html, logged = search(client, "ติดคุกแล้วยังเป็น อพม. ได้ไหม")
    forms = re.findall(r'<form class="feedback" method="post" action="([^"]+)"', html)
    assert forms == [f"/search/feedback/{logged.pk}/"] * 2
    assert 'name="target" value="answer"' in html and 'name="target" value="results"' in html
    assert "คำตอบนี้ตอบคำถามไหม" in html and "ผลค้นหาตอบคำถามไหม" in html


def test_thumbs_up_is_stored_with_no_personal_data(client):
    _, logged = search(client, "ติดคุกแล้วยังเป็น อพม. ได้ไหม")
    response = client.post(f"/search/feedback/{logged.pk}/", {"target": "answer", "helpful": "1"},
                           REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="ThaiPhone/1.0")
    assert response.status_code == 200 and "ขอบคุณ" in response.content.decode()
    given = SearchFeedback.objects.get()
    assert given.query == logged and given.target == "answer" and given.helpful and given.comment == ""
    stored = [str(getattr(given, f.attname)) for f in SearchFeedback._meta.concrete_fields]
    assert not any("203.0.113.9" in v or "ThaiPhone" in v for v in stored)
    names = {f.name for f in SearchFeedback._meta.get_fields()}
    assert not names & {"ip", "ip_address", "user", "session", "user_agent", "device"}
    # Pressing again changes the opinion instead of counting twice.
    client.post(f"/search/feedback/{logged.pk}/", {"target": "answer", "helpful": "0"})
    assert SearchFeedback.objects.get().helpful is False


def test_thumbs_down_asks_for_a_comment_which_is_stored_without_contact_details(client):
    _, logged = search(client, "อพม. ได้เงินไหม")
    html = client.post(f"/search/feedback/{logged.pk}/", {"target": "results", "helpful": "0"},
                       HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html and 'name="comment"' in html and "ไม่ต้องใส่ชื่อ" in html
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    comment = ("อยากรู้ว่าได้เดือนละกี่บาท โทร ๐๘๑-๒๓๔-๕๖๗๘ หรือ 02 123 4567 อีเมล somchai@example.com "
               "เลขบัตร 1-2345-67890-12-3 ไลน์ somchai_2500")
    html = client.post("/search/feedback/comment/", {"token": token, "comment": comment}).content.decode()
    assert "ได้รับความเห็นแล้ว" in html
    stored = SearchFeedback.objects.get().comment
    assert stored.startswith("อยากรู้ว่าได้เดือนละกี่บาท")
    for secret in ["081", "234", "5678", "123 4567", "somchai", "example.com", "67890"]:
        assert secret not in stored, (secret, stored)
    assert stored.count(REMOVED) == 5


def test_a_comment_needs_the_token_of_a_thumbs_down(client):
    _, logged = search(client, "อพม. ได้เงินไหม")
    client.post(f"/search/feedback/{logged.pk}/", {"target": "results", "helpful": "1"})
    up = SearchFeedback.objects.get()
    forged = signing.dumps(up.pk, salt=SALT)
    assert client.post("/search/feedback/comment/", {"token": forged, "comment": "สแปม"}).status_code == 404
    response = client.post("/search/feedback/comment/", {"token": "ปลอม", "comment": "สแปม"})
    assert response.status_code == 400 and "หมดอายุ" in response.content.decode()
    assert SearchFeedback.objects.get().comment == ""


@pytest.mark.parametrize("data", [{"target": "answer"}, {"target": "อื่น", "helpful": "1"}, {"helpful": "2"}])
def test_bad_feedback_gets_a_thai_message_and_stores_nothing(client, data):
    _, logged = search(client, "อพม. ได้เงินไหม")
    response = client.post(f"/search/feedback/{logged.pk}/", data)
    assert response.status_code == 400 and "ไม่ถูกต้อง" in response.content.decode()
    assert not SearchFeedback.objects.exists()
    assert client.get(f"/search/feedback/{logged.pk}/").status_code == 405


def test_too_long_comment_is_refused(client):
    _, logged = search(client, "อพม. ได้เงินไหม")
    html = client.post(f"/search/feedback/{logged.pk}/", {"target": "results", "helpful": "0"}).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    response = client.post("/search/feedback/comment/", {"token": token, "comment": "ก" * 301})
    assert response.status_code == 400 and "ยาวเกินไป" in response.content.decode()
    assert SearchFeedback.objects.get().comment == ""


def test_scrub_keeps_ordinary_numbers():
    assert scrub("อพม. ดีเด่นต้องทำงาน 3 ปี ผู้แทนภาคละ ๑ คน") == "อพม. ดีเด่นต้องทำงาน 3 ปี ผู้แทนภาคละ 1 คน"


def test_counts_are_on_the_editors_page(client):
    for q, target, helpful in [("อพม. ได้เงินไหม", "answer", "1"), ("อพม. ได้เงินไหม", "results", "0"),
                               ("ติดคุกแล้วยังเป็น อพม. ได้ไหม", "answer", "0")]:
        _, logged = search(client, q)
        client.post(f"/search/feedback/{logged.pk}/", {"target": target, "helpful": helpful})
    client.force_login(User.objects.create_user("km", password="x", is_staff=True))
    html = client.get("/search/gaps/").content.decode()
    answer_counts = re.search(r"คำตอบตรง:(.*?)</li>", html, re.S).group(1)
    results_counts = re.search(r"ผลค้นหา:(.*?)</li>", html, re.S).group(1)
    assert re.findall(r"</svg> ([๐-๙]+)", answer_counts) == ["๑", "๑"]
    assert re.findall(r"</svg> ([๐-๙]+)", results_counts) == ["๐", "๑"]
