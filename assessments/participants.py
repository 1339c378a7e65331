"""Joining a session, and the trainer's fixes to who is who (merging and moving attempts)."""
import re
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import audit
from volunteerkm.thai import normalize

from . import grading
from .grading import one
from .models import Attempt, Participant

# A phone keeps who its person is in a signed cookie per session, for a month.
COOKIE_AGE = 60 * 60 * 24 * 30


def _cookie_name(session):
    return f"vkm_p_{session.code}"


def current_participant(request, session):
    """The participant this phone joined `session` as (following merges), or None."""
    token = request.get_signed_cookie(_cookie_name(session), default="", salt=grading.PARTICIPANT_SALT)
    return grading.participant_from_token(token, session) if token else None


def remember_participant(response, session, participant):
    response.set_signed_cookie(_cookie_name(session), grading.participant_token(participant),
                               salt=grading.PARTICIPANT_SALT, max_age=COOKIE_AGE, httponly=True, samesite="Lax",
                               secure=settings.SESSION_COOKIE_SECURE)
    return response


def new_device_token() -> str:
    return secrets.token_urlsafe(18)


def same_name(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", normalize(a)) == re.sub(r"\s+", "", normalize(b))


def id_number_kept(national_id: str) -> dict:
    """What is kept of a national ID number: its keyed hash and its last four digits."""
    if not national_id:
        return {}
    return {"id_hash": Participant.hash_national_id(national_id), "id_last4": national_id[-4:]}


def join(session, *, name, device, phone="", national_id="", id_hash="", id_last4=""):
    """The participant for this person on this device in this session, created on first
    join (after consent). The same device and name find the same participant again, so
    the pre-test and post-test pair up; another name on a shared phone is another person.
    The ID number comes either whole (``national_id``) or as ``id_number_kept`` gives it."""
    device = device or new_device_token()
    if national_id:
        kept = id_number_kept(national_id)
        id_hash, id_last4 = kept["id_hash"], kept["id_last4"]
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
            with transaction.atomic():
                return Participant.objects.create(
                    session=session, name=name, device=device if n == 0 else f"{device}~{n}", phone=phone,
                    national_id_hash=id_hash, national_id_last4=id_last4 if id_hash else "",
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
