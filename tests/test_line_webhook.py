"""The LINE bot through its real webhook: signed requests in, replies out to the local LINE
API stand-in (which checks them against the SDK's models and LINE's limits)."""
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Membership, Unit
from assessments.models import TestForm, TrainingSession
from knowledge.models import Item
from outreach.models import LineEvent, LineSubscriber
from search import engine
from search.models import SearchClick, SearchFeedback, SearchQuery

from .line_helpers import (
    follow_event,
    join_event,
    post,
    postback_event,
    sign,
    text_event,
    unfollow_event,
)

pytestmark = pytest.mark.django_db
USER = "U0000000000000000000000000000test"


def reply_of(api, event):
    """The messages LINE accepted in reply to `event` (as JSON dicts), or None."""
    request = api.reply_to(event["replyToken"])
    return None if request is None else [json.loads(m.to_json()) for m in request.messages]


def walk(node):
    """Every dict inside a message."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def texts_of(message):
    return " ".join(d["text"] for d in walk(message) if d.get("type") == "text" and "text" in d)


def quick_replies(message):
    return [item["action"] for item in (message.get("quickReply") or {}).get("items", [])]


def uris(message):
    return [d["uri"] for d in walk(message) if d.get("type") == "uri"]


def test_a_question_gets_the_answer_sentence_with_its_source_and_page(client, line_api):
    event = text_event("สมัคร อพม. ออนไลน์ได้ไหม")
    assert post(client, event).status_code == 200
    [message] = reply_of(line_api, event)
    assert message["type"] == "flex" and message["altText"].startswith("คำตอบ:")
    shown = texts_of(message["contents"])
    item = Item.objects.get(slug="application")
    assert "ทางอิเล็กทรอนิกส์" in shown  # the sentence that answers, from the item itself
    assert item.title in shown and "หมวดที่ ๒" in shown  # its title and chapter
    # the button opens the item through the site's click log, as a web search result does
    [button] = uris(message["contents"])
    logged = SearchQuery.objects.get()
    assert logged.source == SearchQuery.LINE and logged.q == "สมัคร อพม. ออนไลน์ได้ไหม" and logged.result_count >= 1
    opened = client.get(urlsplit(button).path + "?" + urlsplit(button).query)
    # to the quoted sentence on the item's page
    quoted = engine.search("สมัคร อพม. ออนไลน์ได้ไหม", 5).answer
    assert quoted.url.startswith(item.get_absolute_url() + "#")
    assert opened.status_code == 302 and opened["Location"] == quoted.url
    assert SearchClick.objects.get().query == logged
    assert client.get(item.get_absolute_url()).status_code == 200
    # other hits as quick replies, then 👍 and 👎
    actions = quick_replies(message)
    assert [a["label"] for a in actions[-2:]] == ["👍 ตรงคำถาม", "👎 ยังไม่ตรง"]
    assert len(actions) <= 5


def test_the_direct_answer_search_gives_is_quoted_with_its_anchor(client, line_api):
    question = "อพม. ใส่เครื่องแบบได้ไหม"
    direct = engine.search(question, 5).answer
    assert direct is not None  # search is confident here: one sentence of the item says it
    event = text_event(question)
    post(client, event)
    [message] = reply_of(line_api, event)
    assert direct.text in texts_of(message["contents"]) and "Answer(" not in message["altText"]
    [button] = uris(message["contents"])
    assert parse_qs(urlsplit(button).query).get("to") == [direct.url] and "#" in direct.url, button
    opened = client.get(urlsplit(button).path + "?" + urlsplit(button).query)
    assert opened.status_code == 302 and opened["Location"] == direct.url
    assert SearchClick.objects.get().rank == 0  # counted as the site counts a direct answer


def test_no_line_user_id_is_kept_with_the_question(client, line_api):
    post(client, text_event("คุณสมบัติของ อพม. มีอะไรบ้าง", user="U1234567890abcdef1234567890abcdef"))
    row = SearchQuery.objects.values().get()
    assert all("U1234567890abcdef" not in str(v) for v in row.values())
    assert not LineSubscriber.objects.exists()
    assert all("U1234567890abcdef" not in (e.pending + e.event_id) for e in LineEvent.objects.all())


def test_nothing_found_says_so_and_offers_the_chapters(client, line_api, admin_client):
    event = text_event("วิธีปลูกผักสวนครัว")
    post(client, event)
    [message] = reply_of(line_api, event)
    assert message["type"] == "text" and "ยังไม่พบคำตอบ" in message["text"] and "วิธีปลูกผักสวนครัว" in message["text"]
    chapters = [a for a in quick_replies(message) if a["data"].startswith("chapter=")]
    assert len(chapters) == 7 and chapters[0]["label"] == "หมวด ๑ คณะกรรมการ"
    # the same "asked but not found" log as the site: the editors see it
    assert SearchQuery.objects.get().result_count == 0
    assert "วิธีปลูกผักสวนครัว" in admin_client.get("/search/gaps/").content.decode()


def test_other_answers_and_feedback_from_the_quick_replies(client, line_api):
    event = text_event("อพม. ต้องมีคุณสมบัติอะไร สมัครยังไง")  # two things asked: two answers
    post(client, event)
    [message] = reply_of(line_api, event)
    actions = quick_replies(message)
    other = next(a for a in actions if a["data"].startswith("show="))
    shown = postback_event(other["data"])
    post(client, shown)
    [card] = reply_of(line_api, shown)
    assert card["type"] == "flex" and other["displayText"] in texts_of(card["contents"])

    up = postback_event(next(a for a in actions if a["label"].startswith("👍"))["data"])
    post(client, up)
    vote = SearchFeedback.objects.get()
    assert vote.helpful and vote.query == SearchQuery.objects.get() and vote.target == SearchFeedback.ANSWER
    assert "ขอบคุณ" in reply_of(line_api, up)[0]["text"]
    down = postback_event(next(a for a in actions if a["label"].startswith("👎"))["data"])
    post(client, down)
    assert SearchFeedback.objects.get().helpful is False  # one vote per question; the later one counts


def test_glossary_answers_abbreviations_and_never_guesses(client, line_api):
    event = text_event("พมจ. คืออะไร")
    post(client, event)
    [message] = reply_of(line_api, event)
    assert "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด" in texts_of(message["contents"])
    assert any("/glossary/#term-" in u for u in uris(message["contents"]))
    for unsure_question in ("กปม ย่อมาจากอะไร", "กอพม. คืออะไร"):  # the report never expands these
        unsure = text_event(unsure_question)
        post(client, unsure)
        [message] = reply_of(line_api, unsure)
        assert "รายงาน KM ไม่ได้ระบุคำเต็ม" in texts_of(message["contents"])


def test_chapters_carousel_then_a_chapter_then_an_item(client, line_api):
    event = text_event("หมวดความรู้")
    post(client, event)
    [message] = reply_of(line_api, event)
    carousel = message["contents"]
    assert carousel["type"] == "carousel" and len(carousel["contents"]) == 7
    assert [b["header"]["contents"][0]["text"] for b in carousel["contents"]][:2] == ["หมวดที่ ๑", "หมวดที่ ๒"]
    item = Item.objects.get(slug="dress")
    tap = next(d["action"] for d in walk(carousel) if d.get("action", {}).get("data") == f"item={item.pk}")
    chosen = postback_event(tap["data"])
    post(client, chosen)
    [card] = reply_of(line_api, chosen)
    assert item.title in texts_of(card["contents"]) and uris(card["contents"])[0].endswith(item.get_absolute_url())
    chapter = postback_event("chapter=5")
    post(client, chapter)
    assert "สิทธิประโยชน์" in texts_of(reply_of(line_api, chapter)[0]["contents"])


@pytest.fixture
def training():
    unit = Unit.objects.create(code="pmj-lampang", name="สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดลำปาง",
                               short_name="พมจ.ลำปาง", kind=Unit.PROVINCE, province="ลำปาง", region="เหนือ")
    user = get_user_model().objects.create_user("trainer-lampang")
    Membership.objects.create(user=user, unit=unit, role=Membership.TRAINER)
    return TrainingSession.objects.create(
        title="อบรม อพม. ลำปาง รุ่นที่ ๒", unit=unit, date="2026-03-02", trainer=user,
        pre_form=TestForm.objects.get(key="volunteer-pre-a"), post_form=TestForm.objects.get(key="volunteer-post-b"))


def test_a_training_code_gives_the_join_link(client, line_api, training):
    training.set_phase("pre", "open")
    typed = f"รหัส {training.code[:3].lower()}-{training.code[3:].lower()}"
    event = text_event(typed)
    post(client, event)
    [message] = reply_of(line_api, event)
    shown = texts_of(message["contents"])
    assert training.title in shown and "เปิดแบบทดสอบก่อนอบรมอยู่" in shown and "๒ มีนาคม พ.ศ. ๒๕๖๙" in shown
    [link] = uris(message["contents"])
    assert link == f"http://testserver/j/{training.code}/"
    assert client.get(urlsplit(link).path).status_code == 200
    wrong = text_event("ZZZ999")
    post(client, wrong)
    assert "ไม่พบการอบรมที่ใช้รหัส “ZZZ999”" in reply_of(line_api, wrong)[0]["text"]


def test_a_bad_or_missing_signature_is_refused_and_nothing_happens(client, line_api):
    event = text_event("สมัคร อพม. ออนไลน์ได้ไหม")
    forged = post(client, event, signature=sign(b"something else"))
    assert forged.status_code == 400 and "ลายเซ็นไม่ถูกต้อง" in forged.content.decode()
    other_secret = sign(json.dumps({"events": [event]}).encode(), secret="other")
    assert post(client, event, signature=other_secret).status_code == 400
    assert post(client, event, signature="").status_code == 400
    assert post(client, body=b"not json at all", signature=sign(b"not json at all")).status_code == 400
    assert not SearchQuery.objects.exists() and not LineEvent.objects.exists() and not line_api.received


def test_without_a_channel_the_webhook_is_not_there(client, settings):
    settings.LINE_CHANNEL_SECRET = settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    assert post(client, text_event("อพม. คือใคร")).status_code == 404
    assert client.get("/line/webhook").status_code == 404
    assert not SearchQuery.objects.exists()


def test_a_redelivered_event_is_handled_once(client, line_api):
    event = text_event("ค่าตอบแทน อพม.")
    assert post(client, event).status_code == 200
    again = {**event, "deliveryContext": {"isRedelivery": True}}
    assert post(client, again).status_code == 200
    assert len(line_api.replies()) == 1 and SearchQuery.objects.count() == 1 and LineEvent.objects.count() == 1


def test_when_line_cannot_take_the_reply_the_redelivery_sends_it(client, line_api):
    line_api.fail_next.append(500)
    event = text_event("ค่าตอบแทน อพม.")
    assert post(client, event).status_code == 500  # LINE will deliver the event again
    assert not line_api.replies() and LineEvent.objects.get().pending
    again = {**event, "replyToken": "reply-token-redelivered", "deliveryContext": {"isRedelivery": True}}
    assert post(client, again).status_code == 200
    [sent] = line_api.replies()
    assert sent.reply_token == "reply-token-redelivered" and sent.messages[0].type == "flex"
    assert SearchQuery.objects.count() == 1 and LineEvent.objects.get().pending == ""


def test_in_a_group_the_bot_answers_only_when_asked(client, line_api):
    group = "C0000000000000000000000000000group"
    chatter = text_event("ประชุมพรุ่งนี้กี่โมงครับ", group=group)
    post(client, chatter)
    assert not line_api.received and not SearchQuery.objects.exists() and not LineEvent.objects.exists()
    for asked in (text_event("ถาม สมัคร อพม. ที่ไหน", group=group), text_event("?ค่าตอบแทน อพม.", group=group),
                  text_event("คุณสมบัติของ อพม.", group=group, mention_self=True)):
        post(client, asked)
        [message] = reply_of(line_api, asked)
        assert message["type"] == "flex"
    assert [q.q for q in SearchQuery.objects.order_by("id")] == ["สมัคร อพม. ที่ไหน", "ค่าตอบแทน อพม.",
                                                                 "คุณสมบัติของ อพม."]
    news = text_event("ถาม รับข่าว", group=group)
    post(client, news)
    assert "แชตส่วนตัว" in reply_of(line_api, news)[0]["text"] and not LineSubscriber.objects.exists()
    sticker = text_event("", group=group)
    sticker["message"] = {"id": "1", "type": "sticker", "packageId": "1", "stickerId": "1",
                          "stickerResourceType": "STATIC", "quoteToken": "q"}
    post(client, sticker)
    assert reply_of(line_api, sticker) is None


def test_joining_a_group_says_how_to_ask_there(client, line_api):
    event = join_event()
    post(client, event)
    assert "พิมพ์ “ถาม” หรือ “?”" in reply_of(line_api, event)[0]["text"]


def test_follow_greets_and_says_how_to_ask(client, line_api):
    event = follow_event()
    post(client, event)
    [message] = reply_of(line_api, event)
    assert message["text"].startswith("สวัสดี") and "พิมพ์คำถาม" in message["text"]
    assert "อพม. คือใคร" in [a["text"] for a in quick_replies(message)]


def test_the_rich_menu_buttons_each_get_their_reply(client, line_api):
    expected = {"ถามเรื่องระเบียบ": "พิมพ์คำถาม", "คำย่อ": "พิมพ์คำย่อ", "แบบทดสอบ": "รหัสเข้าร่วม"}
    for said, words in expected.items():
        event = text_event(said)
        post(client, event)
        assert words in reply_of(line_api, event)[0]["text"], said
    assert not SearchQuery.objects.exists()  # menu words are not questions


def test_news_opt_in_and_out_keep_only_the_user_id(client, line_api):
    subscribe = text_event("รับข่าว")
    post(client, subscribe)
    assert "หยุดรับข่าว" in reply_of(line_api, subscribe)[0]["text"]
    assert list(LineSubscriber.objects.values_list("user_id", flat=True)) == [USER]
    post(client, text_event("รับข่าว"))
    assert LineSubscriber.objects.count() == 1
    stop = text_event("หยุดรับข่าว")
    post(client, stop)
    assert "ลบ" in reply_of(line_api, stop)[0]["text"] and not LineSubscriber.objects.exists()
    post(client, text_event("รับข่าว"))
    post(client, unfollow_event())
    assert not LineSubscriber.objects.exists()  # blocking the account deletes it too


def test_postback_data_is_only_what_the_bot_sent(client, line_api):
    """Quick reply data stays within LINE's limits and parses back."""
    event = text_event("สมัคร อพม. ออนไลน์ได้ไหม")
    post(client, event)
    for action in quick_replies(reply_of(line_api, event)[0]):
        assert len(action["data"]) <= 300 and parse_qs(action["data"])


def test_thanks_and_hello_are_not_questions(client, line_api):
    thanks, hello = text_event("ขอบคุณมากครับ"), text_event("สวัสดีค่ะ")
    post(client, thanks, hello)
    assert "ยินดีที่ได้ช่วย" in reply_of(line_api, thanks)[0]["text"]
    assert reply_of(line_api, hello)[0]["text"].startswith("สวัสดี")
    assert not SearchQuery.objects.exists()


def test_a_chat_in_standby_mode_is_left_to_the_channel_that_answers_it(client, line_api):
    event = {**text_event("อพม. คือใคร"), "mode": "standby"}
    del event["replyToken"]
    assert post(client, event).status_code == 200
    assert not line_api.received and not SearchQuery.objects.exists()


def test_a_passage_under_review_reads_as_the_sites_notice_not_the_files_marker(client, line_api):
    from knowledge.render import REVIEW_MARK, REVIEW_NOTICE

    item = Item.objects.get(slug="qualifications")
    assert REVIEW_MARK.search(item.body)  # the content marks a passage of it for review
    chosen = postback_event(f"item={item.pk}")
    post(client, chosen)
    [card] = reply_of(line_api, chosen)
    shown = " ".join([card["altText"], *texts_of(card["contents"])])
    assert REVIEW_NOTICE in shown and not REVIEW_MARK.search(shown)
