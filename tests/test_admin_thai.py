"""The admin, kept for superusers, speaks Thai where Django's own Thai catalogue is silent and
on django-simple-history's history pages (the project's locale/th catalogue)."""
import re
from datetime import UTC, datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from accounts.models import AuditEvent, Unit, audit
from knowledge.models import Item
from outreach.models import LineSubscriber

pytestmark = pytest.mark.django_db

ENGLISH = ["Changed by", "Change reason", "Date/time", "was changed successfully", "Revert", "None available",
           "Object"]


def test_an_items_history_and_the_saved_message_are_in_thai(editor_client):
    item = Item.objects.get(slug="dress")
    history = editor_client.get(f"/admin/knowledge/item/{item.pk}/history/").content.decode()
    assert "ประวัติการแก้ไข" in history and "แก้ไขโดย" in history and "เหตุผลที่แก้ไข" in history
    assert not [word for word in ENGLISH if word in history]
    assert "พ.ศ. ๒๕" in history  # revision dates in the Buddhist Era

    form = editor_client.get(f"/admin/knowledge/item/{item.pk}/change/")
    data = {k: v for k, v in form.context["adminform"].form.initial.items() if v is not None}
    data.update(chapter=item.chapter_id, asked_questions="\n".join(item.asked_questions), _save="1")
    response = editor_client.post(f"/admin/knowledge/item/{item.pk}/change/", data, follow=True)
    page = response.content.decode()
    assert "บันทึกการแก้ไขเรื่องความรู้ “" in page and f"{item.title}</a>” เรียบร้อยแล้ว" in page
    assert "was changed successfully" not in page


def shown(html):
    """The page's text as a person reads it (no tags, no addresses)."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# 30 November 2026, 14:05 in Bangkok: พ.ศ. ๒๕๖๙ on every admin page, never 2026.
WHEN = datetime(2026, 11, 30, 7, 5, tzinfo=UTC)
THAI_WHEN = "๓๐ พฤศจิกายน พ.ศ. ๒๕๖๙ ๑๔:๐๕ น."


def test_change_lists_and_read_only_fields_show_buddhist_era_dates(editor_client):
    event = audit("km.submit", message="เสนอผู้บริหาร")
    AuditEvent.objects.filter(pk=event.pk).update(at=WHEN)

    listing = editor_client.get("/admin/accounts/auditevent/").content.decode()
    assert THAI_WHEN in listing and "2026" not in listing

    detail = editor_client.get(f"/admin/accounts/auditevent/{event.pk}/change/").content.decode()
    assert THAI_WHEN in detail and "2026" not in detail


def test_a_change_lists_date_drill_down_is_in_the_buddhist_era(editor_client):
    follower = LineSubscriber.objects.create(user_id="U" + "a" * 32)
    LineSubscriber.objects.filter(pk=follower.pk).update(subscribed_at=WHEN)
    url = "/admin/outreach/linesubscriber/"
    listing = shown(editor_client.get(url).content.decode())
    assert THAI_WHEN in listing and "2026" not in listing
    assert "๒๕๖๙" in listing.split(THAI_WHEN)[0]  # the year to drill into, before the rows
    months = shown(editor_client.get(url, {"subscribed_at__year": 2026}).content.decode())
    assert "พฤศจิกายน ๒๕๖๙" in months and "2026" not in months
    days = shown(editor_client.get(url, {"subscribed_at__year": 2026, "subscribed_at__month": 11}).content.decode())
    assert "‹ ๒๕๖๙ 30 พฤศจิกายน" in days.replace("&lsaquo;", "‹") and "2026" not in days


def test_the_admins_own_change_history_shows_buddhist_era_dates(editor_client):
    unit = Unit.objects.create(code="hist-unit", name="พมจ.ทดสอบประวัติ", province="น่าน")
    user = get_user_model().objects.get(username="editor")
    LogEntry.objects.create(user=user, content_type=ContentType.objects.get_for_model(Unit), object_id=str(unit.pk),
                            object_repr=str(unit), action_flag=CHANGE, change_message="แก้ไขชื่อหน่วยงาน",
                            action_time=WHEN)
    history = editor_client.get(f"/admin/accounts/unit/{unit.pk}/history/").content.decode()
    assert THAI_WHEN in history and "2026" not in history
    assert "วันเวลา" in history and "ผู้ใช้" in history


def test_revision_history_dates_are_in_the_buddhist_era(editor_client):
    item = Item.objects.get(slug="dress")
    item.history.filter(pk=item.history.latest().pk).update(history_date=WHEN)
    history = editor_client.get(f"/admin/knowledge/item/{item.pk}/history/").content.decode()
    assert "๓๐ พฤศจิกายน พ.ศ. ๒๕๖๙ ๑๔:๐๕ น." in history and "2026" not in history


def test_every_admin_page_is_drawn_in_sarabun_and_names_installed_apps_in_thai(admin_client):
    index = admin_client.get("/admin/").content.decode()
    # Sarabun, as the site: Thai marks sit right without Thai system fonts.
    assert re.search(r"/static/css/admin\.[0-9a-f]+\.css", index)
    text = shown(index)
    assert "การป้องกันการเดารหัสผ่าน" in text and "งานเบื้องหลัง" in text
    assert not [word for word in ("Axes", "Access attempts", "Access logs", "Tasks Database Backend", "Task Results")
                if word in text]


def test_a_revision_lists_extra_columns_are_named_and_valued_in_thai(admin_client):
    item = Item.objects.get(slug="dress")
    text = shown(admin_client.get(f"/admin/knowledge/item/{item.pk}/history/").content.decode())
    assert "สถานะ" in text and "ชื่อเรื่อง" in text and "เผยแพร่แล้ว" in text
    assert "published" not in text and "status" not in text.lower()


def test_the_admins_selection_counter_is_in_thai(admin_client):
    from django.utils import translation

    with translation.override("th"):
        catalog = admin_client.get("/admin/jsi18n/").content.decode()
    assert "\\u0e40\\u0e25\\u0e37\\u0e2d\\u0e01\\u0e41\\u0e25\\u0e49\\u0e27" in catalog or "เลือกแล้ว" in catalog
