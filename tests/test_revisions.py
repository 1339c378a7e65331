"""Every edit in the admin is a revision (who, when, what) that an editor can restore."""
import pytest

from knowledge.models import Item

pytestmark = pytest.mark.django_db


def admin_form_data(item, **changes):
    data = {
        "chapter": item.chapter_id, "slug": item.slug, "title": item.title, "order": item.order,
        "source": item.source, "status": item.status, "review": item.review, "body": item.body,
    }
    data.update(changes)
    return data


def test_admin_edit_is_recorded_and_can_be_restored(client, editor):
    item = Item.objects.get(slug="qualifications")
    original_body = item.body
    url = f"/admin/knowledge/item/{item.pk}/change/"
    response = client.post(url, admin_form_data(item, body=original_body + "\n\nแก้ไขทดลอง"))
    assert response.status_code == 302, response.content.decode()[:2000]

    item.refresh_from_db()
    assert item.body.endswith("แก้ไขทดลอง")
    latest = item.history.first()
    assert latest.history_user == editor and latest.history_type == "~"

    history_page = client.get(f"/admin/knowledge/item/{item.pk}/history/")
    assert history_page.status_code == 200 and "editor" in history_page.content.decode()

    # Restore the revision before the edit (simple-history's revert form).
    previous = item.history.all()[1]
    revert_url = f"/admin/knowledge/item/{item.pk}/history/{previous.history_id}/"
    assert client.get(revert_url).status_code == 200
    response = client.post(revert_url, admin_form_data(previous.instance))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.body == original_body
    assert item.history.count() >= 3


def test_review_flags_are_listed_for_editors(client, editor):
    page = client.get("/admin/knowledge/item/?review=yes").content.decode()
    flagged = Item.objects.exclude(review="")
    assert flagged.exists(), "เนื้อหาต้นฉบับมีข้อความที่ต้องตรวจสอบ ควรมีเรื่องที่ติดธงไว้"
    for item in flagged:
        assert item.title in page


def test_admin_speaks_thai(client, editor):
    page = client.get("/admin/").content.decode()
    assert "จัดการเนื้อหา" in page and "เรื่องความรู้" in page
