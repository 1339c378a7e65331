"""The workflow: ฉบับร่าง → เสนอผู้บริหาร → ส่งกลับแก้ไข (with a comment) / อนุมัติ → เผยแพร่.
Every move is a Transition (who, when, comment), a revision of the draft and an audit event."""
from django.db import transaction

from accounts.models import audit

from .models import APPROVED, DRAFT, PUBLISHED, RETURNED, SUBMITTED, Transition

# move → (the states it starts from, the state it ends in, what the audit log calls it, what the revision says)
MOVES = {
    "submit": ((DRAFT, RETURNED, PUBLISHED), SUBMITTED, "km.submit", "เสนอผู้บริหาร"),
    "return": ((SUBMITTED,), RETURNED, "km.return", "ส่งกลับแก้ไข"),
    "approve": ((SUBMITTED,), APPROVED, "km.approve", "อนุมัติ"),
    "publish": ((APPROVED,), PUBLISHED, "km.publish", "เผยแพร่"),
    "reopen": ((PUBLISHED,), DRAFT, "km.reopen", "เริ่มแก้ไขรอบใหม่"),
}


class WorkflowError(Exception):
    pass


@transaction.atomic
def move(draft, name, actor, comment=""):
    sources, target, action, label = MOVES[name]
    if draft.status not in sources:
        raise WorkflowError(f"ทำรายการนี้ไม่ได้ขณะที่ KM อยู่ในสถานะ “{draft.get_status_display()}”")
    if name == "return" and not comment.strip():
        raise WorkflowError("กรุณาเขียนความเห็นว่าต้องแก้ไขอะไร ก่อนส่งกลับ")
    before = draft.status
    draft.status = target
    draft._change_reason = label
    draft.save()
    step = Transition.objects.create(draft=draft, from_status=before, to_status=target, actor=actor,
                                     comment=comment.strip())
    audit(action, actor=actor, unit=draft.unit, target=draft, message=comment.strip(), title=draft.title,
          from_status=before, to_status=target)
    return step

