"""Reminders to review: once a day a task (on the queue, like the retention run) writes to
each unit's KM team about the items past their review date ("ทบทวนภายใน"), an item at most
once a week until it is reviewed (its date moved on). Each reminder is an audit event."""
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, audit
from volunteerkm.thai import thai_date, thai_digits

from .models import DraftItem

AGAIN_AFTER = timedelta(days=7)


def due_items(now=None):
    now = now or timezone.now()
    today = timezone.localdate(now)
    items = (DraftItem.objects.filter(review_by__lt=today).select_related("chapter__draft__unit")
             .order_by("review_by"))
    return [i for i in items if i.reminded_at is None or i.reminded_at <= now - AGAIN_AFTER]


def message(unit, items):
    lines = [f"เรียน ทีม KM {unit.name}", "",
             f"เรื่องความรู้ {thai_digits(len(items))} เรื่องเลยกำหนดทบทวนแล้ว:"]
    for item in items:
        lines.append(f"- {item.title} (KM: {item.chapter.draft.title}) ทบทวนภายใน {thai_date(item.review_by)}")
    lines += ["", "เปิดพื้นที่ทำงาน KM เพื่อทบทวน แก้ไข แล้วเสนอผู้บริหาร หรือเลื่อนวันทบทวน:",
              f"{settings.SITE_URL}{reverse('workspace:home')}", "", "คลังความรู้ อพม."]
    return "\n".join(lines)


def send_reminders(now=None) -> int:
    """E-mail every unit's KM editors about their items due for review; the number of e-mails sent."""
    now = now or timezone.now()
    by_unit = defaultdict(list)
    for item in due_items(now):
        by_unit[item.chapter.draft.unit].append(item)
    sent = 0
    for unit, items in by_unit.items():
        editors = Membership.objects.filter(unit=unit, role=Membership.KM_EDITOR).select_related("user")
        emails = sorted({m.user.email for m in editors if m.user.email and m.user.is_active})
        if not emails:
            audit("km.remind", unit=unit, message="ไม่มีอีเมลของทีม KM", items=[i.pk for i in items], sent=False)
            continue
        send_mail(f"เรื่องความรู้ที่ต้องทบทวน {thai_digits(len(items))} เรื่อง ({unit})", message(unit, items),
                  None, emails)
        DraftItem.objects.filter(pk__in=[i.pk for i in items]).update(reminded_at=now)
        audit("km.remind", unit=unit, message=f"ส่งถึง {len(emails)} คน", items=[i.pk for i in items], sent=True)
        sent += 1
    return sent
