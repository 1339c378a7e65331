"""Removing what identifies a participant while their scores stay.

A participant row keeps the attempts, answers and sub-scores that reports count; only
the name, phone number, national-ID hash and last four digits and the device token (which
links the row to a phone) are replaced. Every report, chart and average is the same
afterwards, only nobody can tell whose results they were. Names quoted in the audit log's
merge and move records of the same sessions are replaced too.
"""
from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from accounts.models import AuditEvent
from assessments.models import Participant

ERASED_NAME = "ผู้เข้าอบรม (ลบข้อมูลส่วนบุคคลแล้ว)"


def not_yet_erased(queryset):
    return queryset.filter(~Q(name=ERASED_NAME) | ~Q(phone="") | ~Q(national_id_hash="") | ~Q(national_id_last4=""))


@transaction.atomic
def erase(participants) -> int:
    """Erase the personal data of these participants; returns how many rows changed."""
    people = list(not_yet_erased(participants).select_for_update().only("pk", "name", "session_id"))
    if not people:
        return 0
    names_by_session = {}
    for p in people:
        names_by_session.setdefault(p.session_id, set()).add(p.name)
        # The device slot must stay unique in its session; the new token leads to no phone.
        Participant.objects.filter(pk=p.pk).update(name=ERASED_NAME, phone="", national_id_hash="",
                                                   national_id_last4="", device=f"erased-{p.pk}")
    _scrub_audit_log(names_by_session)
    return len(people)


def _scrub_audit_log(names_by_session):
    targets = {f"assessments.TrainingSession:{pk}": names for pk, names in names_by_session.items()}
    events = AuditEvent.objects.filter(target__in=targets, action__in=["session.merge", "session.move_attempt"])
    for event in events:
        message = event.message
        for name in targets[event.target]:
            message = message.replace(f"'{name}'", f"'{ERASED_NAME}'")
        if message != event.message:
            AuditEvent.objects.filter(pk=event.pk).update(message=message)
