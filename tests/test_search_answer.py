"""The direct answer (one passage of the best item, quoted exactly, with a link to its
anchor, only when the ranking is confident) on the page, in GET /api/search and in the
CLI JSON; and the page that says plainly when nothing in the KM answers."""
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from knowledge.models import Item
from knowledge.render import passages, render_markdown
from search import engine
from search.models import SearchQuery

pytestmark = pytest.mark.django_db


def answer_of(q):
    return engine.search(q, 10).answer


def test_the_answer_quotes_the_passage_exactly_and_links_to_its_anchor(client):
    answer = answer_of("ติดคุกแล้วยังเป็น อพม. ได้ไหม")
    item = Item.objects.get(slug="termination")
    assert answer.item == item.title and answer.url.startswith(item.get_absolute_url() + "#")
    anchor = answer.url.split("#")[1]
    assert (anchor, answer.text) in [(a, t) for a, t, _ in passages(item.body)]
    assert "จำคุก" in answer.text
    # The anchor is on the item's page, on the passage quoted.
    page = client.get(item.get_absolute_url()).content.decode()
    block = re.search(rf'<li id="{anchor}">(.*?)</li>', page, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", block).strip() == answer.text


def test_anchors_number_every_paragraph_and_list_item():
    html = render_markdown("ข้อความนำ ดังนี้\n\n- ข้อหนึ่ง\n- **ข้อสอง**: รายละเอียด\n\nย่อหน้าท้าย", link_terms=False)
    assert re.findall(r'id="(p\d+)"', html) == ["p1", "p2", "p3", "p4"]
    assert passages("ข้อความนำ ดังนี้\n\n- ข้อหนึ่ง\n- **ข้อสอง**: รายละเอียด\n\nย่อหน้าท้าย") == [
        ("p1", "ข้อความนำ ดังนี้", ""), ("p2", "ข้อหนึ่ง", "ข้อความนำ ดังนี้"),
        ("p3", "ข้อสอง: รายละเอียด", "ข้อความนำ ดังนี้"), ("p4", "ย่อหน้าท้าย", "")]


def test_no_answer_when_no_single_passage_stands_out():
    # Both honour levels speak of years: which one is asked is not known.
    assert answer_of("อพม. ดีเด่นต้องทำงานกี่ปี") is None
    # Nothing in the KM answers: no hit, no answer.
    assert answer_of("ฟุตบอลโลก") is None


def test_the_passage_answers_what_is_asked_beyond_the_items_name():
    # The title says สมัคร; what is asked is whether it can be done online.
    assert "อิเล็กทรอนิกส์" in answer_of("สมัคร อพม. ออนไลน์ได้ไหม").text
    # A question that names only the item is answered by what the item opens with, not by
    # a line that happens to repeat the name ("กรรมการผู้ทรงคุณวุฒิ 2 คน").
    committee = Item.objects.get(slug="national-committee")
    opening = passages(committee.body)[0][1]
    assert answer_of("คณะกรรมการ").text == opening


def test_a_question_for_a_number_is_not_answered_by_a_passage_without_one():
    answer = answer_of("ศปง. อพม. มีกี่ระดับ")
    assert answer is None or re.search("[0-9๐-๙]|สอง|สาม|สี่|ห้า|หก|เจ็ด", answer.text)


def test_a_short_list_item_answers_with_the_sentence_that_opens_its_list(client):
    answer = answer_of("อพม. เสียชีวิต ถือว่าสิ้นสภาพไหม")
    assert "ตาย" in answer.text and len(answer.text) < 8
    assert answer.lead == "อพม. สิ้นสภาพความเป็น อพม. ในกรณีต่อไปนี้"
    html = client.get("/search/", {"q": "อพม. เสียชีวิต ถือว่าสิ้นสภาพไหม"}).content.decode()
    assert f'<p class="answer-lead">{answer.lead} …</p><p>{answer.text}</p>' in html


def test_a_question_for_a_whole_list_gets_no_single_passage():
    # The sentence that opens the list answers nothing by itself, and one case of five is
    # not what "which cases" asks for; the item is still the first result.
    assert answer_of("อพม. สิ้นสภาพในกรณีไหนบ้าง") is None
    assert engine.search("อพม. สิ้นสภาพในกรณีไหนบ้าง", 1).hits[0].doc.title == "การสิ้นสภาพความเป็น อพม."


def test_the_page_shows_the_answer_above_the_results_through_the_click_log(client):
    html = client.get("/search/", {"q": "ติดคุกแล้วยังเป็น อพม. ได้ไหม"}).content.decode()
    answer = answer_of("ติดคุกแล้วยังเป็น อพม. ได้ไหม")
    assert html.index('class="answer"') < html.index('class="results"')
    assert f"<p>{answer.text}</p>" in html and "คำตอบจากระเบียบ" in html
    link = re.search(r'class="source">จากเรื่อง <a href="([^"]+)"', html).group(1).replace("&amp;", "&")
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == answer.url
    assert SearchQuery.objects.get().answered


def test_api_and_cli_carry_the_answer_object(client):
    q = "ติดคุกแล้วยังเป็น อพม. ได้ไหม"
    answer = answer_of(q)
    body = client.get("/api/search", {"q": q}).json()
    assert body["answer"] == {"text": answer.text, "item": answer.item, "url": answer.url, "lead": answer.lead}
    assert answer.lead  # a list item: the sentence that opens its list comes with it
    assert client.get("/api/search", {"q": "ฟุตบอลโลก"}).json()["answer"] is None
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert set(schema["DirectAnswerOut"]["properties"]) == {"text", "item", "url", "lead"}
    out = StringIO()
    call_command("search", q, "--json", stdout=out)
    assert json.loads(out.getvalue())["answer"] == body["answer"]


def test_nothing_answers_page_says_so_and_what_to_do(client):
    html = client.get("/search/", {"q": "อพม. ต้องเสียภาษีไหม"}).content.decode()
    assert "ไม่พบเรื่องที่ตรงกับ" in html and "ยังไม่มีเรื่องที่ตอบคำถามนี้" in html
    assert 'class="results"' not in html and 'class="answer"' not in html
    assert "ถามเจ้าหน้าที่" in html and "/km/regulation-2564/committees/" in html and 'href="/glossary/' in html
    assert SearchQuery.objects.get().result_count == 0


@pytest.mark.parametrize("q, expected", [
    ("อพม. ได้เงินไหม", "ค่าตอบแทน"),
    ("ออกจากอพม.ยังไง", "การสิ้นสภาพความเป็น อพม."),
])
def test_only_results_that_answer_are_shown(q, expected):
    hits = engine.search(q, 20).hits
    assert hits[0].doc.title == expected
    assert len(hits) <= 3  # not every item that mentions อพม.


def test_regulation_items_rank_above_km_report_fields_unless_the_km_project_is_asked_about():
    # "เผยแพร่ประชาสัมพันธ์" is one of the volunteers' duties and the KM report's field 7.
    hits = engine.search("อพม. ต้องเผยแพร่ประชาสัมพันธ์ไหม", 5).hits
    assert hits[0].doc.kind == "item"
    hits = engine.search("KM นี้เผยแพร่ประชาสัมพันธ์ทางช่องทางไหน", 5).hits
    assert hits[0].doc.kind == "field" and hits[0].doc.url.endswith("#dissemination")


def test_a_word_is_judged_common_by_what_was_written_not_by_its_synonyms():
    # "ชุด" (an outfit, among เครื่องแบบ's synonyms) is also "a set", written in most
    # documents' questions ("ความรู้ชุดนี้"); asking "เครื่องแบบ" still asks something.
    index = engine.current_index()
    assert index.part.searcher.doc_freq("questions_words", "ชุด") > 0
    answer = index.search("เครื่องแบบ").answer
    assert answer and answer.item == Item.objects.get(slug="dress").title
