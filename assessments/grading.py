"""Handing out a test and taking it back: which questions, in which order, and grading.

A person who opens a test gets a *ticket*: a signed (django.core.signing) record of who
they are, which phase and form, which question versions in which order, and when it was
issued. The ticket travels with the answers, so the server needs no write to hand out a
test, grades exactly what the person was shown, and refuses answers it did not issue.

`submit` stores a submission exactly once: the client picks an idempotency key once per
attempt and the key is UNIQUE in the database. A retry with the same key, by the same
person for the same phase and form, with the same answers, gets the stored result back;
anything else that clashes (another person's key among them) is refused with a Thai
message, and a refused submission stores nothing.
"""
import hashlib
import random
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cachetools import LRUCache
from cachetools.func import ttl_cache
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from volunteerkm.db import insert_rows

from .models import (
    POST,
    PRE,
    REPORT_SECTION,
    STAFF,
    Answer,
    Attempt,
    BlueprintRule,
    FormQuestion,
    Participant,
    Question,
    QuestionVersion,
    SubScore,
    TestForm,
    TrainingSession,
)

TICKET_SALT = "assessments.ticket"
PARTICIPANT_SALT = "assessments.participant"
# Answers from a phone that had the test before the trainer closed the phase are still
# taken this long after the close (a phone that lost its signal must not lose its work).
LATE_GRACE = timedelta(minutes=getattr(settings, "ASSESSMENT_LATE_GRACE_MINUTES", 15))
IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class SubmissionError(Exception):
    """A submission refused as a whole, with a Thai message and an HTTP status."""

    def __init__(self, message, status=400, attempt=None):
        super().__init__(message)
        self.message, self.status, self.attempt = message, status, attempt


# --- which questions -----------------------------------------------------------------

# Versions never change, so they are kept per process; the lock because a cachetools
# cache is not safe to share between threads (gthread workers).
_versions = LRUCache(maxsize=20000)
_versions_lock = threading.Lock()


def versions_by_id(ids) -> dict:
    """QuestionVersion rows by id, in the order of `ids` (unknown ids left out)."""
    with _versions_lock:
        found = {i: _versions[i] for i in ids if i in _versions}
    missing = [i for i in ids if i not in found]
    if missing:
        fetched = {v.pk: v for v in QuestionVersion.objects.filter(pk__in=missing)}
        with _versions_lock:
            _versions.update(fetched)
        found.update(fetched)
    return {i: found[i] for i in ids if i in found}


def _published_latest(questions):
    """The latest version of each published question, in the given order."""
    questions = [q for q in questions if q.status == Question.PUBLISHED]
    latest = dict(
        QuestionVersion.objects.filter(question__in=questions).order_by("question_id", "number")
        .values_list("question_id", "pk")
    )  # the last pair per question wins: its highest number
    return [latest[q.pk] for q in questions if q.pk in latest]


def draw(form: TestForm, seed: str) -> list[int]:
    """Version ids of the questions of `form`, in the form's order. A fixed form gives its
    questions; a blueprint draws n published questions per chapter with `seed`. Cached for
    a few seconds per process, so a room of phones opening the test costs one query."""
    return _draw(form, form.updated_at, seed if form.mode == TestForm.BLUEPRINT else "")


@ttl_cache(maxsize=5000, ttl=10)
def _draw(form: TestForm, updated_at, seed: str) -> list[int]:
    if form.mode == TestForm.FIXED:
        fqs = FormQuestion.objects.filter(form=form).select_related("question").order_by("order", "id")
        return _published_latest([fq.question for fq in fqs])
    rng = random.Random(f"{form.pk}:{seed}")
    chosen = []
    for rule in BlueprintRule.objects.filter(form=form).select_related("chapter").order_by("id"):
        # Only the form's own KM: its chapters' items, or its report's fields.
        pool = Question.objects.filter(status=Question.PUBLISHED) if form.report_id else Question.objects.none()
        if rule.chapter_id:
            pool = pool.filter(chapter=rule.chapter, chapter__report_id=form.report_id, field__isnull=True)
        else:
            pool = pool.filter(field__report_id=form.report_id)
        pool = sorted(pool, key=lambda q: q.key)
        chosen += rng.sample(pool, min(rule.count, len(pool)))
    return _published_latest(chosen)


def clear_caches():
    """Forget cached draws, versions, forms and links (after bulk changes, and in tests)."""
    with _versions_lock:
        _versions.clear()
    for cached in (_draw, unit_name, cached_form, _knowledge_link):
        cached.cache_clear()


def draw_seed(session: TrainingSession | None, kind: str, user=None) -> str:
    """Everyone in a session phase answers the same draw; a staff member gets a new draw
    for each attempt, stable until it is submitted."""
    if session is not None:
        return f"session:{session.pk}:{kind}"
    done = Attempt.objects.filter(user=user, kind=STAFF).count()
    return f"staff:{user.pk}:{done}"


# Everyone sees the questions in the form's order and the options in the editor's order,
# lettered ก ข ค ง: "ข้อ ๓, ตัวเลือก ข" then means the same question and the same choice on
# every phone, in the review, on the projector, in the reports and in the Excel file.
OPTION_LETTERS = "กขคงจ"


def option_letter(key: str) -> str:
    """The Thai letter of an option key ("a" → "ก"); true/false options have none."""
    return OPTION_LETTERS["abcde".index(key)] if key and key in "abcde" else ""


def option_label(version: QuestionVersion, key) -> str:
    """How reports name a chosen option: "ก" … "จ", "ถูก"/"ผิด", or "ไม่ตอบ" for a blank."""
    if not key:
        return "ไม่ตอบ"
    if version.kind == Question.TRUE_FALSE:
        return {"t": "ถูก", "f": "ผิด"}.get(key, key)
    return option_letter(key) or key


def lettered_options(version: QuestionVersion) -> list[dict]:
    """A question's options as everyone sees them: {"key", "text", "letter"}."""
    return [{**o, "letter": option_letter(o["key"]) if version.kind == Question.MULTIPLE_CHOICE else ""}
            for o in version.options]


# --- tickets --------------------------------------------------------------------------

@dataclass
class Ticket:
    kind: str
    form_id: int
    version_ids: list
    issued: float
    session_id: int | None = None
    participant_id: int | None = None
    user_id: int | None = None
    token: str = field(default="", repr=False)

    @property
    def issued_at(self):
        return datetime.fromtimestamp(self.issued, tz=UTC)


def issue_ticket(*, kind, form, version_ids, session=None, participant=None, user=None, issued=None) -> Ticket:
    payload = {"k": kind, "f": form.pk, "v": version_ids, "t": int(issued or time.time())}
    if participant is not None:
        payload.update(s=session.pk, p=participant.pk)
    if user is not None:
        payload["u"] = user.pk
    token = signing.dumps(payload, salt=TICKET_SALT, compress=True)
    return Ticket(kind=kind, form_id=form.pk, version_ids=list(version_ids), issued=float(payload["t"]),
                  session_id=payload.get("s"), participant_id=payload.get("p"), user_id=payload.get("u"), token=token)


def read_ticket(token: str) -> Ticket:
    try:
        data = signing.loads(token or "", salt=TICKET_SALT)
        ticket = Ticket(kind=data["k"], form_id=int(data["f"]), version_ids=[int(v) for v in data["v"]],
                        issued=float(data["t"]), session_id=data.get("s"), participant_id=data.get("p"),
                        user_id=data.get("u"), token=token)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise SubmissionError("ข้อมูลแบบทดสอบไม่ถูกต้องหรือถูกแก้ไข กรุณาเปิดหน้าแบบทดสอบใหม่อีกครั้ง", 400) from None
    if ticket.kind not in (PRE, POST, STAFF) or not ticket.version_ids:
        raise SubmissionError("ข้อมูลแบบทดสอบไม่ถูกต้อง กรุณาเปิดหน้าแบบทดสอบใหม่อีกครั้ง", 400)
    return ticket


def one(queryset):
    """The first row of a query, or None, without the ORDER BY that `.first()` adds from
    the model's ordering (on the request path, where it costs more than the query)."""
    return next(iter(queryset.order_by()[:1]), None)


def participant_token(participant: Participant) -> str:
    return signing.dumps({"p": participant.pk, "s": participant.session_id}, salt=PARTICIPANT_SALT)


def participant_from_token(token: str, session: TrainingSession | None = None):
    """The participant a token names (following merges), or None."""
    try:
        data = signing.loads(token or "", salt=PARTICIPANT_SALT)
        pid, sid = int(data["p"]), int(data["s"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if session is not None and sid != session.pk:
        return None
    return follow_merges(one(Participant.objects.filter(pk=pid, session_id=sid)))


def follow_merges(participant):
    """The participant who now answers for `participant`: the one a trainer merged it
    into (through a chain of merges), or itself."""
    for _ in range(100):  # bounded, should a chain ever loop
        if participant is None or not participant.merged_into_id:
            break
        participant = participant.merged_into
    return participant


def open_test(*, session=None, kind, participant=None, user=None, form=None):
    """What a person needs to take a test now: the ticket and the questions in the form's
    order, each {"version", "number", "options"}."""
    form = form or session.form_for(kind)
    ids = draw(form, draw_seed(session, kind, user))
    ticket = issue_ticket(kind=kind, form=form, version_ids=ids, session=session, participant=participant, user=user)
    return ticket, questions_for(ticket)


def questions_for(ticket: Ticket):
    """The ticket's questions in its order; `number` is the number shown everywhere
    (it is also the answer's stored position)."""
    versions = versions_by_id(ticket.version_ids)
    return [{"version": versions[v], "number": n, "options": lettered_options(versions[v])}
            for n, v in enumerate(ticket.version_ids, start=1) if v in versions]


# --- grading ----------------------------------------------------------------------------

def answers_digest(answers: dict) -> str:
    text = ",".join(f"{k}={answers[k]}" for k in sorted(answers))
    return hashlib.sha256(text.encode()).hexdigest()


def clean_answers(ticket: Ticket, raw: dict) -> dict:
    """{version id: option key} checked against the ticket, or SubmissionError. Missing
    answers are allowed (they score 0); answers to anything else are not."""
    versions = versions_by_id(ticket.version_ids)
    if len(versions) != len(set(ticket.version_ids)):
        raise SubmissionError("แบบทดสอบนี้มีข้อคำถามที่ไม่มีในระบบแล้ว กรุณาเปิดหน้าแบบทดสอบใหม่", 400)
    if not isinstance(raw, dict):
        raise SubmissionError("คำตอบไม่ถูกต้อง กรุณาเปิดหน้าแบบทดสอบใหม่", 400)
    answers = {}
    for key, chosen in raw.items():
        try:
            vid = int(key)
        except (TypeError, ValueError):
            raise SubmissionError("คำตอบไม่ถูกต้อง: มีข้อที่ไม่อยู่ในแบบทดสอบนี้", 400) from None
        if vid not in versions:
            raise SubmissionError("คำตอบไม่ถูกต้อง: มีข้อที่ไม่อยู่ในแบบทดสอบนี้", 400)
        if chosen in (None, ""):
            continue
        if not isinstance(chosen, str) or chosen not in {o["key"] for o in versions[vid].options}:
            raise SubmissionError("คำตอบไม่ถูกต้อง: มีตัวเลือกที่ไม่มีในข้อคำถาม", 400)
        answers[vid] = chosen
    return answers


KEY_IN_USE = ("รหัสการส่งนี้ถูกใช้กับแบบทดสอบอื่นแล้ว (ของผู้อื่นหรือคนละชุด) ไม่ได้บันทึกคำตอบนี้ "
              "กรุณาเปิดหน้าแบบทดสอบใหม่แล้วส่งอีกครั้ง")


def _existing(idempotency_key, digest, owner: dict):
    """The attempt stored under this key when this submission is a retry of it: the same
    person, phase and form (``owner``: the attempt's participant_id or user_id, kind and
    form_id) and the same answers. None when the key is new. A key used by anyone else, or
    for another phase or form, is refused, and nothing of that attempt is handed out."""
    attempt = one(Attempt.objects.filter(idempotency_key=idempotency_key))
    if attempt is None:
        return None
    if any(getattr(attempt, name) != value for name, value in owner.items()):
        raise SubmissionError(KEY_IN_USE, 409)
    if attempt.answers_digest != digest:
        raise SubmissionError("รหัสการส่งนี้ถูกใช้กับคำตอบชุดอื่นแล้ว ไม่ได้บันทึกคำตอบนี้", 409, attempt)
    return attempt


@ttl_cache(maxsize=1000, ttl=30)
def unit_name(unit_id) -> str:
    """A unit's display name, cached briefly per process."""
    from accounts.models import Unit

    return str(Unit.objects.get(pk=unit_id))


@ttl_cache(maxsize=1000, ttl=30)
def cached_form(form_id) -> TestForm:
    """A test form's pass mark and time limit, cached briefly per process."""
    return TestForm.objects.get(pk=form_id)


def submit(*, ticket_token, idempotency_key, answers, participant=None, user=None, now=None, session_code=None):
    """Grade and store one submission exactly once. Returns (attempt, created).

    The common path costs one read (the participant with its session's phase) and one
    short write transaction (the attempt, its answers, its sub-scores). A retry of a
    stored submission is recognised by the UNIQUE idempotency key and acknowledged with
    the stored result, whatever happened since (even after the phase closed)."""
    now = now or timezone.now()
    ticket = read_ticket(ticket_token)
    if not isinstance(idempotency_key, str) or not IDEMPOTENCY_KEY.match(idempotency_key):
        raise SubmissionError("รหัสการส่งไม่ถูกต้อง กรุณาเปิดหน้าแบบทดสอบใหม่", 400)
    answers = clean_answers(ticket, answers)
    digest = answers_digest(answers)

    owner = {"kind": ticket.kind, "form_id": ticket.form_id}

    def refuse(message, status):
        stored = _existing(idempotency_key, digest, owner)
        if stored is not None:
            return stored, False
        raise SubmissionError(message, status)

    if ticket.kind == STAFF:
        owner["user_id"] = user.pk if user is not None and user.is_authenticated else None
        if owner["user_id"] is None or user.pk != ticket.user_id:
            return refuse("แบบทดสอบนี้ออกให้ผู้ใช้คนอื่น กรุณาเข้าสู่ระบบด้วยบัญชีของคุณ", 403)
        unit = _unit_of(user)
        person = {"user_id": user.pk, "unit_id": unit.pk if unit else None}
        code = None
    else:
        joined = one(Participant.objects.filter(pk=ticket.participant_id, session_id=ticket.session_id)
                     .select_related("session"))
        owner["participant_id"] = ticket.participant_id
        if joined is None:
            return refuse("ไม่พบผู้เข้าอบรมตามข้อมูลแบบทดสอบ กรุณาเข้าร่วมใหม่", 403)
        session = joined.session
        code = session.code
        if session_code is not None and code != session_code:
            raise SubmissionError("ข้อมูลแบบทดสอบไม่ใช่ของการอบรมนี้", 400)
        person_now = follow_merges(joined)
        owner["participant_id"] = person_now.pk  # a merge moves the attempts to this person
        if participant is not None and participant.pk != person_now.pk:
            return refuse("แบบทดสอบนี้ออกให้ผู้เข้าอบรมคนอื่น ไม่ได้บันทึกคำตอบ", 403)
        opened, closed = getattr(session, f"{ticket.kind}_opened_at"), getattr(session, f"{ticket.kind}_closed_at")
        if opened is None:
            return refuse("ผู้จัดอบรมยังไม่เปิดแบบทดสอบนี้", 409)
        if closed is not None and not (ticket.issued_at <= closed and now - closed <= LATE_GRACE):
            return refuse("ผู้จัดอบรมปิดแบบทดสอบนี้แล้ว ส่งคำตอบไม่ได้", 409)
        person = {"participant_id": person_now.pk, "session_id": session.pk, "unit_id": session.unit_id}
    form = cached_form(ticket.form_id)
    pass_mark, limit = form.pass_mark, form.time_limit
    if ticket.kind != STAFF:  # the trainer's settings for the session
        pass_mark, limit = session.pass_mark, session.time_limit

    versions = versions_by_id(ticket.version_ids)
    graded, sections = [], {}
    for position, vid in enumerate(ticket.version_ids, start=1):
        v = versions[vid]
        chosen = answers.get(vid, "")
        correct = chosen == v.correct
        graded.append((position, v, chosen, correct))
        sec = sections.setdefault(v.section, [v.chapter_id, 0, 0])
        sec[1] += correct
        sec[2] += 1
    score = sum(g[3] for g in graded)
    max_score = len(graded)
    started = ticket.issued_at
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                form_id=form.pk, kind=ticket.kind, idempotency_key=idempotency_key, answers_digest=digest,
                score=score, max_score=max_score, pass_mark=pass_mark,
                passed=score * 100 >= pass_mark * max_score, started_at=started, submitted_at=now,
                over_time=bool(limit) and now - started > timedelta(minutes=limit, seconds=90), **person,
            )
            # Answers and sub-scores in one multi-row INSERT each (see volunteerkm/db.py).
            insert_rows(Answer, ["attempt_id", "question_id", "version_id", "position", "chosen", "correct"],
                        [(attempt.pk, v.question_id, v.pk, position, chosen, correct)
                         for position, v, chosen, correct in graded])
            subscores = [SubScore(attempt=attempt, section=section, chapter_id=chapter_id, score=right,
                                  max_score=asked) for section, (chapter_id, right, asked) in sections.items()]
            insert_rows(SubScore, ["attempt_id", "section", "chapter_id", "score", "max_score"],
                        [(attempt.pk, s.section, s.chapter_id, s.score, s.max_score) for s in subscores])
    except IntegrityError:  # the UNIQUE idempotency key, or this person's attempt at this phase
        stored = _existing(idempotency_key, digest, owner)
        if stored is not None:
            return stored, False
        if ticket.kind != STAFF:
            done = Attempt.objects.filter(participant_id=person["participant_id"], kind=ticket.kind).first()
            if done is not None:
                raise SubmissionError("คุณส่งแบบทดสอบนี้ไปแล้ว ระบบเก็บคำตอบครั้งแรกไว้ ไม่ได้บันทึกซ้ำ", 409, done) from None
        raise
    # Kept on the instance so the reply needs no further query.
    attempt.graded = graded
    attempt.graded_subscores = subscores
    if ticket.kind != STAFF:
        attempt.session_now = session  # read in this request: its phase times are current
    return attempt, True


def _unit_of(user):
    membership = user.memberships.select_related("unit").first() if hasattr(user, "memberships") else None
    return membership.unit if membership else None


# --- reading results -----------------------------------------------------------------------

def knowledge_link(version: QuestionVersion):
    """(url, title, is_field) of what a question tests, cached briefly per process."""
    return _knowledge_link(version.item_id, version.field_id)


@ttl_cache(maxsize=5000, ttl=60)
def _knowledge_link(item_id, field_id):
    if item_id:
        from knowledge.models import Item

        item = Item.objects.filter(pk=item_id).select_related("chapter__report").first()
        return (item.get_absolute_url(), item.title, False) if item else None
    if field_id:
        from knowledge.models import ReportField

        field = ReportField.objects.filter(pk=field_id).select_related("report").first()
        return (field.get_absolute_url(), field.title, True) if field else None
    return None


def result_rows(attempt: Attempt):
    """The answers of an attempt for a result page: each with the question text, what was
    chosen, the right answer and the knowledge to read."""
    graded = getattr(attempt, "graded", None)
    if graded is None:
        answers = list(attempt.answers.order_by("position").values_list("position", "version_id", "chosen", "correct"))
        versions = versions_by_id([a[1] for a in answers])
        graded = [(pos, versions[vid], chosen, ok) for pos, vid, chosen, ok in answers]
    rows = []
    for pos, v, chosen, ok in graded:
        link = knowledge_link(v)
        rows.append({
            "position": pos, "text": v.text, "correct": ok, "chosen": v.option_text(chosen) if chosen else "",
            "right": v.option_text(v.correct), "chosen_letter": _letter(v, chosen),
            "right_letter": _letter(v, v.correct), "explanation": v.explanation, "section": v.section,
            "read_url": link[0] if link else None, "read_title": link[1] if link else "",
            "read_is_field": link[2] if link else False,
        })
    return rows


def _letter(version, key):
    return option_letter(key) if version.kind == Question.MULTIPLE_CHOICE else ""


def subscores_of(attempt: Attempt):
    subs = getattr(attempt, "graded_subscores", None)
    if subs is None:
        subs = list(attempt.subscores.all())
    return sorted(subs, key=lambda s: section_sort_key(s.section))


def section_sort_key(section):
    return (section == REPORT_SECTION, int(section) if section.isdigit() else 0)


# --- deliberate regrading --------------------------------------------------------------------

def regrade(question: Question, from_version: QuestionVersion, to_version: QuestionVersion, reason: str, user=None):
    """Grade every answer given to `from_version` again with `to_version`'s correct option,
    update the attempts' totals and sub-scores, and record it all in a Regrade row.
    Both versions must offer the same option keys, so a chosen key means the same choice."""
    from django.db.models import Sum

    from .models import Regrade

    if from_version.question_id != question.pk or to_version.question_id != question.pk:
        raise SubmissionError("ฉบับของคำถามไม่ตรงกับคำถามที่เลือก")
    if {o["key"] for o in from_version.options} != {o["key"] for o in to_version.options}:
        raise SubmissionError("สองฉบับมีตัวเลือกไม่ตรงกัน จึงตรวจใหม่ไม่ได้ (คำตอบเดิมอาจหมายถึงตัวเลือกอื่น)")
    if not reason.strip():
        raise SubmissionError("กรุณาระบุเหตุผลของการตรวจให้คะแนนใหม่")
    changes = []
    with transaction.atomic():
        answers = Answer.objects.select_for_update().filter(version=from_version).select_related("attempt")
        touched = {}
        for answer in answers:
            correct = bool(answer.chosen) and answer.chosen == to_version.correct
            if correct != answer.correct:
                answer.correct = correct
                answer.save(update_fields=["correct"])
                touched[answer.attempt_id] = answer.attempt
        now = timezone.now()
        for attempt in touched.values():
            old = attempt.score
            for sub in attempt.subscores.all():
                sub.score = attempt.answers.filter(correct=True, version__chapter_number=(
                    int(sub.section) if sub.section.isdigit() else None)).count()
                sub.save(update_fields=["score"])
            attempt.score = attempt.subscores.aggregate(s=Sum("score"))["s"] or 0
            attempt.passed = attempt.score * 100 >= attempt.pass_mark * attempt.max_score
            attempt.regraded_at = now
            attempt.save(update_fields=["score", "passed", "regraded_at"])
            changes.append({"attempt": attempt.pk, "old_score": old, "new_score": attempt.score})
        record = Regrade.objects.create(question=question, from_version=from_version, to_version=to_version,
                                        reason=reason.strip(), by=user, changes=changes)
        from accounts.models import audit

        audit("questions.regrade", actor=user, target=question,
              message=f"ตรวจให้คะแนนใหม่ คำถาม {question.key} ฉบับที่ {from_version.number} ตามฉบับที่ {to_version.number}: "
                      f"ผลเปลี่ยน {len(changes)} รายการ", regrade=record.pk)
    return record
