"""Pages: a volunteer's phone (join → consent → test → result), the trainer's session
pages (control, projector, results and pairs), and the staff test."""
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import audit, units_of
from volunteerkm.links import absolute_url, is_loopback

from . import grading, participants
from .forms import CodeForm, JoinForm, MergeForm, SessionForm, normalize_code
from .models import KIND_LABELS, POST, PRE, STAFF, Attempt, TestForm, TrainingSession, section_label
from .participants import COOKIE_AGE, current_participant, remember_participant
from .review import most_improved, question_shares

PENDING_SALT = "assessments.pending-join"
CONSENT_TEXT = [
    "เราขอชื่อของคุณ{extra} เพื่อใช้ดูผลแบบทดสอบก่อนและหลังอบรมของคุณคู่กัน และเพื่อให้ผู้จัดอบรมรู้ว่าใครต้องทบทวนเรื่องใด",
    "ผู้ที่เห็นข้อมูลนี้มีเพียงผู้จัดอบรมของหน่วยงานที่จัดอบรม และเจ้าหน้าที่ที่ดูแลงาน อพม. ซึ่งใช้ผลในภาพรวมเพื่อปรับปรุงการอบรม",
    "เราไม่นำข้อมูลไปใช้เรื่องอื่น และไม่เปิดเผยต่อผู้อื่น",
    "ถ้าไม่ยินยอม คุณไม่ต้องทำแบบทดสอบในระบบนี้ ขอให้แจ้งผู้จัดอบรม",
]


def _session_by_code(code, related=("unit", "pre_form", "post_form")):
    """The session a code names, or None (without .first()'s ORDER BY: on every phone request)."""
    return grading.one(TrainingSession.objects.select_related(*related).filter(code=normalize_code(code)))


def _unknown_code(request, code):
    form = CodeForm(initial={"code": code})
    return render(request, "assessments/enter_code.html", {
        "form": form, "error": f"ไม่พบการอบรมที่ใช้รหัส “{normalize_code(code)[:12]}” กรุณาตรวจสอบรหัสบนจอของผู้จัดอบรมอีกครั้ง",
    }, status=404)


# --- a volunteer's phone -------------------------------------------------------------------

@never_cache
def enter_code(request):
    """Type the code shown on the projector."""
    form = CodeForm(request.GET or None)
    if request.GET and form.is_valid():
        session = _session_by_code(form.cleaned_data["code"])
        if session is None:
            return _unknown_code(request, form.cleaned_data["code"])
        return redirect("assessments:join", session.code)
    return render(request, "assessments/enter_code.html", {"form": form}, status=400 if request.GET else 200)


@never_cache
def join(request, code):
    """Name (and phone or ID number if the session asks) → the consent notice."""
    session = _session_by_code(code)
    if session is None:
        return _unknown_code(request, code)
    if session.code != code:
        return redirect("assessments:join", session.code)
    participant = current_participant(request, session)
    if participant is not None and request.method == "GET" and "switch" not in request.GET:
        return redirect("assessments:take", session.code)
    device = request.COOKIES.get("vkm_device") or participants.new_device_token()
    form = JoinForm(request.POST or None, session=session, initial={"device": device})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v and k != "national_id"}
        # The consent page carries only what is kept of an ID number, never the number itself.
        data.update(participants.id_number_kept(form.cleaned_data.get("national_id", "")))
        data.setdefault("device", device)
        pending = signing.dumps(data, salt=PENDING_SALT, compress=True)
        return render(request, "assessments/consent.html", {
            "session": session, "pending": pending, "name": data["name"], "consent": consent_text(session),
        })
    response = render(request, "assessments/join.html", {"session": session, "form": form},
                      status=400 if request.method == "POST" else 200)
    response.set_cookie("vkm_device", device, max_age=COOKIE_AGE, httponly=True, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE)
    return response


def consent_text(session):
    extra = {
        TrainingSession.PHONE: " และเบอร์โทรศัพท์",
        TrainingSession.NATIONAL_ID: " และเลขประจำตัวประชาชน (เราเก็บเฉพาะรหัสที่แปลงแล้วและเลข ๔ หลักท้าย ไม่เก็บเลขเต็ม)",
    }
    return [CONSENT_TEXT[0].format(extra=extra.get(session.ask_for, ""))] + CONSENT_TEXT[1:]


@require_POST
def consent(request, code):
    """Agreeing creates the participant; nothing about the person is stored before."""
    session = _session_by_code(code)
    if session is None:
        return _unknown_code(request, code)
    try:
        data = signing.loads(request.POST.get("pending", ""), salt=PENDING_SALT, max_age=60 * 60 * 6)
    except signing.BadSignature:
        messages.error(request, "ข้อมูลการเข้าร่วมหมดอายุหรือไม่ถูกต้อง กรุณากรอกชื่ออีกครั้ง")
        return redirect("assessments:join", session.code)
    if request.POST.get("agree") != "yes":
        return render(request, "assessments/declined.html", {"session": session})
    participant, _ = participants.join(session, name=data["name"], device=data.get("device", ""),
                                       phone=data.get("phone", ""), id_hash=data.get("id_hash", ""),
                                       id_last4=data.get("id_last4", ""))
    return remember_participant(redirect("assessments:take", session.code), session, participant)


@never_cache
def take(request, code):
    """The test of the phase that is open now, or the waiting room."""
    session = _session_by_code(code)
    if session is None:
        return _unknown_code(request, code)
    participant = current_participant(request, session)
    if participant is None:
        return redirect("assessments:join", session.code)
    kind = session.open_phase()
    done = {a.kind: a for a in participant.attempts.all()}
    polling = request.headers.get("X-Poll")  # the waiting room asking whether to move on (poll.js)
    if kind is None or kind in done:
        context = {"session": session, "participant": participant, "done": done, "kind": kind,
                   "pre_label": KIND_LABELS[PRE], "post_label": KIND_LABELS[POST]}
        template = "assessments/_waiting_status.html" if polling else "assessments/waiting.html"
        return render(request, template, context)
    if polling:
        return go_to(reverse("assessments:take", args=[session.code]))
    ticket, questions = grading.open_test(session=session, kind=kind, participant=participant)
    form = session.form_for(kind)
    return render(request, "assessments/take.html", {
        "session": session, "participant": participant, "kind": kind, "kind_label": KIND_LABELS[kind],
        "form": form, "time_limit": session.time_limit, "ticket": ticket, "questions": questions,
        "key": participants.new_device_token(),
        "submit_url": reverse("assessments:submit", args=[session.code]),
        "api_url": reverse("api:assessments_submit", args=[session.code]),
        "storage_key": f"vkm:{session.code}:{kind}:{participant.pk}",
        "result_url": reverse("assessments:result", args=[session.code, kind]),
        "ends_at": int(ticket.issued + session.time_limit * 60) if session.time_limit else "",
    })


def go_to(url):
    """The answer to a poll (poll.js) that should move the phone to another page."""
    response = HttpResponse(status=204)
    response["X-Go"] = url
    return response


def answers_from_post(post):
    return {k[1:]: v for k, v in post.items() if k.startswith("a") and k[1:].isdigit()}


@require_POST
def submit(request, code):
    """The form's own POST (phones without JavaScript); JavaScript posts to the API."""
    session = _session_by_code(code, related=())  # grading reads what it needs itself
    if session is None:
        return _unknown_code(request, code)
    participant = known = current_participant(request, session)
    try:
        attempt, created = grading.submit(ticket_token=request.POST.get("ticket", ""),
                                          idempotency_key=request.POST.get("key", ""),
                                          answers=answers_from_post(request.POST), participant=participant,
                                          session_code=session.code)
    except grading.SubmissionError as exc:
        return render(request, "assessments/submit_error.html", {"session": session, "error": exc.message,
                                                                 "attempt": exc.attempt}, status=exc.status)
    if participant is None:
        # A phone that lost its cookie: the signed ticket still says who it was.
        participant = attempt.participant
    response = redirect("assessments:result", session.code, attempt.kind)
    if participant is not None and known is None:
        remember_participant(response, session, participant)
    return response


@never_cache
def result(request, code, kind):
    session = _session_by_code(code)
    if session is None:
        return _unknown_code(request, code)
    if kind not in (PRE, POST):
        raise Http404("ไม่พบผลแบบทดสอบนี้")
    participant = current_participant(request, session)
    if participant is None:
        return redirect("assessments:join", session.code)
    attempt = participant.attempts.filter(kind=kind).first()
    if attempt is None:
        return redirect("assessments:take", session.code)
    revealed = session.answers_revealed(kind)
    context = {"session": session, "attempt": attempt, "revealed": revealed,
               "rows": grading.result_rows(attempt) if revealed else []}
    if request.headers.get("X-Poll"):  # poll.js: has the trainer closed the test yet?
        return render(request, "assessments/_review.html", context)
    other = participant.attempts.exclude(kind=kind).first()
    return render(request, "assessments/result.html", {
        **context, "participant": participant, "kind_label": KIND_LABELS[kind],
        "subscores": _subscores(attempt), "other": other, "other_label": KIND_LABELS[other.kind] if other else "",
        "gain": attempt.percent - other.percent if other and kind == POST else None,
    })


def _subscores(attempt):
    """(label, score, max) per chapter, in chapter order, labelled with the chapter title."""
    subs = sorted(attempt.subscores.select_related("chapter"), key=lambda s: grading.section_sort_key(s.section))
    return [(f"{section_label(s.section)} {s.chapter.title}" if s.chapter_id else section_label(s.section), s.score,
             s.max_score) for s in subs]


# --- trainer ------------------------------------------------------------------------------------

def my_sessions(user):
    return TrainingSession.objects.filter(unit__in=units_of(user)).select_related("unit", "pre_form", "post_form")


def my_session(request, pk):
    """A session of one of the user's units, or 404."""
    return get_object_or_404(my_sessions(request.user), pk=pk)


def create_session(form, trainer):
    """Save a valid SessionForm as a new session run by `trainer`, and record it."""
    session = form.save(commit=False)
    session.trainer = trainer
    session.save()
    audit("session.create", actor=trainer, unit=session.unit, target=session,
          message=f"สร้างการอบรม '{session.title}' รหัส {session.code}")
    return session


def change_phase(session, kind, action, actor, note="แล้ว"):
    """Open or close the PRE or POST phase and record it; False when nothing changed."""
    with transaction.atomic():
        changed = session.set_phase(kind, action)
        if changed:
            verb = "เปิด" if action == "open" else "ปิด"
            audit(f"session.{action}", actor=actor, unit=session.unit, target=session, kind=kind,
                  message=f"{verb}{KIND_LABELS[kind]}{note}")
    return changed


@login_required
def trainer_home(request):
    sessions = my_sessions(request.user).annotate(
        people=Count("participants", filter=Q(participants__merged_into=None), distinct=True))
    return render(request, "assessments/trainer_home.html", {
        "sessions": sessions, "units": units_of(request.user),
    })


@login_required
def trainer_new(request):
    if not units_of(request.user).exists():
        messages.error(request, "บัญชีของคุณยังไม่ได้สังกัดหน่วยงาน ขอให้ผู้ดูแลระบบเพิ่มคุณเป็นสมาชิกหน่วยงานก่อน")
        return redirect("assessments:trainer_home")
    form = SessionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        return redirect(create_session(form, request.user))
    return render(request, "assessments/trainer_new.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def counts(session):
    people = session.participants.filter(merged_into=None).count()
    submitted = dict(session.attempts.values_list("kind").annotate(n=Count("id")))
    return {"joined": people, "pre": submitted.get(PRE, 0), "post": submitted.get(POST, 0),
            "phase": session.open_phase()}


@login_required
def trainer_session(request, pk):
    session = my_session(request, pk)
    join_url = absolute_url(request, session.join_path())
    return render(request, "assessments/trainer_session.html", {
        "session": session, "counts": counts(session), **pairs_context(session),
        "join_url": join_url, "loopback": is_loopback(join_url), "merge_form": MergeForm(session=session),
    })


def pairs_context(session):
    """Each participant with their pre and post attempt, gain, and suggested merges."""
    people = list(session.participants.filter(merged_into=None).order_by("name", "id"))
    attempts = {}
    for a in session.attempts.all():
        attempts.setdefault(a.participant_id, {})[a.kind] = a
    rows = []
    for p in people:
        mine = attempts.get(p.pk, {})
        pre, post = mine.get(PRE), mine.get(POST)
        gain = (post.percent - pre.percent) if pre and post else None
        rows.append({"participant": p, "pre": pre, "post": post, "gain": gain})
    suggestions = []
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            pa, pb = a["participant"], b["participant"]
            same = participants.same_name(pa.name, pb.name) or (
                pa.national_id_hash and pa.national_id_hash == pb.national_id_hash)
            complementary = bool(a["pre"]) != bool(b["pre"]) and bool(a["post"]) != bool(b["post"])
            if same and complementary:
                keep, other = (a, b) if a["pre"] else (b, a)
                suggestions.append((keep["participant"], other["participant"]))
    paired = [r for r in rows if r["gain"] is not None]
    summary = None
    if paired:
        summary = {
            "n": len(paired),
            "pre": round(sum(r["pre"].percent for r in paired) / len(paired)),
            "post": round(sum(r["post"].percent for r in paired) / len(paired)),
        }
        summary["gain"] = summary["post"] - summary["pre"]
    return {"rows": rows, "suggestions": suggestions, "summary": summary}


@login_required
@require_POST
def trainer_phase(request, pk):
    """Open or close the pre-test or the post-test."""
    session = my_session(request, pk)
    kind, action = request.POST.get("kind"), request.POST.get("action")
    if kind not in (PRE, POST) or action not in ("open", "close"):
        return HttpResponseBadRequest("คำสั่งไม่ถูกต้อง")
    if change_phase(session, kind, action, request.user):
        messages.success(request, f"{'เปิด' if action == 'open' else 'ปิด'}{KIND_LABELS[kind]}แล้ว")
    else:
        messages.info(request, f"{KIND_LABELS[kind]}ไม่ได้เปิดอยู่")
    if request.POST.get("next") == "review":  # closed from the projector's review page
        return redirect("assessments:review", session.pk, kind)
    return redirect(session)


@login_required
@require_POST
def trainer_merge(request, pk):
    session = my_session(request, pk)
    form = MergeForm(request.POST, session=session)
    if form.is_valid():
        keep, merged = form.cleaned_data["keep"], form.cleaned_data["merge"]
        participants.merge(keep, merged, actor=request.user)
        messages.success(request, f"รวม “{merged.name}” เข้ากับ “{keep.name}” แล้ว")
    else:
        for error in form.errors.get("__all__", []) or [e for errs in form.errors.values() for e in errs]:
            messages.error(request, error)
    return redirect(session)


@login_required
@require_POST
def trainer_move(request, pk):
    """Fix a pair: move one attempt to another participant of the session."""
    session = my_session(request, pk)
    attempt = session.attempts.filter(pk=request.POST.get("attempt") or 0).first()
    to = session.participants.filter(pk=request.POST.get("to") or 0, merged_into=None).first()
    if attempt is None or to is None:
        messages.error(request, "ไม่พบผลแบบทดสอบหรือผู้เข้าอบรมที่เลือก")
    elif to.attempts.filter(kind=attempt.kind).exists():
        messages.error(request, f"“{to.name}” มี{KIND_LABELS[attempt.kind]}อยู่แล้ว ย้ายไม่ได้")
    else:
        participants.move_attempt(attempt, to, actor=request.user)
        messages.success(request, f"ย้ายผล{KIND_LABELS[attempt.kind]}ไปเป็นของ “{to.name}” แล้ว")
    return redirect(session)


@login_required
def projector(request, pk):
    session = my_session(request, pk)
    join_url = absolute_url(request, session.join_path())
    return render(request, "assessments/projector.html", {
        "session": session, "counts": counts(session), "join_url": join_url, "loopback": is_loopback(join_url),
        "short_url": join_url.split("://", 1)[-1],
        "qr_svg": segno.make(join_url, error="m").svg_inline(omitsize=True, dark="#000", light="#fff",
                                                             title="คิวอาร์โค้ดสำหรับเข้าร่วมแบบทดสอบ"),
    })


@login_required
def review(request, pk, kind):
    """The projector's review of a closed test, question by question, hardest first;
    htmx asks again every few seconds while the page is open (late phones still count)."""
    session = my_session(request, pk)
    if kind not in (PRE, POST):
        raise Http404("ไม่พบแบบทดสอบนี้")
    context = {"session": session, "kind": kind, "kind_label": KIND_LABELS[kind], "open": session.is_open(kind),
               "counts": counts(session)}
    if not context["open"]:
        context["questions"] = question_shares(session, kind)
        context["improved"] = most_improved(session) if kind == POST else []
    template = "assessments/_review_board.html" if request.headers.get("HX-Request") else "assessments/review.html"
    return render(request, template, context)


@login_required
def projector_counts(request, pk):
    session = my_session(request, pk)
    return render(request, "assessments/_counts.html", {"session": session, "counts": counts(session)})


@login_required
def qr_code(request, pk):
    session = my_session(request, pk)
    buffer = segno.make(absolute_url(request, session.join_path()), error="m")
    response = HttpResponse(content_type="image/svg+xml")
    buffer.save(response, kind="svg", scale=10, border=2)
    return response


# --- staff -------------------------------------------------------------------------------------

@login_required
def staff_home(request):
    forms = TestForm.objects.filter(active=True, kind=STAFF)
    history = Attempt.objects.filter(user=request.user, kind=STAFF).select_related("form").order_by("-submitted_at")
    return render(request, "assessments/staff_home.html", {"forms": forms, "history": history})


@login_required
@never_cache
def staff_take(request, form_id):
    form = get_object_or_404(TestForm, pk=form_id, active=True, kind=STAFF)
    ticket, questions = grading.open_test(kind=STAFF, user=request.user, form=form)
    return render(request, "assessments/take.html", {
        "staff": True, "kind": STAFF, "kind_label": KIND_LABELS[STAFF], "form": form, "ticket": ticket,
        "questions": questions, "key": participants.new_device_token(),
        "submit_url": reverse("assessments:staff_submit"),
        "api_url": reverse("api:assessments_staff_submit"),
        "storage_key": f"vkm:{grading.draw_seed(None, STAFF, request.user)}:{form.pk}",
        "result_url": "",
        "ends_at": int(ticket.issued + form.time_limit * 60) if form.time_limit else "",
        "time_limit": form.time_limit,
    })


@login_required
@require_POST
def staff_submit(request):
    try:
        attempt, _ = grading.submit(ticket_token=request.POST.get("ticket", ""),
                                    idempotency_key=request.POST.get("key", ""),
                                    answers=answers_from_post(request.POST), user=request.user)
    except grading.SubmissionError as exc:
        return render(request, "assessments/submit_error.html", {"error": exc.message, "attempt": exc.attempt},
                      status=exc.status)
    return redirect("assessments:staff_result", attempt.pk)


@login_required
def staff_result(request, attempt_id):
    attempt = get_object_or_404(Attempt, pk=attempt_id, user=request.user, kind=STAFF)
    return render(request, "assessments/result.html", {
        "attempt": attempt, "kind_label": KIND_LABELS[STAFF], "rows": grading.result_rows(attempt),
        "subscores": _subscores(attempt), "staff": True, "revealed": True,
    })

