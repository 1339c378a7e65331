"""The LINE features on the real server (gunicorn, two workers) with the local LINE API
stand-in: a question over HTTP, the same event delivered twice at once, and what people
see: the home page's add-friend box on a phone and on a desktop, the editor's news preview."""
import json
import threading

import httpx
import pytest
from django.contrib.auth import get_user_model

from knowledge.models import Item
from outreach.models import LineEvent, NewsAnnouncement
from search.models import SearchQuery

from .helpers import screenshot
from .line_helpers import sign, text_event

pytestmark = pytest.mark.browser


@pytest.fixture
def committed(django_db_blocker):
    with django_db_blocker.unblock():
        yield
        LineEvent.objects.all().delete()
        SearchQuery.objects.filter(source=SearchQuery.LINE).delete()
        NewsAnnouncement.objects.all().delete()
        get_user_model().objects.filter(username="line-editor").delete()


def deliver(base, event):
    body = json.dumps({"destination": "Ubot", "events": [event]}, ensure_ascii=False).encode()
    # A worker's first question builds its search index: seconds on a busy machine.
    return httpx.post(f"{base}/line/webhook", content=body, timeout=120,
                      headers={"Content-Type": "application/json", "X-Line-Signature": sign(body)})


def test_a_question_over_http_and_a_double_delivery_answered_once(line_server, committed):
    base, api = line_server
    event = text_event("อพม. ต้องมีคุณสมบัติอะไรบ้าง")
    statuses = []

    def send():
        try:
            statuses.append(deliver(base, event).status_code)
        except httpx.HTTPError as exc:
            statuses.append(repr(exc))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200, 200]
    assert api.wait_for(lambda: api.reply_to(event["replyToken"]) is not None)
    sent = [m for m in api.replies() if m.reply_token == event["replyToken"]]
    assert len(sent) == 1 and SearchQuery.objects.filter(source=SearchQuery.LINE).count() == 1
    [button] = json.loads(sent[0].messages[0].to_json())["contents"]["footer"]["contents"]
    item = Item.objects.get(slug="qualifications")
    opened = httpx.get(button["action"]["uri"], follow_redirects=True, timeout=120)
    assert opened.status_code == 200 and str(opened.url).endswith(item.get_absolute_url())
    assert deliver(base, {**event, "replyToken": "x"}).status_code == 200 and len(api.replies()) == 1


def test_the_add_friend_box_on_a_phone_and_a_desktop(line_server, browser, phone_page):
    phone = phone_page
    base, _ = line_server
    phone.goto(base + "/")
    box = phone.locator("section.line-friend")
    assert box.is_visible() and box.locator("img").evaluate("img => img.naturalWidth > 0")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box.scroll_into_view_if_needed()
    screenshot(phone, "line-home-phone", full_page=False)
    desktop = browser.new_page(viewport={"width": 1280, "height": 900})
    desktop.goto(base + "/")
    desktop.locator("section.line-friend").scroll_into_view_if_needed()
    screenshot(desktop, "line-home-desktop", full_page=False)
    assert desktop.locator("footer a[href^='https://line.me/']").count() == 1
    desktop.close()


def test_an_editor_previews_news_before_sending(line_server, browser, committed):
    base, api = line_server
    editor = get_user_model().objects.create_superuser("line-editor", password="line-editor-pass-2569")
    NewsAnnouncement.objects.create(item=Item.objects.get(slug="dress"), kind=NewsAnnouncement.CHANGED,
                                    note="ปรับถ้อยคำเรื่องเครื่องแบบให้ตรงกับระเบียบ", created_by=editor)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="th-TH")
    page.goto(base + "/admin/login/?next=/admin/outreach/newsannouncement/")
    page.fill("input[name=username]", "line-editor")
    page.fill("input[name=password]", "line-editor-pass-2569")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/outreach/newsannouncement/")
    page.check("input[name=_selected_action]")
    page.select_option("select[name=action]", "send_on_line")
    page.click("button[name=index]")
    page.wait_for_selector(".line-chat .flex-bubble")
    assert "การแต่งกายของ อพม." in page.inner_text(".line-chat")
    screenshot(page, "line-news-preview")
    assert not api.multicasts()
    page.close()
