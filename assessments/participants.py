"""Joining a session, and the trainer's fixes to who is who (merging and moving attempts)."""
import re
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import audit
from search.thai import normalize

from .grading import one, write_turn
from .models import Attempt, Participant


def new_device_token() -> str:
    return secrets.token_urlsafe(18)


def same_name(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", normalize(a)) == re.sub(r"\s+", "", normalize(b))


def join(session, *, name, device, phone="", national_id=""):
    """The participant for this person on this device in this session, created on first
    join (after consent). The same device and name find the same participant again, so
    the pre-test and post-test pair up; another name on a shared phone is another person."""
    device = device or new_device_token()
    id_hash = Participant.hash_national_id(national_id) if national_id else ""
    candidates = list(session.participants.filter(device__startswith=device, merged_into=None).order_by())
    for p in candidates:
        if p.device.split("~")[0] == device and same_name(p.name, name):
            return p, False
    if id_hash:
        # The same ID number in the same session is the same person, whatever the phone.
        p = one(session.participants.filter(national_id_hash=id_hash, merged_into=None))
        if p is not None:
            return p, False
    taken = len(candidates)
    for n in range(taken, taken + 5):
        try:
            with write_turn(), transaction.atomic():
                return Participant.objects.create(
                    session=session, name=name, device=device if n == 0 else f"{device}~{n}", phone=phone,
                    national_id_hash=id_hash, national_id_last4=national_id[-4:] if national_id else "",
                    consent_at=timezone.now(),
                ), True
        except IntegrityError:
            continue
    raise IntegrityError("could not allocate a device slot")


@transaction.atomic
def merge(keep: Participant, other: Participant, actor=None):
    """Move every attempt of `other` to `keep` and mark `other` as merged into it."""
    moved = list(other.attempts.values_list("pk", flat=True))
    other.attempts.update(participant=keep)
    other.merged_into = keep
    other.save(update_fields=["merged_into"])
    audit("session.merge", actor=actor, unit=keep.session.unit, target=keep.session,
          message=f"รวมผู้เข้าอบรม '{other.name}' เข้ากับ '{keep.name}'", keep=keep.pk, merged=other.pk, attempts=moved)


@transaction.atomic
def move_attempt(attempt: Attempt, to: Participant, actor=None):
    """Fix a pair: give one attempt to another participant of the same session."""
    before = attempt.participant_id
    attempt.participant = to
    attempt.save(update_fields=["participant"])
    audit("session.move_attempt", actor=actor, unit=to.session.unit, target=to.session,
          message=f"ย้ายผลแบบทดสอบ ({attempt.get_kind_display()}) ไปเป็นของ '{to.name}'",
          attempt=attempt.pk, from_participant=before, to_participant=to.pk)
