"""News to LINE followers: opt in by typing, an editor previews and confirms in the admin,
the task queue's worker (a real `db_worker` process) multicasts in batches of 500 to the
local LINE stand-in; opting out stops it. Data here is committed, since the worker is
another process; the test removes what it made."""
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_tasks_db.models import DBTaskResult

from knowledge.models import Item
from outreach.models import LineEvent, LineSubscriber, NewsAnnouncement
from search.models import SearchQuery

from .line_helpers import SECRET, TOKEN, post, text_event

FOLLOWERS = [f"U{n:032x}" for n in range(1, 4)]


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        # tasks other tests left committed would run in this test's worker too
        DBTaskResult.objects.all().delete()
        editor = get_user_model().objects.create_superuser("news-editor", password="x")
        yield editor
        NewsAnnouncement.objects.all().delete()
        LineSubscriber.objects.all().delete()
        LineEvent.objects.all().delete()
        SearchQuery.objects.filter(source=SearchQuery.LINE).delete()
        DBTaskResult.objects.all().delete()
        editor.delete()


def worker_env(api):
    return {"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "LINE_API_BASE": api.url,
            "SITE_URL": "https://km.example.go.th"}


def test_followers_who_opt_in_get_the_news_once_and_can_stop(committed, line_api, run_task_worker):
    phone = Client()
    for user in FOLLOWERS:
        assert post(phone, text_event("รับข่าว", user=user)).status_code == 200
    post(phone, text_event("ถาม รับข่าว", user="U" + "f" * 32, group="C" + "0" * 32))  # a group never subscribes
    assert sorted(LineSubscriber.objects.values_list("user_id", flat=True)) == FOLLOWERS
    # followers beyond the first 500 go in a second batch
    LineSubscriber.objects.bulk_create(LineSubscriber(user_id=f"U{n:032x}") for n in range(1000, 1600))

    editor = Client()
    editor.force_login(committed)
    item = Item.objects.get(slug="application")
    added = editor.post("/admin/outreach/newsannouncement/add/",
                        {"item": item.pk, "kind": "changed", "note": "เพิ่มช่องทางการสมัครทางอิเล็กทรอนิกส์",
                         "batches-TOTAL_FORMS": 0, "batches-INITIAL_FORMS": 0})
    assert added.status_code == 302
    news = NewsAnnouncement.objects.get()
    action = {"action": "send_on_line", "_selected_action": [news.pk]}
    page = editor.post("/admin/outreach/newsannouncement/", action)
    html = page.content.decode()
    assert page.status_code == 200 and "ตัวอย่างข่าวก่อนส่งทาง LINE" in html
    assert item.title in html and "ปรับปรุงเนื้อหา" in html and "๖๐๓" in html  # the preview and the recipients
    assert not line_api.multicasts() and not DBTaskResult.objects.exists()  # a preview sends nothing

    confirmed = editor.post("/admin/outreach/newsannouncement/", {**action, "confirm": "yes"}, follow=True)
    assert "เริ่มส่งข่าว ๑ เรื่องแล้ว (๒ ชุด" in confirmed.content.decode()
    assert DBTaskResult.objects.count() == 2
    # someone opts out before the worker gets to their batch: they are skipped
    post(phone, text_event("หยุดรับข่าว", user=FOLLOWERS[0]))
    line_api.fail_next.append(500)  # LINE fails once: that batch is marked failed
    run_task_worker(**worker_env(line_api))

    news.refresh_from_db()
    assert news.status == NewsAnnouncement.FAILED
    assert [b.status for b in news.batches.all()].count("failed") == 1
    resent = editor.post("/admin/outreach/newsannouncement/", {**action, "confirm": "yes"}, follow=True)
    assert "เริ่มส่งข่าว" in resent.content.decode()
    run_task_worker(**worker_env(line_api))

    news.refresh_from_db()
    assert news.status == NewsAnnouncement.SENT
    sent = line_api.multicasts()
    assert len(sent) == 2 and sum(len(m.to) for m in sent) == 602
    everyone = [u for m in sent for u in m.to]
    assert FOLLOWERS[0] not in everyone and set(FOLLOWERS[1:]) <= set(everyone)
    assert all(u.startswith("U") for u in everyone)  # users only, never a group
    message = json.loads(sent[0].messages[0].to_json())
    assert message["type"] == "flex" and "ปรับปรุงเนื้อหา" in message["altText"]
    assert f"https://km.example.go.th{item.get_absolute_url()}" in json.dumps(message)
    keys = [r.headers["X-Line-Retry-Key"] for r in line_api.calls("/v2/bot/message/multicast")]
    assert len(set(keys)) == 2  # one retry key per batch, the same key when a batch is sent again

    # sending again does nothing; the admin says so
    again = editor.post("/admin/outreach/newsannouncement/", {**action, "confirm": "yes"}, follow=True)
    assert "ส่งไปแล้วหรือกำลังส่ง" in again.content.decode()
    assert len(line_api.multicasts()) == 2
