"""The admin, kept for superusers, speaks Thai where Django's own Thai catalogue is silent and
on django-simple-history's history pages (the project's locale/th catalogue)."""
import pytest

from knowledge.models import Item

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
