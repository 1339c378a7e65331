"""One person's data, on their request (PDPA sections 30 and 33): what is stored about them,
as a file they can be given, and its erasure. Both are recorded in the audit log.

A person is found from one participant row: that row, the rows merged into it, and the
rows of other sessions with the same national-ID hash or phone number, among the sessions
the staff member may see. Names alone are not taken as the same person.
"""
from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import audit, units_of
from assessments.grading import result_rows
from assessments.models import KIND_LABELS, Participant
from reports.models import Certificate

from .erasure import ERASED_NAME, erase


def visible_participants(user):
    return Participant.objects.filter(session__unit__in=units_of(user))


def records_of(participant: Participant, user):
    """Every participant row of the same person that `user` may see."""
    same = Q(pk=participant.pk) | Q(merged_into=participant)
    if participant.national_id_hash:
        same |= Q(national_id_hash=participant.national_id_hash)
    if participant.phone:
        same |= Q(phone=participant.phone)
    return visible_participants(user).filter(same).select_related("session", "session__unit").order_by("joined_at")


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def personal_data(records) -> dict:
    """What is stored about the person, in Thai field names, for the JSON file."""
    people = []
    for p in records:
        attempts = []
        for a in p.attempts.select_related("form").order_by("submitted_at"):
            attempts.append({
                "แบบทดสอบ": KIND_LABELS.get(a.kind, a.kind), "ชื่อแบบทดสอบ": a.form.title,
                "คะแนน": a.score, "คะแนนเต็ม": a.max_score, "ผ่านเกณฑ์": a.passed, "ส่งเมื่อ": _iso(a.submitted_at),
                "คำตอบ": [{"ข้อที่": r["position"], "คำถาม": r["text"], "ตอบ": r["chosen"], "ถูก": r["correct"]}
                          for r in result_rows(a)],
            })
        certificates = [{"เลขที่": c.number, "ชื่อผู้ได้รับ": c.name, "ออกเมื่อ": _iso(c.issued_at),
                         "เพิกถอนเมื่อ": _iso(c.revoked_at)}
                        for c in Certificate.objects.filter(participant=p).order_by("issued_at")]
        people.append({
            "รหัสผู้เข้าอบรม": p.pk, "ชื่อ": p.name, "เบอร์โทรศัพท์": p.phone,
            "เลขประจำตัวประชาชน (เฉพาะที่เก็บ)": p.masked_id(),
            "เก็บรหัสแฮชเลขประจำตัวประชาชน": bool(p.national_id_hash),
            "ยินยอมเมื่อ": _iso(p.consent_at), "เข้าร่วมเมื่อ": _iso(p.joined_at),
            "การอบรม": {"ชื่อ": p.session.title, "วันที่": p.session.date.isoformat(), "หน่วยงาน": str(p.session.unit),
                        "รหัสเข้าร่วม": p.session.code},
            "ผลแบบทดสอบ": attempts, "วุฒิบัตร": certificates,
        })
    return {"ส่งออกเมื่อ": _iso(timezone.now()), "ผู้เข้าอบรม": people}


def record_export(records, actor):
    ids = [p.pk for p in records]
    audit("privacy.export", actor=actor, unit=records[0].session.unit if records else None,
          target=f"assessments.Participant:{ids[0]}" if ids else "",
          message=f"ส่งออกข้อมูลส่วนบุคคลตามคำขอของเจ้าของข้อมูล ({len(ids)} รายการผู้เข้าอบรม)", participants=ids)


@transaction.atomic
def erase_person(records, actor) -> int:
    """Erase the person's personal data in these rows and on their certificates (which are
    revoked: a certificate without its holder's name proves nothing). Scores stay."""
    records = list(records)
    ids = [p.pk for p in records]
    erased = erase(Participant.objects.filter(pk__in=ids))
    certificates = Certificate.objects.filter(participant_id__in=ids)
    certificates.filter(revoked_at=None).update(revoked_at=timezone.now(),
                                                revoked_reason="ลบข้อมูลส่วนบุคคลตามคำขอของเจ้าของข้อมูล")
    certificates.update(name=ERASED_NAME)
    audit("privacy.erase", actor=actor, unit=records[0].session.unit if records else None,
          target=f"assessments.Participant:{ids[0]}" if ids else "",
          message=f"ลบข้อมูลส่วนบุคคลตามคำขอของเจ้าของข้อมูล ({erased} รายการผู้เข้าอบรม คะแนนยังอยู่โดยไม่ระบุตัวตน)",
          participants=ids)
    return erased
