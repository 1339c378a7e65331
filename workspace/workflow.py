"""The workflow: ฉบับร่าง → เสนอผู้บริหาร → ส่งกลับแก้ไข (with a comment) / อนุมัติ → เผยแพร่.
Every move is a Transition (who, when, comment), a revision of the draft and an audit event."""
from django.db import transaction

from accounts.models import audit

from .models import APPROVED, DRAFT, PUBLISHED, RETURNED, SUBMITTED, Transition

# move → (the states it starts from, the state it ends in, what the audit log calls it)
MOVES = {
    "submit": ((DRAFT, RETURNED, PUBLISHED), SUBMITTED, "km.submit"),
    "return": ((SUBMITTED,), RETURNED, "km.return"),
    "approve": ((SUBMITTED,), APPROVED, "km.approve"),
    "publish": ((APPROVED,), PUBLISHED, "km.publish"),
    "reopen": ((PUBLISHED,), DRAFT, "km.reopen"),
}


class WorkflowError(Exception):
    pass


@transaction.atomic
def move(draft, name, actor, comment=""):
    sources, target, action = MOVES[name]
    if draft.status not in sources:
        raise WorkflowError(f"ทำรายการนี้ไม่ได้ขณะที่ KM อยู่ในสถานะ “{draft.get_status_display()}”")
    if name == "return" and not comment.strip():
        raise WorkflowError("กรุณาเขียนความเห็นว่าต้องแก้ไขอะไร ก่อนส่งกลับ")
    before = draft.status
    draft.status = target
    draft._change_reason = dict(MOVES_LABELS)[name]
    draft.save()
    step = Transition.objects.create(draft=draft, from_status=before, to_status=target, actor=actor,
                                     comment=comment.strip())
    audit(action, actor=actor, unit=draft.unit, target=draft, message=comment.strip(), title=draft.title,
          from_status=before, to_status=target)
    return step


MOVES_LABELS = [
    ("submit", "เสนอผู้บริหาร"),
    ("return", "ส่งกลับแก้ไข"),
    ("approve", "อนุมัติ"),
    ("publish", "เผยแพร่"),
    ("reopen", "เริ่มแก้ไขรอบใหม่"),
]
