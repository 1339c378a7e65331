"""Feeds: the Atom feed (parsed back with feedparser) lists every published item, newest
change first, with absolute addresses, and follows an edit; every page links to it; the
JSON Feed for signage players carries the chosen chapters and today's figures."""
import json
import re
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.utils import timezone

from assessments.models import PRE, Attempt, Participant, TestForm, TrainingSession
from knowledge.models import Chapter, Item

pytestmark = pytest.mark.django_db

ATOM = "/feeds/atom.xml"


def parse(client, path=ATOM):
    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")  # well-formed XML that feedparser reads without complaint
    assert feed.version == "atom10"
    return feed


def test_atom_feed_lists_every_published_item_with_absolute_addresses(client):
    feed = parse(client)
    published = list(Item.objects.published())
    assert feed.feed.title.startswith("คลังความรู้ อพม.") and feed.feed.link == "http://testserver/"
    assert len(feed.entries) == len(published)
    assert {e.link for e in feed.entries} == {"http://testserver" + i.get_absolute_url() for i in published}
    for entry in feed.entries:
        assert entry.id and entry.title and entry.updated_parsed and entry.published_parsed
        assert entry.summary and entry.tags[0].term.startswith("หมวดที่ ")
    updated = [e.updated_parsed for e in feed.entries]
    assert updated == sorted(updated, reverse=True)


def test_an_edit_puts_the_item_first_with_its_new_text(client):
    before = timezone.now().replace(microsecond=0)
    item = Item.objects.published().get(slug="termination")
    item.title = "การพ้นสภาพความเป็น อพม. (ปรับปรุง)"
    item.body += "\n\nข้อความที่เพิ่มในการปรับปรุงครั้งนี้"
    item.save()
    first = parse(client).entries[0]
    assert first.title == "การพ้นสภาพความเป็น อพม. (ปรับปรุง)"
    assert "ข้อความที่เพิ่มในการปรับปรุงครั้งนี้" in first.summary
    assert datetime(*first.updated_parsed[:6], tzinfo=UTC) >= before
    assert first.published_parsed < first.updated_parsed  # published when first loaded, updated now


def test_drafts_stay_out_of_the_feed(client):
    item = Item.objects.published().get(slug="dress")
    item.status = Item.DRAFT
    item.save()
    assert item.title not in {e.title for e in parse(client).entries}


@pytest.mark.parametrize("path", ["/", "/km/regulation-2564/volunteers/", "/km/regulation-2564/volunteers/dress/",
                                  "/glossary/", "/search/?q=สมัคร", "/j/", "/signage/"])
def test_every_page_links_the_feed(client, path):
    html = client.get(path).content.decode()
    link = re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', html)
    assert link and link.group(1) == ATOM


def test_signage_json_feed(client, unit, trainer):
    # today: a training of the Chiang Mai office, two volunteers who took its pre-test
    today = timezone.localdate()
    form = TestForm.objects.get(key="volunteer-pre-a")
    session = TrainingSession.objects.create(title="อบรม อพม. ใหม่ รุ่นที่ ๓", unit=unit, date=today, trainer=trainer,
                                             pre_form=form, post_form=TestForm.objects.get(key="volunteer-post-b"))
    TrainingSession.objects.create(title="อบรมเมื่อวาน", unit=unit, date=today - timedelta(days=1), trainer=trainer,
                                   pre_form=form, post_form=form)
    for n, name in enumerate(["สมศรี", "สมชาย"]):
        person = Participant.objects.create(session=session, name=name, device=f"device-{n}", consent_at=timezone.now())
        Attempt.objects.create(session=session, form=form, kind=PRE, unit=unit, participant=person,
                               idempotency_key=f"key-{n}", answers_digest="0" * 64, score=3, max_score=10,
                               pass_mark=60, passed=False)

    response = client.get("/feeds/signage.json", {"chapters": "2,4"})
    assert response["Content-Type"] == "application/json"
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1" and feed["language"] == "th"
    expected = Item.objects.published().filter(chapter__number__in=[2, 4])
    assert [i["url"] for i in feed["items"]] == ["http://testserver" + i.get_absolute_url() for i in expected]
    for entry in feed["items"]:
        assert entry["id"] and entry["title"] and entry["content_text"] and entry["summary"]
        assert entry["image"].startswith("http://testserver/share/card/item/")
        assert entry["tags"][0].startswith(("หมวดที่ ๒", "หมวดที่ ๔"))
    signage = feed["_signage"]
    assert signage["trainings"] == [{"title": "อบรม อพม. ใหม่ รุ่นที่ ๓", "unit": "พมจ.เชียงใหม่"}]
    assert signage["tested_today"] == 2
    assert signage["ticker"] == ("การอบรมวันนี้ ๑ รายการ: อบรม อพม. ใหม่ รุ่นที่ ๓ (พมจ.เชียงใหม่)"
                                 " | วันนี้มีผู้ทำแบบทดสอบแล้ว ๒ คน")


def test_signage_json_feed_refuses_an_unknown_chapter(client):
    response = client.get("/feeds/signage.json", {"chapters": "2,9"})
    assert response.status_code == 400
    assert json.loads(response.content)["error"] == "ไม่มีหมวดที่ ๙ ในความรู้นี้ (มีหมวด ๑, ๒, ๓, ๔, ๕, ๖, ๗)"
    assert Chapter.objects.count() == 7
