"""The assessment API (django-ninja, in the OpenAPI schema): everything a phone does —
join, fetch the test, submit, read the result — for a LINE or mobile client, and what a
trainer and a staff member do, with their Django login."""
from datetime import date as date_type

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.responses import Status
from ninja.security import APIKeyHeader, django_auth
from pydantic import BaseModel

from volunteerkm.apierrors import refusals
from volunteerkm.links import absolute_url

from . import grading, participants
from .forms import JoinForm, normalize_code
from .models import KIND_LABELS, POST, PRE, STAFF, Attempt, TestForm, TrainingSession, section_label
from .views import change_phase, counts, create_session, my_session, my_sessions, pairs_context

router = Router(tags=["แบบทดสอบ"])


class ParticipantToken(APIKeyHeader):
    """The token `join` returns, sent back in the X-Participant header."""

    param_name = "X-Participant"

    def authenticate(self, request, key):
        return grading.participant_from_token(key)


participant_auth = ParticipantToken()


class SessionOut(Schema):
    code: str
    title: str
    unit: str
    date: date_type
    ask_for: str = Field(description="name | phone | national_id: what joining asks besides the name")
    phase: str | None = Field(description="pre | post | null: the test open now")
    join_url: str


class JoinIn(Schema):
    name: str
    phone: str = ""
    national_id: str = Field("", description="13 digits; checked by its check digit, stored only as a keyed hash "
                                             "and the last 4 digits")
    consent: bool = Field(description="the person agreed to the consent notice")
    device: str = Field("", description="a random token the device keeps, to find the same person again")


class JoinOut(Schema):
    participant_token: str
    participant_id: int
    name: str
    created: bool
    session: SessionOut


class OptionOut(BaseModel):
    key: str
    text: str
    letter: str = Field("", description="ก ข ค ง …: the option's letter, the same on every phone and in every report")


class QuestionOut(BaseModel):
    id: int = Field(description="question version id: the key of the answer")
    number: int
    kind: str
    text: str
    options: list[OptionOut]


class TestOut(BaseModel):
    kind: str
    title: str
    form: str
    ticket: str = Field(description="send back unchanged with the answers")
    issued_at: float
    time_limit_minutes: int | None
    pass_mark: int
    questions: list[QuestionOut]


class SubmitIn(Schema):
    ticket: str
    idempotency_key: str = Field(description="chosen once per attempt (16–64 of A–Z a–z 0–9 _ -); retries reuse it")
    answers: dict[str, str] = Field(description="{question version id: option key}")


class AnswerOut(BaseModel):
    number: int
    text: str
    correct: bool
    chosen: str
    right_answer: str
    explanation: str
    read_url: str | None


class SubScoreOut(BaseModel):
    section: str
    label: str
    score: int
    max_score: int


class ResultOut(BaseModel):
    attempt_id: int
    kind: str
    score: int
    max_score: int
    percent: int
    passed: bool
    pass_mark: int
    submitted_at: str
    replayed: bool = Field(False, description="true when this submission had been stored before (a retry)")
    subscores: list[SubScoreOut]
    correct: list[int] = Field(description="the numbers of the questions answered right")
    answers_revealed: bool = Field(True, description="false while the trainer keeps the answers hidden (until the "
                                                     "test is closed); `correct` and `answers` are then empty")
    answers: list[AnswerOut] = Field(description="each wrong or unanswered question: the right answer and what to read")
    result_url: str


def session_out(request, session):
    return SessionOut(code=session.code, title=session.title, unit=grading.unit_name(session.unit_id),
                      date=session.date, ask_for=session.ask_for, phase=session.open_phase(),
                      join_url=absolute_url(request, session.join_path()))


def test_out(ticket, questions, form, kind, session=None):
    limit, mark = (session.time_limit, session.pass_mark) if session else (form.time_limit, form.pass_mark)
    return {
        "kind": kind, "title": KIND_LABELS[kind], "form": form.title, "ticket": ticket.token,
        "issued_at": ticket.issued, "time_limit_minutes": limit, "pass_mark": mark,
        "questions": [{"id": q["version"].pk, "number": q["number"], "kind": q["version"].kind,
                       "text": q["version"].text, "options": q["options"]} for q in questions],
    }


def result_out(attempt, replayed=False):
    if attempt.kind == STAFF:
        url = reverse("assessments:staff_result", args=[attempt.pk])
    else:
        session = getattr(attempt, "session_now", None) or _session_of(attempt)
        url = reverse("assessments:result", args=[session.code, attempt.kind])
    revealed = attempt.kind == STAFF or session.answers_revealed(attempt.kind)
    rows = grading.result_rows(attempt) if revealed else []
    return {
        "attempt_id": attempt.pk, "kind": attempt.kind, "score": attempt.score, "max_score": attempt.max_score,
        "percent": attempt.percent, "passed": attempt.passed, "pass_mark": attempt.pass_mark,
        "submitted_at": attempt.submitted_at.isoformat(), "replayed": replayed, "result_url": url,
        "subscores": [{"section": s.section, "label": section_label(s.section), "score": s.score,
                       "max_score": s.max_score} for s in grading.subscores_of(attempt)],
        "correct": [r["position"] for r in rows if r["correct"]], "answers_revealed": revealed,
        "answers": [{"number": r["position"], "text": r["text"], "correct": r["correct"], "chosen": r["chosen"],
                     "right_answer": r["right"], "explanation": r["explanation"], "read_url": r["read_url"]}
                    for r in rows if not r["correct"]],
    }


def _session_of(attempt):
    """The attempt's session with its phase times as they are now."""
    return TrainingSession.objects.only("code", "reveal", "pre_form_id", "post_form_id", "pre_opened_at",
                                        "pre_closed_at", "post_opened_at", "post_closed_at").get(pk=attempt.session_id)


def _session(code):
    """The session with this code (its forms come from grading.cached_form)."""
    return grading.one(TrainingSession.objects.filter(code=normalize_code(code)))


def fail(status, detail):
    return Status(status, {"detail": detail})


def _not_found(code):
    return fail(404, f"ไม่พบการอบรมที่ใช้รหัส “{normalize_code(code)[:12]}”")


# --- a phone ----------------------------------------------------------------------------------

@router.get("/assessments/sessions/{code}", response={200: SessionOut, **refusals(404)},
            summary="ข้อมูลการอบรมจากรหัสเข้าร่วม")
def session_info(request, code: str):
    session = _session(code)
    return session_out(request, session) if session else _not_found(code)


@router.post("/assessments/sessions/{code}/join", response={200: JoinOut, **refusals(400, 404)},
             summary="เข้าร่วมการอบรม (หลังผู้เข้าอบรมยินยอมตามประกาศ)")
def join_session(request, code: str, data: JoinIn):
    session = _session(code)
    if session is None:
        return _not_found(code)
    if not data.consent:
        return fail(400, "ต้องได้รับความยินยอมจากผู้เข้าอบรมก่อน จึงจะบันทึกข้อมูลได้")
    form = JoinForm({"name": data.name, "phone": data.phone, "national_id": data.national_id, "device": data.device},
                    session=session)
    if not form.is_valid():
        return fail(400, " ".join(e for errors in form.errors.values() for e in errors))
    d = form.cleaned_data
    participant, created = participants.join(session, name=d["name"], device=d.get("device", ""),
                                             phone=d.get("phone", ""), national_id=d.get("national_id", ""))
    return JoinOut(participant_token=grading.participant_token(participant), participant_id=participant.pk,
                        name=participant.name, created=created, session=session_out(request, session))


@router.get("/assessments/sessions/{code}/test", auth=participant_auth,
            response={200: TestOut, **refusals(401, 404, 409)}, summary="แบบทดสอบที่เปิดอยู่ (ลำดับข้อและตัวเลือกสลับเฉพาะคน)")
def session_test(request, code: str):
    session = _session(code)
    participant = request.auth
    if session is None or participant.session_id != session.pk:
        return _not_found(code)
    kind = session.open_phase()
    if kind is None:
        return fail(409, "ผู้จัดอบรมยังไม่เปิดแบบทดสอบ กรุณารอสักครู่")
    if participant.attempts.filter(kind=kind).exists():
        return fail(409, f"คุณส่ง{KIND_LABELS[kind]}แล้ว")
    form = grading.cached_form(session.pre_form_id if kind == PRE else session.post_form_id)
    ticket, questions = grading.open_test(session=session, kind=kind, participant=participant, form=form)
    return test_out(ticket, questions, form, kind, session)


@router.post("/assessments/sessions/{code}/submit", url_name="assessments_submit",
             response={200: ResultOut, **refusals(400, 403, 404, 409)},
             summary="ส่งคำตอบ (บันทึกครั้งเดียวตามรหัสการส่ง ส่งซ้ำได้อย่างปลอดภัย)")
def session_submit(request, code: str, data: SubmitIn):
    try:
        attempt, created = grading.submit(ticket_token=data.ticket, idempotency_key=data.idempotency_key,
                                          answers=data.answers, session_code=normalize_code(code))
    except grading.SubmissionError as exc:
        return fail(exc.status, exc.message)
    return result_out(attempt, replayed=not created)


@router.get("/assessments/sessions/{code}/results/{kind}", auth=participant_auth,
            response={200: ResultOut, **refusals(401, 404)}, summary="ผลแบบทดสอบของผู้เข้าอบรม")
def session_result(request, code: str, kind: str):
    session = _session(code)
    participant = request.auth
    if session is None or participant.session_id != session.pk:
        return _not_found(code)
    attempt = participant.attempts.filter(kind=kind).select_related("session").first()
    if attempt is None:
        return fail(404, "ยังไม่มีผลแบบทดสอบนี้")
    return result_out(attempt)


# --- trainer ------------------------------------------------------------------------------------

# A row id: past a 64-bit integer the database cannot even look for it.
ROW_ID = {"ge": 1, "le": 2**63 - 1}


class SessionIn(Schema):
    title: str
    unit: int = Field(**ROW_ID)
    date: date_type
    pre_form: int = Field(**ROW_ID)
    post_form: int = Field(**ROW_ID)
    ask_for: str = "name"
    time_limit: int | None = Field(None, description="minutes for each test; left out: the pre-test form's")
    pass_mark: int | None = Field(None, description="percent of the post-test to pass; left out: the post-test form's")
    reveal: str = Field("after_close", description="after_close | immediately: when phones show the right answers")


class TrainerSessionOut(SessionOut):
    id: int
    joined: int
    submitted_pre: int
    submitted_post: int


class PairOut(Schema):
    participant_id: int
    name: str
    pre_percent: int | None
    post_percent: int | None
    gain: int | None


class PhaseIn(Schema):
    kind: str = Field(description="pre | post")
    action: str = Field(description="open | close")


def trainer_session_out(request, session):
    c = counts(session)
    return TrainerSessionOut(id=session.pk, joined=c["joined"], submitted_pre=c["pre"], submitted_post=c["post"],
                             **session_out(request, session).dict())


@router.get("/assessments/trainer/sessions", auth=django_auth, response={200: list[TrainerSessionOut], **refusals(401)},
            summary="การอบรมของหน่วยงานของผู้จัดอบรม")
def trainer_sessions(request):
    return [trainer_session_out(request, s) for s in my_sessions(request.user)[:200]]


@router.post("/assessments/trainer/sessions", auth=django_auth,
             response={200: TrainerSessionOut, **refusals(400, 401, 403)},
             summary="เปิดการอบรมใหม่")
def trainer_create(request, data: SessionIn):
    from .forms import SessionForm

    values = data.dict()
    forms = TestForm.objects.in_bulk([data.pre_form, data.post_form])
    if values["time_limit"] is None and data.pre_form in forms:
        values["time_limit"] = forms[data.pre_form].time_limit or ""
    if values["pass_mark"] is None and data.post_form in forms:
        values["pass_mark"] = forms[data.post_form].pass_mark
    form = SessionForm(SessionForm.api_data(values), user=request.user)
    if not form.is_valid():
        return fail(400, " ".join(f"{form.fields[f].label if f in form.fields else ''}: {e}".strip(": ")
                                        for f, errors in form.errors.items() for e in errors))
    return trainer_session_out(request, create_session(form, request.user))


@router.post("/assessments/trainer/sessions/{pk}/phase", auth=django_auth,
             response={200: TrainerSessionOut, **refusals(400, 401, 403, 404)},
             summary="เปิด/ปิดแบบทดสอบก่อนหรือหลังอบรม")
def trainer_phase(request, pk: int, data: PhaseIn):
    session = my_session(request, pk)
    if data.kind not in (PRE, POST) or data.action not in ("open", "close"):
        return fail(400, "kind ต้องเป็น pre หรือ post และ action ต้องเป็น open หรือ close")
    change_phase(session, data.kind, data.action, request.user, note=" (API)")
    return trainer_session_out(request, session)


@router.get("/assessments/trainer/sessions/{pk}/pairs", auth=django_auth,
            response={200: list[PairOut], **refusals(401, 404)},
            summary="ผลก่อน–หลังอบรมของแต่ละคน")
def trainer_pairs(request, pk: int):
    session = my_session(request, pk)
    return [PairOut(participant_id=r["participant"].pk, name=r["participant"].name,
                    pre_percent=r["pre"].percent if r["pre"] else None,
                    post_percent=r["post"].percent if r["post"] else None, gain=r["gain"])
            for r in pairs_context(session)["rows"]]


# --- staff ----------------------------------------------------------------------------------------

class FormOut(Schema):
    id: int
    title: str
    km: str = Field("", description="ชื่อเรื่อง KM ที่แบบทดสอบนี้วัดความรู้")
    km_slug: str = Field("", description="รหัส KM (ที่อยู่ /km/<รหัส>/)")
    questions: int
    pass_mark: int
    time_limit_minutes: int | None


class AttemptOut(Schema):
    attempt_id: int
    form: str
    score: int
    max_score: int
    percent: int
    passed: bool
    submitted_at: str


def _form_size(form):
    if form.mode == TestForm.FIXED:
        return form.form_questions.count()
    return sum(r.count for r in form.rules.all())


@router.get("/assessments/staff/forms", auth=django_auth, response={200: list[FormOut], **refusals(401)},
            summary="แบบทดสอบสำหรับเจ้าหน้าที่")
def staff_forms(request):
    forms = TestForm.objects.filter(active=True, kind=STAFF).select_related("report")
    return [FormOut(id=f.pk, title=f.title, km=f.report.title if f.report else "",
                    km_slug=f.report.slug if f.report else "", questions=_form_size(f), pass_mark=f.pass_mark,
                    time_limit_minutes=f.time_limit) for f in forms]


@router.get("/assessments/staff/forms/{form_id}/test", auth=django_auth, response={200: TestOut, **refusals(401, 404)},
            summary="เริ่มทำแบบทดสอบสำหรับเจ้าหน้าที่")
def staff_test(request, form_id: int):
    form = get_object_or_404(TestForm, pk=form_id, active=True, kind=STAFF)
    ticket, questions = grading.open_test(kind=STAFF, user=request.user, form=form)
    return test_out(ticket, questions, form, STAFF)


@router.post("/assessments/staff/submit", auth=django_auth, url_name="assessments_staff_submit",
             response={200: ResultOut, **refusals(400, 401, 403, 409)},
             summary="ส่งคำตอบแบบทดสอบเจ้าหน้าที่")
def staff_submit(request, data: SubmitIn):
    try:
        attempt, created = grading.submit(ticket_token=data.ticket, idempotency_key=data.idempotency_key,
                                          answers=data.answers, user=request.user)
    except grading.SubmissionError as exc:
        return fail(exc.status, exc.message)
    return result_out(attempt, replayed=not created)


@router.get("/assessments/staff/attempts", auth=django_auth, response={200: list[AttemptOut], **refusals(401)},
            summary="ประวัติการทำแบบทดสอบของฉัน")
def staff_history(request):
    return [AttemptOut(attempt_id=a.pk, form=a.form.title, score=a.score, max_score=a.max_score, percent=a.percent,
                       passed=a.passed, submitted_at=a.submitted_at.isoformat())
            for a in Attempt.objects.filter(user=request.user, kind=STAFF).select_related("form")]

