"""Reminders to review: the daily task on the queue e-mails each unit's KM editors (in Thai,
dates in พ.ศ.) about their items past "ทบทวนภายใน", an item at most once a week until its date
is moved, never another unit's team; each reminder is an audit event."""
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from accounts.models import AuditEvent, Membership, Unit
from workspace import tasks
from workspace.models import Draft, DraftChapter, DraftItem
from workspace.reminders import send_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    made = {}
    for code, name in (("ws-lampang", "พมจ.ลำปาง"), ("ws-phayao", "พมจ.พะเยา")):
        unit = Unit.objects.create(code=code, name=name)
        editor = get_user_model().objects.create_user(f"{code}-editor", email=f"{code}@example.go.th")
        Membership.objects.create(user=editor, unit=unit, role=Membership.KM_EDITOR)
        reviewer = get_user_model().objects.create_user(f"{code}-reviewer", email=f"{code}-boss@example.go.th")
        Membership.objects.create(user=reviewer, unit=unit, role=Membership.KM_REVIEWER)
        draft = Draft.objects.create(unit=unit, title=f"KM ของ {name}")
        chapter = DraftChapter.objects.create(draft=draft, number=1, title="หมวดหนึ่ง")
        made[code] = {"unit": unit, "editor": editor, "chapter": chapter}
    return made


def item(chapter, order, title, review_by):
    return DraftItem.objects.create(chapter=chapter, order=order, title=title, body="เนื้อหา", review_by=review_by)


def test_each_units_team_is_reminded_of_its_own_overdue_items_once_a_week(units):
    today = timezone.localdate()
    lampang = units["ws-lampang"]
    overdue = item(lampang["chapter"], 1, "การรับสมัคร อพม.", date(2025, 1, 1))
    item(lampang["chapter"], 2, "เรื่องที่ยังไม่ถึงกำหนด", today + timedelta(days=30))
    item(units["ws-phayao"]["chapter"], 1, "เรื่องของพะเยา", today + timedelta(days=30))

    assert send_reminders() == 1
    [sent] = mail.outbox
    assert sent.to == ["ws-lampang@example.go.th"]  # the KM team, not the executive; not Phayao
    assert "การรับสมัคร อพม." in sent.body and "๑ มกราคม พ.ศ. ๒๕๖๘" in sent.body
    assert "เรื่องที่ยังไม่ถึงกำหนด" not in sent.body and "เรื่องของพะเยา" not in sent.body
    assert "ต้องทบทวน ๑ เรื่อง" in sent.subject
    assert AuditEvent.objects.get(action="km.remind").unit == lampang["unit"]

    assert send_reminders() == 0  # the same day again: nothing
    assert send_reminders(timezone.now() + timedelta(days=8)) == 1  # a week on, still not reviewed
    assert len(mail.outbox) == 2

    # The team moves the date on: no reminder until it passes again.
    client = Client()
    client.force_login(lampang["editor"])
    later = today + timedelta(days=90)
    response = client.post(f"/workspace/{lampang['chapter'].draft_id}/items/{overdue.pk}/", {
        "chapter": lampang["chapter"].pk, "order": 1, "title": overdue.title, "body": overdue.body,
        "review_by": f"{later.day}/{later.month}/{later.year + 543}"})
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert overdue.reminded_at is None
    assert send_reminders(timezone.now() + timedelta(days=10)) == 0


def test_a_team_without_e_mail_is_recorded_not_mailed(units):
    lampang = units["ws-lampang"]
    lampang["editor"].email = ""
    lampang["editor"].save()
    item(lampang["chapter"], 1, "การรับสมัคร อพม.", date(2025, 1, 1))
    assert send_reminders() == 0 and mail.outbox == []
    event = AuditEvent.objects.get(action="km.remind")
    assert event.data["sent"] is False and "ไม่มีอีเมล" in event.message


def test_the_daily_task_reminds_and_queues_its_next_run(units):
    item(units["ws-lampang"]["chapter"], 1, "การรับสมัคร อพม.", date(2025, 1, 1))
    assert tasks.schedule() is True
    assert tasks.schedule() is False  # already queued: `make run` may run it at every start
    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="test-worker", excluded_queue_names=[])
    for result in DBTaskResult.objects.ready().filter(task_path="workspace.tasks.daily_review_reminders"):
        result.claim("test-worker")
        worker.run_task(result)
    assert DBTaskResult.objects.get(status="SUCCESSFUL").return_value == 1
    assert len(mail.outbox) == 1
    following = DBTaskResult.objects.get(status="READY")
    assert timedelta(hours=23) < following.run_after - timezone.now() <= timedelta(days=1)
