"""The editors' loop on /search/gaps/: the questions people asked and did not find, most
asked first; attaching one to the item that answers it (one action, a revision of the item,
and search finds the item by it from then on), or marking it not covered by this KM."""
import re

import pytest
from django.contrib.auth.models import Permission, User

from knowledge.models import Item, KMReport, ReportField
from search import engine
from search.models import QueryResolution, SearchQuery

pytestmark = pytest.mark.django_db

ASKED = "อาสาผูกผ้าประเจียดได้ไหม"


@pytest.fixture
def editor(client):
    user = User.objects.create_user("km", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_item"))
    client.force_login(user)
    return user


def rows(html):
    return re.findall(r"<tr>.*?</tr>", html.split("<tbody>")[1], re.S)


def test_attaching_a_query_makes_it_an_item_question_as_a_revision_and_search_finds_the_item(client, editor):
    dress = Item.objects.get(slug="dress")
    assert not any(h.doc.title == dress.title for h in engine.search(ASKED, 5).hits)
    for _ in range(3):
        client.get("/search/", {"q": ASKED})
    client.get("/search/", {"q": "ฟุตบอลโลก"})
    html = client.get("/search/gaps/").content.decode()
    first = rows(html)[0]
    assert ASKED in first and "<td>๓</td>" in first  # most asked first
    revisions = dress.history.count()

    response = client.post("/search/gaps/attach/", {"normalized": ASKED, "item": dress.pk})
    assert response.status_code == 302
    dress.refresh_from_db()
    assert dress.asked_questions[-1] == ASKED
    latest = dress.history.first()
    assert dress.history.count() == revisions + 1 and latest.history_user == editor
    assert latest.history_change_reason == "เพิ่มคำถามจากคำค้นที่ผู้ใช้ยังหาไม่พบ"
    resolution = QueryResolution.objects.get(normalized=ASKED)
    assert resolution.action == QueryResolution.ATTACHED and resolution.item == dress
    assert engine.search(ASKED, 5).hits[0].doc.title == dress.title
    html = client.get("/search/gaps/").content.decode()
    assert ASKED not in "".join(rows(html)) and "ฟุตบอลโลก" in rows(html)[0]
    assert "แนบกับเรื่องที่ตอบแล้ว" in html  # listed among the resolved
    # Attaching the same question again adds no second copy.
    client.post("/search/gaps/attach/", {"normalized": ASKED, "item": dress.pk})
    dress.refresh_from_db()
    assert dress.asked_questions.count(ASKED) == 1


def test_the_item_search_ranks_first_is_offered_first(client, editor):
    client.get("/search/", {"q": "คณะกรรมการมีใครบ้าง"})  # results, no direct answer, nobody opened one
    html = client.get("/search/gaps/").content.decode()
    row = next(r for r in rows(html) if "คณะกรรมการ" in r)
    top = engine.search("คณะกรรมการมีใครบ้าง", 1).hits[0].doc.title
    assert re.search(r"<option value=\"item:\d+\" selected>[^<]*" + re.escape(top), row)


def test_with_several_kms_every_choice_names_its_km(client, editor):
    main = Item.objects.first().chapter.report
    other = KMReport.objects.create(slug="market-nan", title="ตลาดนัดชุมชนกับงาน อพม. น่าน", unit="พมจ.น่าน")
    ReportField.objects.create(report=other, key="team", section=1, title="คณะทำงาน", body="ทีมงาน พมจ.น่าน")
    client.get("/search/", {"q": "คณะกรรมการมีใครบ้าง"})
    row = rows(client.get("/search/gaps/").content.decode())[0]
    options = re.findall(r"<option value=\"(?:item|field):\d+\"[^>]*>([^<]*)", row)
    assert options and all(o.startswith((f"{main.title} · ", f"{other.title} · ")) for o in options)
    assert f"{other.title} · รายงาน KM ข้อ ๑ · คณะทำงาน" in options


def test_marking_not_covered_removes_it_from_the_list(client, editor):
    client.get("/search/", {"q": "ฟุตบอลโลก"})
    response = client.post("/search/gaps/not-covered/", {"normalized": "ฟุตบอลโลก"})
    assert response.status_code == 302
    assert QueryResolution.objects.get(normalized="ฟุตบอลโลก").action == QueryResolution.NOT_COVERED
    html = client.get("/search/gaps/").content.decode()
    assert "ฟุตบอลโลก" not in "".join(rows(html)) and "ไม่อยู่ในขอบเขตของ KM นี้" in html


def test_bad_requests_change_nothing(client, editor):
    client.get("/search/", {"q": ASKED})
    dress = Item.objects.get(slug="dress")
    before = list(dress.asked_questions)
    for data in [{"normalized": ASKED, "item": ""}, {"normalized": "ไม่เคยมีใครถาม", "item": dress.pk},
                 {"normalized": ASKED, "item": "abc"}]:
        response = client.post("/search/gaps/attach/", data, follow=True)
        assert "กรุณาเลือกคำค้นและเรื่องที่ตอบคำถามนี้" in response.content.decode()
    assert client.post("/search/gaps/attach/", {"normalized": ASKED, "item": 999999}).status_code == 404
    assert client.get("/search/gaps/attach/").status_code == 405
    dress.refresh_from_db()
    assert dress.asked_questions == before and not QueryResolution.objects.exists()


def test_only_editors_who_may_change_items_attach(client):
    client.get("/search/", {"q": ASKED})
    dress = Item.objects.get(slug="dress")
    assert client.post("/search/gaps/attach/", {"normalized": ASKED, "item": dress.pk}).status_code == 302
    assert not QueryResolution.objects.exists()  # sent to the login page
    client.force_login(User.objects.create_user("staff", password="x", is_staff=True))
    assert "แนบกับเรื่องนี้" not in client.get("/search/gaps/").content.decode()
    assert client.post("/search/gaps/attach/", {"normalized": ASKED, "item": dress.pk}).status_code == 403
    assert not QueryResolution.objects.exists() and SearchQuery.objects.filter(normalized=ASKED).exists()


def test_a_question_about_the_km_project_is_attached_to_the_report_field_that_answers_it(client, editor):
    from knowledge.models import ReportField

    asked = "ใครเป็นหัวหน้าโครงการจัดทำคู่มือเล่มนี้"
    team = ReportField.objects.get(key="team")
    client.get("/search/", {"q": asked})
    html = client.get("/search/gaps/").content.decode()
    assert f'<option value="field:{team.pk}"' in html  # the KM report's fields are offered too
    revisions = team.history.count()
    # Changing the report's fields is a permission of its own.
    assert client.post("/search/gaps/attach/", {"normalized": asked, "item": f"field:{team.pk}"}).status_code == 403
    team.refresh_from_db()
    assert asked not in team.asked_questions and not QueryResolution.objects.exists()
    editor.user_permissions.add(Permission.objects.get(codename="change_reportfield"))
    response = client.post("/search/gaps/attach/", {"normalized": asked, "item": f"field:{team.pk}"})
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.asked_questions[-1] == asked and team.history.count() == revisions + 1
    assert team.history.first().history_change_reason == "เพิ่มคำถามจากคำค้นที่ผู้ใช้ยังหาไม่พบ"
    resolution = QueryResolution.objects.get(normalized=asked)
    assert resolution.field == team and resolution.item is None and resolution.answered_by == team
    assert engine.search(asked, 5).hits[0].doc.title == team.title
    assert team.title in client.get("/search/gaps/").content.decode()  # among the resolved, linked


def test_an_unknown_kind_of_answer_is_refused_and_changes_nothing(client, editor):
    client.get("/search/", {"q": ASKED})
    response = client.post("/search/gaps/attach/", {"normalized": ASKED, "item": "chapter:1"}, follow=True)
    assert "กรุณาเลือกคำค้นและเรื่องที่ตอบคำถามนี้" in response.content.decode()
    assert not QueryResolution.objects.filter(normalized=ASKED).exists()
