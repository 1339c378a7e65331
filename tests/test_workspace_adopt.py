"""The seed KM (loaded from the content files) brought into the workspace: its unit's team
edits an item in a round its executive approves; publishing changes only that item (same
address, one more revision) and keeps what the workspace does not edit (the fields' headings,
items' questions and sources); loadkm then leaves the report alone."""
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import Membership, Unit
from knowledge.models import Item, KMReport, ReportField
from workspace.models import PUBLISHED, Draft, DraftItem

from .helpers import CONTENT

pytestmark = pytest.mark.django_db


@pytest.fixture
def division():
    unit = Unit.objects.create(code="dvcs", name="กองกิจการอาสาสมัครและภาคประชาสังคม", kind=Unit.NATIONAL)
    clients = {}
    for role in (Membership.KM_EDITOR, Membership.KM_REVIEWER):
        user = get_user_model().objects.create_user(f"dvcs-{role}")
        Membership.objects.create(user=user, unit=unit, role=role)
        clients[role] = Client()
        clients[role].force_login(user)
    return unit, clients[Membership.KM_EDITOR], clients[Membership.KM_REVIEWER]


def adopt_seed():
    out = io.StringIO()
    call_command("adoptkm", "regulation-2564", "dvcs", stdout=out)
    assert "เข้าพื้นที่ทำงาน KM ของ กองกิจการอาสาสมัครและภาคประชาสังคม แล้ว" in out.getvalue()
    return Draft.objects.get(report__slug="regulation-2564")


def test_the_seed_km_is_edited_in_rounds_and_keeps_its_addresses(division):
    unit, editor, reviewer = division
    seed = KMReport.objects.get(slug="regulation-2564")
    items_before = {i.pk: (i.get_absolute_url(), i.history.count(), i.asked_questions, i.source)
                    for i in Item.objects.filter(chapter__report=seed)}
    headings = dict(ReportField.objects.filter(report=seed).values_list("key", "title"))
    draft = adopt_seed()
    assert draft.status == PUBLISHED and draft.items().count() == len(items_before)

    dress = DraftItem.objects.get(chapter__draft=draft, slug="dress")
    response = editor.post(f"/workspace/{draft.pk}/items/{dress.pk}/", {
        "chapter": dress.chapter_id, "order": dress.order, "title": dress.title,
        "body": dress.body + "\n\nแก้ไขรอบใหม่: แต่งกายให้สุภาพเมื่อออกพื้นที่"})
    assert response.status_code == 302
    public = Item.objects.get(chapter__report=seed, slug="dress")
    assert "แก้ไขรอบใหม่" not in Client().get(public.get_absolute_url()).content.decode()

    editor.post(f"/workspace/{draft.pk}/submit/")
    review = reviewer.get(f"/workspace/{draft.pk}/review/").content.decode()
    assert "<ins>แก้ไขรอบใหม่: แต่งกายให้สุภาพเมื่อออกพื้นที่</ins>" in review
    reviewer.post(f"/workspace/{draft.pk}/review/", {"decision": "approve"})
    reviewer.post(f"/workspace/{draft.pk}/publish/")

    assert "แก้ไขรอบใหม่" in Client().get(public.get_absolute_url()).content.decode()
    for item in Item.objects.filter(chapter__report=seed):
        url, revisions, questions, source = items_before[item.pk]
        assert item.get_absolute_url() == url and item.asked_questions == questions and item.source == source
        assert item.history.count() == revisions + (item.slug == "dress")
    assert dict(ReportField.objects.filter(report=seed).values_list("key", "title")) == headings

    out = io.StringIO()
    call_command("loadkm", str(CONTENT), stdout=out)
    assert "แก้ไขรอบใหม่" in Item.objects.get(pk=public.pk).body


def test_adopting_twice_or_an_unknown_report_says_why(division):
    adopt_seed()
    with pytest.raises(CommandError, match="อยู่ในพื้นที่ทำงาน KM แล้ว"):
        call_command("adoptkm", "regulation-2564", "dvcs")
    with pytest.raises(CommandError, match="ไม่พบรายงาน KM"):
        call_command("adoptkm", "no-such-km", "dvcs")
    with pytest.raises(CommandError, match="ไม่พบหน่วยงาน"):
        call_command("adoptkm", "regulation-2564", "no-such-unit")


def test_what_readers_said_about_an_item_is_its_review_queue(division):
    from search.models import QueryResolution, SearchClick, SearchFeedback, SearchQuery

    unit, editor, _ = division
    public = Item.objects.get(chapter__report__slug="regulation-2564", slug="dress")
    other = Item.objects.filter(chapter__report__slug="regulation-2564").exclude(pk=public.pk).first()
    asked = SearchQuery.objects.create(q="ใส่ชุดอะไรไปงานศพ", normalized="ใส่ชุดอะไรไปงานศพ", result_count=3)
    SearchClick.objects.create(query=asked, url=public.get_absolute_url() + "#p2", rank=1)
    SearchFeedback.objects.create(query=asked, helpful=False, comment="ไม่บอกว่างานศพต้องใส่สีอะไร")
    elsewhere = SearchQuery.objects.create(q="เบี้ยเลี้ยง", normalized="เบี้ยเลี้ยง", result_count=2)
    SearchClick.objects.create(query=elsewhere, url=other.get_absolute_url(), rank=1)
    SearchFeedback.objects.create(query=elsewhere, helpful=False, comment="ความเห็นของเรื่องอื่น")
    QueryResolution.objects.create(normalized="ชุดปกติขาวใส่เมื่อไร", action=QueryResolution.ATTACHED, item=public)

    draft = adopt_seed()
    dress = DraftItem.objects.get(chapter__draft=draft, slug="dress")
    page = editor.get(f"/workspace/{draft.pk}/items/{dress.pk}/").content.decode()
    assert "เสียงจากผู้อ่านเรื่องนี้" in page
    assert "ไม่บอกว่างานศพต้องใส่สีอะไร" in page and "ใส่ชุดอะไรไปงานศพ" in page
    assert "ชุดปกติขาวใส่เมื่อไร" in page
    assert "ความเห็นของเรื่องอื่น" not in page
    km_page = editor.get(f"/workspace/{draft.pk}/").content.decode()
    assert km_page.count("เสียงจากผู้อ่าน") == 2  # the two items readers spoke of, and no other
