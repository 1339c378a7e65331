"""The home page names the items edited in the last 30 days, and only those: the first
load of the content is not an edit, and an edit older than 30 days has dropped off."""
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from knowledge.models import Item

pytestmark = pytest.mark.django_db


def notice(client):
    html = client.get("/").content.decode()
    section = re.search(r'<section class="updated".*?</section>', html, re.S)
    return section.group(0) if section else ""


def test_no_notice_for_content_as_first_loaded(client):
    assert notice(client) == ""


def test_an_edited_item_is_named_with_its_date(client):
    item = Item.objects.published().get(slug="dress")
    item.body += "\n\nเพิ่มรายละเอียดเรื่องการแต่งกาย"
    item.save()
    section = notice(client)
    assert "ปรับปรุงใหม่ใน ๓๐ วันที่ผ่านมา" in section
    assert f'<a href="{item.get_absolute_url()}">{item.title}</a>' in section
    assert "ปรับปรุงเมื่อ" in section and "พ.ศ." in section
    assert Item.objects.published().get(slug="application").title not in section


def test_an_edit_older_than_thirty_days_is_not_named(client):
    item = Item.objects.published().get(slug="termination")
    item.title = "การพ้นสภาพความเป็น อพม. (แก้ไข)"
    item.save()
    item.history.filter(history_type="~").update(history_date=timezone.now() - timedelta(days=31))
    assert item.title not in notice(client)


def test_drafts_are_not_named_to_the_public(client):
    item = Item.objects.published().get(slug="honours")
    item.status = Item.DRAFT
    item.save()
    assert item.title not in notice(client)
