"""Signage mode as the server renders it: public, one card per screenful of an item's
key points in the chosen chapters, settings from the address, a clear Thai message for a
setting it cannot show, a fallback that advances without JavaScript."""
import re
from html import unescape

import pytest
from django.utils import timezone

from assessments.models import TestForm, TrainingSession
from knowledge.models import Item
from outreach import sharecards, signage
from outreach.subjects import of_item
from volunteerkm.thai import wrap

pytestmark = pytest.mark.django_db


def slides(html):
    return re.findall(r'<article class="slide( current)?" data-key="([^"]+)"', html)


def test_signage_shows_every_published_item_of_the_chosen_chapters_without_login(client):
    html = client.get("/signage/", {"chapters": "2,4", "seconds": "20"}).content.decode()
    keys = [key for _, key in slides(html)]
    items = Item.objects.published().filter(chapter__number__in=[2, 4])
    assert {key.rsplit("-", 1)[0] for key in keys} == {f"item-{i.pk}" for i in items}
    assert [current for current, _ in slides(html)].count(" current") == 1
    assert "หมวดที่ ๒" in html and "หมวดที่ ๔" in html and "หมวดที่ ๓" not in html
    assert 'data-seconds="20"' in html and 'data-refresh="300"' in html
    assert html.count("<svg") == len(keys)  # a QR code on every card
    assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", html))


def test_thai_digits_in_the_address_work_too(client):
    html = client.get("/signage/", {"chapters": "๗", "seconds": "๓๐"}).content.decode()
    assert 'data-seconds="30"' in html and "หมวดที่ ๗" in html and "หมวดที่ ๑ " not in html


@pytest.mark.parametrize("query, message", [
    ({"chapters": "2,9"}, "ไม่มีหมวดที่ ๙ ในความรู้นี้"),
    ({"chapters": "สอง"}, "ไม่มีหมวดที่ สอง ในความรู้นี้"),
    ({"seconds": "1"}, "ค่า seconds ต้องเป็นจำนวนเต็มตั้งแต่ ๓ ถึง ๖๐๐"),
    ({"seconds": "abc"}, "ค่า seconds ต้องเป็นจำนวนเต็มตั้งแต่ ๓ ถึง ๖๐๐"),
    ({"refresh": "99999"}, "ค่า refresh ต้องเป็นจำนวนเต็มตั้งแต่ ๓ ถึง ๓๖๐๐"),
])
def test_a_setting_it_cannot_show_gets_a_thai_message(client, query, message):
    response = client.get("/signage/", query)
    assert response.status_code == 400
    assert message in unescape(response.content.decode())


def test_without_javascript_the_server_advances_the_cards(client):
    html = client.get("/signage/", {"chapters": "5", "seconds": "15", "card": "1"}).content.decode()
    current = [key for flag, key in slides(html) if flag]
    assert current == [slides(html)[1][1]]
    refresh = re.search(r'<noscript><meta http-equiv="refresh" content="15;url=([^"]+)"></noscript>', html)
    assert unescape(refresh.group(1)) == "?chapters=5&seconds=15&card=2"


def test_todays_trainings_and_tests_appear_only_when_there_are_any(client, unit, trainer):
    html = client.get("/signage/").content.decode()
    assert "การอบรมวันนี้" not in html and "ทำแบบทดสอบ" not in html
    form = TestForm.objects.get(key="volunteer-pre-a")
    TrainingSession.objects.create(title="อบรม อพม. ใหม่ รุ่นที่ ๒", unit=unit, date=timezone.localdate(),
                                   trainer=trainer, pre_form=form, post_form=form)
    html = client.get("/signage/").content.decode()
    assert "การอบรมวันนี้" in html and "อบรม อพม. ใหม่ รุ่นที่ ๒ (พมจ.เชียงใหม่)" in html


def test_every_card_fits_the_screen():
    """Each card's text fits the room signage.css gives it at 1920×1080, as measured
    with Sarabun at the screen's sizes; a long item continues on further cards."""
    body = sharecards.measure(sharecards.font(signage.BODY_PX))
    long_items = 0
    for item in Item.objects.published().select_related("chapter__report"):
        subject = of_item(item)
        subject.url = "http://testserver" + subject.path
        cards = signage.slides_of(subject)
        long_items += len(cards) > 1
        assert [p for c in cards for p in c.points] == subject.points  # nothing left out
        for card in cards:
            height = sum(len(wrap(p, signage.TEXT_WIDTH, body)) * signage.LINE_PX + signage.POINT_GAP_PX
                         for p in card.points)
            if card.lead:
                height += len(wrap(card.lead, signage.TEXT_WIDTH, body)) * signage.LINE_PX
            assert height <= signage.ROOM_PX or len(card.points) == 1
    assert long_items >= 3
