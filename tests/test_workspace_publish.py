"""A unit's KM from the workspace to the public: a draft is nowhere public (pages, /km/, search)
until its executive approves it and it is published; publishing writes the knowledge tables in
one transaction, as revisions with their reason and through the search change log; a new round
of edits on a published KM leaves the public version as it was until that round is published;
every step is recorded (who, when, comment) with an audit event; the reviewer sees the diff."""
import io
import re
from datetime import date, timedelta
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from accounts.models import AuditEvent, Membership, Unit
from knowledge.models import Item, KMReport, ReportField
from search.engine import search
from search.models import IndexChange
from workspace.forms import ThaiDateField
from workspace.models import APPROVED, DRAFT, PUBLISHED, RETURNED, SUBMITTED, Draft, DraftItem

from .helpers import CONTENT

pytestmark = pytest.mark.django_db

WORD = "ธนาคารขยะ"


@pytest.fixture
def team():
    unit = Unit.objects.create(code="pmj-ws-phrae", name="สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดแพร่",
                               short_name="พมจ.แพร่", province="แพร่")
    people = {}
    for name, role in (("editor", Membership.KM_EDITOR), ("reviewer", Membership.KM_REVIEWER)):
        user = get_user_model().objects.create_user(f"ws-phrae-{name}", first_name=f"คุณ{name}")
        Membership.objects.create(user=user, unit=unit, role=role)
        client = Client()
        client.force_login(user)
        people[name] = client
    return unit, people["editor"], people["reviewer"]


def create_km(editor, unit):
    response = editor.post("/workspace/new/", {
        "unit": unit.pk, "title": "ธนาคารขยะชุมชนกับงาน อพม. จังหวัดแพร่", "chapter": "การตั้งธนาคารขยะ",
        "f_team": "ทีม KM พมจ.แพร่", "f_topic": f"{WORD}ชุมชน", "f_objectives": "- ลดขยะ\n- เพิ่มรายได้",
    })
    assert response.status_code == 302, response.content.decode()[:500]
    draft = Draft.objects.get(unit=unit)
    chapter = draft.chapters.get()
    for order, (title, body) in enumerate([
        ("เริ่มตั้งธนาคารขยะ", f"อพม. ชวนชาวบ้านตั้ง{WORD}ที่ศาลาหมู่บ้าน\n\nรับซื้อขวดพลาสติกทุกวันเสาร์"),
        ("บัญชีสมาชิก", "สมาชิกฝากขยะแล้วบันทึกยอดในสมุดบัญชี"),
    ], start=1):
        response = editor.post(f"/workspace/{draft.pk}/items/new/", {"chapter": chapter.pk, "order": order,
                                                                     "title": title, "body": body})
        assert response.status_code == 302, response.content.decode()[:500]
    return draft


def public_sees(text):
    """Whether `text` shows on the public pages a visitor can reach, or in search."""
    anonymous = Client()
    pages = [anonymous.get(p).content.decode() for p in ("/", "/km/")]
    for report in KMReport.objects.all():
        pages.append(anonymous.get(report.get_absolute_url()).content.decode())
    in_search = any(text in (h.doc.title + h.doc.body) for h in search(WORD).hits)
    return in_search or any(text in html for html in pages)


def test_a_draft_is_public_only_once_approved_and_published(team):
    unit, editor, reviewer = team
    reports_before = KMReport.objects.count()
    draft = create_km(editor, unit)
    assert KMReport.objects.count() == reports_before  # nothing written to the public tables
    assert not public_sees("เริ่มตั้งธนาคารขยะ")

    assert editor.post(f"/workspace/{draft.pk}/submit/").status_code == 302
    assert reviewer.post(f"/workspace/{draft.pk}/review/",
                         {"decision": "return", "comment": "ขอเพิ่มวิธีคิดราคาขยะ"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == RETURNED
    page = editor.get(f"/workspace/{draft.pk}/").content.decode()
    assert "ผู้บริหารส่งกลับให้แก้ไข" in page and "ขอเพิ่มวิธีคิดราคาขยะ" in page

    item = DraftItem.objects.get(chapter__draft=draft, order=2)
    editor.post(f"/workspace/{draft.pk}/items/{item.pk}/", {
        "chapter": item.chapter_id, "order": 2, "title": "บัญชีสมาชิกและราคาขยะ",
        "body": "สมาชิกฝากขยะแล้วบันทึกยอดในสมุดบัญชี\n\nราคาขยะตามราคาร้านรับซื้อในอำเภอ"})
    editor.post(f"/workspace/{draft.pk}/submit/")
    assert not public_sees("เริ่มตั้งธนาคารขยะ")
    reviewer.post(f"/workspace/{draft.pk}/review/", {"decision": "approve"})
    draft.refresh_from_db()
    assert draft.status == APPROVED
    assert not public_sees("เริ่มตั้งธนาคารขยะ")

    changes_before = IndexChange.objects.count()
    response = reviewer.post(f"/workspace/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.status == PUBLISHED and response["Location"] == draft.report.get_absolute_url()
    report = draft.report
    assert report.unit == unit.name and report.slug == draft.slug and re.fullmatch(rf"{unit.code}-\d+", draft.slug)
    assert set(ReportField.objects.filter(report=report).values_list("key", flat=True)) == {
        "team", "topic", "objectives"}
    items = Item.objects.filter(chapter__report=report).order_by("order")
    assert [i.title for i in items] == ["เริ่มตั้งธนาคารขยะ", "บัญชีสมาชิกและราคาขยะ"]
    assert all(i.status == Item.PUBLISHED for i in items)
    # Revisions with their reason, and the search change log, as for any edit of the knowledge.
    assert items[0].history.get().history_change_reason == "เผยแพร่จากพื้นที่ทำงาน KM"
    assert IndexChange.objects.count() > changes_before

    assert public_sees("เริ่มตั้งธนาคารขยะ")
    assert any(h.doc.url == items[0].get_absolute_url() for h in search(WORD).hits)
    listing = Client().get("/km/").content.decode()
    assert unit.name in listing and report.title in listing
    assert report.title in Client().get("/").content.decode()
    assert "เริ่มตั้งธนาคารขยะ" in Client().get(report.get_absolute_url()).content.decode()

    steps = list(draft.transitions.values_list("to_status", "comment"))
    assert steps == [(SUBMITTED, ""), (RETURNED, "ขอเพิ่มวิธีคิดราคาขยะ"), (SUBMITTED, ""), (APPROVED, ""),
                     (PUBLISHED, "")]
    assert list(AuditEvent.objects.filter(unit=unit).order_by("at", "pk").values_list("action", flat=True)) == [
        "km.create", "km.submit", "km.return", "km.submit", "km.approve", "km.publish"]
    assert draft.history.count() >= 5  # each step is a revision of the draft


def test_a_new_round_leaves_the_public_version_until_it_is_published(team):
    unit, editor, reviewer = team
    draft = create_km(editor, unit)
    for step in ("submit", "approve", "publish"):
        if step == "approve":
            reviewer.post(f"/workspace/{draft.pk}/review/", {"decision": "approve"})
        else:
            (editor if step == "submit" else reviewer).post(f"/workspace/{draft.pk}/{step}/")
    draft.refresh_from_db()
    assert draft.status == PUBLISHED
    public_item = Item.objects.get(chapter__report=draft.report, order=1)

    first = DraftItem.objects.get(chapter__draft=draft, order=1)
    second = DraftItem.objects.get(chapter__draft=draft, order=2)
    editor.post(f"/workspace/{draft.pk}/items/{first.pk}/", {
        "chapter": first.chapter_id, "order": 1, "title": "เริ่มตั้งธนาคารขยะ",
        "body": f"อพม. ชวนชาวบ้านตั้ง{WORD}ที่วัดประจำหมู่บ้าน"})
    assert editor.post(f"/workspace/{draft.pk}/items/{second.pk}/delete/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == DRAFT and draft.transitions.last().to_status == DRAFT

    public_item.refresh_from_db()
    assert "ศาลาหมู่บ้าน" in public_item.body  # the public still reads the published version
    assert "วัดประจำหมู่บ้าน" not in Client().get(public_item.get_absolute_url()).content.decode()
    assert Item.objects.filter(chapter__report=draft.report).count() == 2

    editor.post(f"/workspace/{draft.pk}/submit/")
    review = reviewer.get(f"/workspace/{draft.pk}/review/").content.decode()
    assert "<del>อพม. ชวนชาวบ้านตั้งธนาคารขยะที่ศาลาหมู่บ้าน</del>" in review
    assert "<ins>อพม. ชวนชาวบ้านตั้งธนาคารขยะที่วัดประจำหมู่บ้าน</ins>" in review
    assert "ลบออก: บัญชีสมาชิก" in review

    reviewer.post(f"/workspace/{draft.pk}/review/", {"decision": "approve"})
    reviewer.post(f"/workspace/{draft.pk}/publish/")
    public_item.refresh_from_db()
    assert "วัดประจำหมู่บ้าน" in public_item.body
    assert public_item.history.count() == 2  # one revision per publication
    assert list(Item.objects.filter(chapter__report=draft.report).values_list("title", flat=True)) == [
        "เริ่มตั้งธนาคารขยะ"]


def test_the_preview_renders_as_the_public_page_does(team):
    _, editor, _ = team
    html = editor.post("/workspace/preview/", {"body": "**อพม.** ต้อง<script>alert(1)</script>\n\n- ข้อหนึ่ง"})
    text = html.content.decode()
    assert "<strong>" in text and "ข้อหนึ่ง</li>" in text and "<script>" not in text
    assert 'class="abbr"' in text  # the glossary link the public page shows


def test_the_preview_button_works_without_javascript_and_saves_nothing(team):
    unit, editor, _ = team
    draft = create_km(editor, unit)
    item = DraftItem.objects.get(chapter__draft=draft, order=1)
    response = editor.post(f"/workspace/{draft.pk}/items/{item.pk}/", {
        "chapter": item.chapter_id, "order": 1, "title": item.title, "body": "## หัวข้อใหม่\n\nย่อหน้า",
        "preview": "1"})
    assert response.status_code == 200
    assert "<h2>หัวข้อใหม่</h2>" in response.content.decode()
    item.refresh_from_db()
    assert "หัวข้อใหม่" not in item.body


def test_items_past_their_review_date_are_listed_on_the_workspace_home(team):
    unit, editor, _ = team
    draft = create_km(editor, unit)
    item = DraftItem.objects.get(chapter__draft=draft, order=1)
    yesterday = date.today() - timedelta(days=2)
    response = editor.post(f"/workspace/{draft.pk}/items/{item.pk}/", {
        "chapter": item.chapter_id, "order": 1, "title": item.title, "body": item.body,
        "review_by": f"{yesterday.day}/{yesterday.month}/{yesterday.year + 543}"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.review_by == yesterday
    home = editor.get("/workspace/").content.decode()
    assert "เลยกำหนดทบทวน" in home and item.title in home
    assert "พ.ศ. ๒๕" in home  # dates in the Buddhist Era, Thai digits


@pytest.mark.parametrize(("typed", "expected"), [
    ("31/3/2570", date(2027, 3, 31)), ("๓๑/๓/๒๕๗๐", date(2027, 3, 31)), ("1-12-2026", date(2026, 12, 1)),
    ("", None),
])
def test_review_dates_are_typed_in_the_buddhist_era(typed, expected):
    assert ThaiDateField(required=False).clean(typed) == expected


@pytest.mark.parametrize("typed", ["31/2/2570", "พรุ่งนี้", "2570-03-31"])
def test_a_wrong_review_date_gets_a_thai_message(typed):
    with pytest.raises(Exception, match="วัน/เดือน/ปี พ.ศ."):
        ThaiDateField(required=False).clean(typed)


def test_a_km_without_items_cannot_be_submitted(team):
    unit, editor, _ = team
    editor.post("/workspace/new/", {"unit": unit.pk, "title": "KM ที่ยังว่าง", "chapter": "หมวดหนึ่ง"})
    draft = Draft.objects.get(title="KM ที่ยังว่าง")
    response = editor.post(f"/workspace/{draft.pk}/submit/", follow=True)
    assert "ต้องมีเรื่องความรู้อย่างน้อยหนึ่งเรื่อง" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == DRAFT


def test_reordering_keeps_each_published_items_page_and_history(team):
    unit, editor, reviewer = team
    draft = create_km(editor, unit)

    def publish_round():
        editor.post(f"/workspace/{draft.pk}/submit/")
        reviewer.post(f"/workspace/{draft.pk}/review/", {"decision": "approve"})
        reviewer.post(f"/workspace/{draft.pk}/publish/")
        draft.refresh_from_db()
        assert draft.status == PUBLISHED

    publish_round()
    first = Item.objects.get(chapter__report=draft.report, title="เริ่มตั้งธนาคารขยะ")
    url = first.get_absolute_url()
    a = DraftItem.objects.get(chapter__draft=draft, order=1)
    b = DraftItem.objects.get(chapter__draft=draft, order=2)
    # Swap the two: the second moves out of the way first, as an editor would.
    for item, order in ((b, 3), (a, 2), (b, 1)):
        response = editor.post(f"/workspace/{draft.pk}/items/{item.pk}/", {
            "chapter": item.chapter_id, "order": order, "title": item.title, "body": item.body})
        assert response.status_code == 302, response.content.decode()[:300]
    publish_round()
    first.refresh_from_db()
    assert first.order == 2 and first.get_absolute_url() == url and first.history.count() == 2
    assert Client().get(url).status_code == 200

    # A new item never takes over the page of one that was removed.
    editor.post(f"/workspace/{draft.pk}/items/{b.pk}/delete/")
    editor.post(f"/workspace/{draft.pk}/items/new/", {"chapter": a.chapter_id, "order": 3, "title": "เรื่องใหม่",
                                                      "body": "เนื้อหาใหม่"})
    new = DraftItem.objects.get(chapter__draft=draft, title="เรื่องใหม่")
    assert new.slug not in {a.slug, b.slug}


def test_loading_the_content_files_keeps_what_the_workspace_published(team):
    unit, editor, reviewer = team
    draft = create_km(editor, unit)
    editor.post(f"/workspace/{draft.pk}/submit/")
    reviewer.post(f"/workspace/{draft.pk}/review/", {"decision": "approve"})
    reviewer.post(f"/workspace/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.report.in_workspace

    out = io.StringIO()
    call_command("loadkm", str(CONTENT), stdout=out)  # as `make run` does at every start
    assert "คงไว้ตามเดิม: รายงาน 1 เรื่องที่ดูแลในพื้นที่ทำงาน KM" in out.getvalue()
    assert KMReport.objects.filter(pk=draft.report_id).exists()
    assert Item.objects.filter(chapter__report_id=draft.report_id).count() == 2
    assert KMReport.objects.filter(slug="regulation-2564").exists()


def test_search_covers_every_km_and_can_keep_to_one(team):
    unit, editor, reviewer = team
    plain = Client().get("/search/", {"q": WORD}).content.decode()
    assert 'name="km"' not in plain  # one KM only: nothing to choose
    draft = create_km(editor, unit)
    editor.post(f"/workspace/{draft.pk}/submit/")
    reviewer.post(f"/workspace/{draft.pk}/review/", {"decision": "approve"})
    reviewer.post(f"/workspace/{draft.pk}/publish/")
    draft.refresh_from_db()
    new_km = draft.report.get_absolute_url()

    def result_links(**params):
        html = Client().get("/search/", params).content.decode()
        return html, {unquote(u) for u in re.findall(r'to=([^"&]+)', html)}

    html, links = result_links(q="ชาวบ้าน")  # in both KMs
    assert 'name="km"' in html and f'value="{draft.report.slug}"' in html
    assert any(u.startswith(new_km) for u in links) and any(u.startswith("/km/regulation-2564/") for u in links)
    html, links = result_links(q="ชาวบ้าน", km=draft.report.slug)
    assert links and all(u.startswith(new_km) for u in links)
    assert f'<option value="{draft.report.slug}" selected>' in html
    html, links = result_links(q="ชาวบ้าน", km="regulation-2564")
    assert links and not any(u.startswith(new_km) for u in links)


def test_a_published_kms_pages_lead_back_to_it(team):
    unit, editor, reviewer = team
    draft = create_km(editor, unit)
    editor.post(f"/workspace/{draft.pk}/submit/")
    reviewer.post(f"/workspace/{draft.pk}/review/", {"decision": "approve"})
    reviewer.post(f"/workspace/{draft.pk}/publish/")
    draft.refresh_from_db()
    item = Item.objects.filter(chapter__report=draft.report).first()
    crumb = f'<a href="{draft.report.get_absolute_url()}">{draft.report.title}</a>'
    assert crumb in Client().get(item.get_absolute_url()).content.decode()
    assert crumb in Client().get(item.chapter.get_absolute_url()).content.decode()
    seed_item = Item.objects.filter(chapter__report__slug="regulation-2564").first()
    assert "/km/regulation-2564/\"" not in Client().get(seed_item.get_absolute_url()).content.decode()
