"""Keeping participants' personal data only as long as PARTICIPANT_RETENTION_DAYS: after
that many days from joining, a participant's name, phone number and ID hash are erased
(privacy/erasure.py) and the anonymous scores stay in every report. 0 keeps them."""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import audit
from assessments.models import Participant

from .erasure import erase, not_yet_erased


def retention_days() -> int:
    return int(getattr(settings, "PARTICIPANT_RETENTION_DAYS", 0) or 0)


def expired(now=None):
    """The participants whose personal data is past the retention period (none when it is 0)."""
    days = retention_days()
    if days <= 0:
        return Participant.objects.none()
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return not_yet_erased(Participant.objects.filter(joined_at__lt=cutoff))


def purge_expired(now=None) -> int:
    """Erase every expired participant; the count is recorded in the audit log."""
    count = erase(expired(now))
    if count:
        audit("privacy.retention", message=f"ลบข้อมูลส่วนบุคคลของผู้เข้าอบรม {count:,} คนที่เก็บไว้ครบ "
                                           f"{retention_days():,} วันแล้ว (คะแนนยังอยู่ในรายงานโดยไม่ระบุตัวตน)",
              count=count, days=retention_days())
    return count
