from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Min
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from accounts.models import Unit
from assessments.forms import normalize_code
from assessments.grading import option_label
from assessments.models import POST, PRE, STAFF, Attempt, TestForm, TrainingSession
from assessments.participants import current_participant
from volunteerkm.links import site_url
from volunteerkm.thai import thai_digits

from . import access, charts, explain, jobs
from .certificates import certificate_for, certificates_pdf
from .dashboards import RANK_KEYS, national_dashboard, province_report
from .item_analysis import item_analysis_for
from .models import Certificate, ExportJob
from .periods import Period, fiscal_year_of
from .provinces import province_key
from .session_report import session_report
from .staff_results import staff_results

SERIES = [("ก่อนอบรม", "pre"), ("หลังอบรม", "post")]
BIN_LABELS = [thai_digits(i * 10) for i in range(10)]
ITEM_ANALYSIS_PAGE_LIMIT = 20_000


def is_htmx(request):
    return request.headers.get("HX-Request") == "true"


# --------------------------------------------------------------------------- filters

def _int(value, lo=None, hi=None):
    try:
        v = int(value)
    except (TypeError, ValueError):
        return None
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        return None
    return v


def fiscal_years():
    """The fiscal years (พ.ศ.) that have training sessions, newest first."""
    span = TrainingSession.objects.aggregate(lo=Min("date"), hi=Max("date"))
    if not span["lo"]:
        return []
    return list(range(fiscal_year_of(span["hi"]), fiscal_year_of(span["lo"]) - 1, -1))


def period_from(request):
    fy = _int(request.GET.get("fy"), 2400, 2700)
    q = _int(request.GET.get("q"), 1, 4) if fy else None
    return Period.fiscal(fy, q), fy, q


def filter_context(request, with_region=True):
    period, fy, q = period_from(request)
    regions = sorted(r for r in Unit.objects.exclude(region="").values_list("region", flat=True).distinct())
    region = request.GET.get("region") if request.GET.get("region") in regions else ""
    return {"period": period, "fy": fy, "q": q, "years": fiscal_years(), "regions": regions if with_region else [],
            "region": region, "quarters": [1, 2, 3, 4]}


def _charts(hist_pre, hist_post, sections, link_sections=True):
    return {
        "dist_chart": charts.grouped_bars(BIN_LABELS, [("ก่อนอบรม", hist_pre, "pre"), ("หลังอบรม", hist_post, "post")],
                                          "การกระจายของคะแนน ก่อนและหลังอบรม (จำนวนคนในแต่ละช่วงร้อยละ)",
                                          y_label="ช่วงคะแนน (ร้อยละ ตั้งแต่ … ขึ้นไป)"),
        "section_chart": charts.hbars(
            [(_section_label(s, link_sections), [s["pre"], s["post"]]) for s in sections], SERIES),
        "legend": charts.legend(SERIES),
    }


def _section_label(s, link):
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    mark = mark_safe(' <strong class="weak-tag">ควรทบทวน</strong>') if s["weak"] else ""
    if link and s["url"]:
        return format_html('<a href="{}">{} {}</a>{}', s["url"], s["label"], s["title"], mark)
    return format_html("{} {}{}", s["label"], s["title"], mark)


# --------------------------------------------------------------------------- pages

@access.require(access.can_see_dashboard)
def dashboard(request):
    ctx = filter_context(request)
    rank = request.GET.get("rank") if request.GET.get("rank") in RANK_KEYS else "post_mean"
    d = national_dashboard(ctx["period"], region=ctx["region"] or None, rank_by=rank)
    visible = access.visible_unit_ids(request.user)
    allowed = None if visible is None else set(
        Unit.objects.filter(id__in=visible).values_list("province", flat=True))
    for p in d["provinces"]:
        p["linked"] = allowed is None or (p["key"] or "") in allowed
    t = d["totals"]
    months = d["months"]
    ctx.update(d)
    ctx.update(_charts(t["hist_pre"], t["hist_post"], d["sections"]))
    ctx.update({
        "rank": rank, "rank_keys": RANK_KEYS,
        "month_chart": charts.grouped_bars([m["label"] for m in months],
                                           [("ก่อนอบรม", [m["pre_mean"] for m in months], "pre"),
                                            ("หลังอบรม", [m["post_mean"] for m in months], "post")],
                                           "คะแนนเฉลี่ยรายเดือน ก่อนและหลังอบรม (ร้อยละ)", y_max=100) if months else "",
        "export_params": {"scope": "national", "fy": ctx["fy"] or "", "q": ctx["q"] or "", "region": ctx["region"]},
        "can_export": access.can_see_all(request.user),
        "export_kinds": [("xlsx", "Excel: ข้อมูลตามตัวกรองนี้")],
    })
    return render(request, "reports/dashboard.html", ctx)


@login_required
def province(request, province):
    unit_ids = access.province_unit_ids(request.user, province_key(province))
    if unit_ids == set():
        raise PermissionDenied("ไม่มีสิทธิ์ดูรายงานของจังหวัดนี้")
    ctx = filter_context(request, with_region=False)
    r = province_report(province, ctx["period"], unit_ids=unit_ids)
    if not r["sessions"] and not Unit.objects.filter(province=province_key(province)).exists():
        raise Http404("ไม่พบจังหวัดนี้")
    t = r["totals"]
    ctx.update(r)
    ctx.update(_charts(t["hist_pre"], t["hist_post"], r["sections"]))
    ctx["export_params"] = {"scope": "province", "province": province, "fy": ctx["fy"] or "", "q": ctx["q"] or ""}
    ctx["export_kinds"] = [("pdf", "รายงาน PDF"), ("xlsx", "Excel")]
    return render(request, "reports/province.html", ctx)


def _session_or_403(request, pk):
    session = get_object_or_404(TrainingSession.objects.select_related("unit", "trainer", "pre_form", "post_form"),
                                 pk=pk)
    if not access.can_see_unit(request.user, session.unit_id):
        raise PermissionDenied("ไม่มีสิทธิ์ดูผลการอบรมนี้")
    return session


@login_required
def session(request, pk):
    s = _session_or_403(request, pk)
    r = session_report(s)
    ctx = dict(r)
    ctx.update(_charts(r[PRE]["hist"], r[POST]["hist"], r["sections"]))
    ctx["gain_chart"] = charts.gain_strip(r["paired"]["gains"],
                                          title="คะแนนที่เปลี่ยนไปของแต่ละคน (จุดร้อยละ) จุดขวาของเส้นกลาง = ดีขึ้น")
    certs = {c.attempt_id: c for c in Certificate.objects.filter(session=s)}
    for p in ctx["people"]:
        p["certificate"] = certs.get(p["post_attempt_id"])
    ctx["export_params"] = {"scope": "session", "session": s.pk}
    ctx["export_kinds"] = [("pdf", "รายงาน PDF"), ("xlsx", "Excel")]
    if r["certificates_due"]:
        ctx["export_kinds"].append(("certificates", f"วุฒิบัตรผู้ผ่านเกณฑ์ {thai_digits(r['certificates_due'])} คน (PDF)"))
    ctx["forms"] = [(s.pre_form, PRE), (s.post_form, POST)]
    ctx["change"] = explain.change(r["wilcoxon"], r["paired"]["n"], r["paired"]["mean_gain"])
    ctx["gain_note"] = explain.gain(r["paired"]["hake_g"], r["paired"]["n"])
    return render(request, "reports/session.html", ctx)


@login_required
def items(request, form_id):
    form = get_object_or_404(TestForm, pk=form_id)
    ctx = filter_context(request)
    attempts = Attempt.objects.filter(form=form)
    scope_label = []
    session_id = _int(request.GET.get("session"))
    if session_id:
        s = _session_or_403(request, session_id)
        attempts = attempts.filter(session=s)
        scope_label.append(str(s))
        ctx["session"] = s
    else:
        visible = access.visible_unit_ids(request.user)
        if visible is not None:
            attempts = attempts.filter(unit_id__in=visible)
        if ctx["fy"]:
            attempts = attempts.filter(session__in=ctx["period"].sessions(TrainingSession.objects.all())) \
                if form.kind != STAFF else ctx["period"].attempts(attempts)
            scope_label.append(ctx["period"].label)
        province_name = request.GET.get("province")
        if province_name:
            attempts = attempts.filter(unit__province=province_key(province_name))
            scope_label.append(f"จังหวัด{province_name}")
        if ctx["region"]:
            attempts = attempts.filter(unit__region=ctx["region"])
            scope_label.append(ctx["region"])
    kind = request.GET.get("kind")
    if kind in (PRE, POST, STAFF):
        attempts = attempts.filter(kind=kind)
    n = attempts.count()
    ctx.update({"form": form, "n_attempts": n, "scope_label": " · ".join(scope_label) or "ทุกครั้งที่ใช้แบบทดสอบนี้",
                "limit": ITEM_ANALYSIS_PAGE_LIMIT, "kind": kind or "",
                "province_name": request.GET.get("province", "")})
    if 0 < n <= ITEM_ANALYSIS_PAGE_LIMIT:
        result = item_analysis_for(attempts)
        for it in result["items"]:
            it.bars = [(option_label(it.question, o), s, round(100 * s["share"], 1)) for o, s in it.options.items()]
        ctx["result"] = result
        ctx["reliability"] = explain.reliability(result["kr20"], result["n"], result["complete"])
        ctx["items_note"] = explain.discrimination(result["n"])
        ctx["small"] = result["n"] < explain.MIN_ATTEMPTS
        for it in result["items"]:
            it.separates = explain.separates(it.discrimination)
    return render(request, "reports/items.html", ctx)


@login_required
def staff(request):
    if not access.can_see_dashboard(request.user):
        raise PermissionDenied("ไม่มีสิทธิ์ดูรายงานนี้")
    ctx = filter_context(request)
    r = staff_results(ctx["period"], unit_ids=access.visible_unit_ids(request.user),
                      region=ctx["region"] or None)
    for u in r["units"]:
        u["cells"] = [u["sections"].get(k) for k in r["section_keys"]]
    ctx.update(r)
    ctx["section_chart"] = charts.hbars([(_section_label(s, True), [s["post"]]) for s in r["sections"]],
                                        [("เจ้าหน้าที่", "post")])
    ctx["staff_forms"] = TestForm.objects.filter(kind=STAFF)
    return render(request, "reports/staff.html", ctx)


# --------------------------------------------------------------------------- exports

EXPORT_TITLES = {"xlsx": "ไฟล์ Excel", "pdf": "รายงาน PDF", "certificates": "วุฒิบัตร PDF"}


@require_POST
@login_required
def export(request):
    kind, scope = request.POST.get("kind"), request.POST.get("scope")
    if kind not in EXPORT_TITLES:
        return HttpResponse("ไม่รู้จักชนิดไฟล์ที่ขอ", status=400)
    params = {"scope": scope, "site_url": site_url(request)}
    if scope == "session":
        s = _session_or_403(request, _int(request.POST.get("session")))
        params["session"] = s.pk
        what = f"{s.title} ({s.unit})"
    elif kind == "certificates":
        return HttpResponse("วุฒิบัตรออกได้ทีละการอบรม", status=400)
    else:
        fy = _int(request.POST.get("fy"), 2400, 2700)
        period = Period.fiscal(fy, _int(request.POST.get("q"), 1, 4) if fy else None)
        params["period"] = period.params
        if scope == "province":
            province_name = request.POST.get("province", "")
            unit_ids = access.province_unit_ids(request.user, province_key(province_name))
            if unit_ids == set():
                raise PermissionDenied("ไม่มีสิทธิ์ดูรายงานของจังหวัดนี้")
            params["province"] = province_name
            if unit_ids is not None:
                params["units"] = sorted(unit_ids)  # the export covers what the page shows this user
            what = f"จังหวัด{province_name} {period.label}"
        elif scope == "national" and kind == "xlsx":
            if not access.can_see_all(request.user):
                raise PermissionDenied("ไม่มีสิทธิ์ส่งออกข้อมูลทั้งประเทศ")
            params["region"] = request.POST.get("region", "")
            what = f"ทั้งประเทศ {params['region']} {period.label}".replace("  ", " ")
        else:
            return HttpResponse("ไม่รู้จักขอบเขตของรายงานที่ขอ", status=400)
    job = jobs.start(request.user, kind, params, f"{EXPORT_TITLES[kind]}: {what}")
    if is_htmx(request):
        return render(request, "reports/_job.html", {"job": job, "poll": True})
    return redirect("reports:job", pk=job.pk)


def _job_or_404(request, pk):
    job = get_object_or_404(ExportJob.objects.defer("content"), pk=pk)
    if job.user_id != request.user.id and not request.user.is_superuser:
        raise Http404("ไม่พบงานนี้")
    return job


@login_required
def job(request, pk):
    job = _job_or_404(request, pk)
    ctx = {"job": job, "stale": jobs.is_stale(job),
           "poll": job.status in (ExportJob.QUEUED, ExportJob.RUNNING) and not jobs.is_stale(job)}
    if is_htmx(request):
        return render(request, "reports/_job.html", ctx)
    return render(request, "reports/job.html", ctx)


@login_required
def job_file(request, pk):
    job = _job_or_404(request, pk)
    if job.status != ExportJob.DONE:
        raise Http404("ไฟล์ยังไม่พร้อม")
    data = ExportJob.objects.filter(pk=job.pk).values_list("content", flat=True).get()
    response = HttpResponse(bytes(data), content_type=job.content_type)
    response["Content-Disposition"] = content_disposition_header(True, job.filename)
    return response


# --------------------------------------------------------------------------- certificates (public)

def _certificate_from_token(token):
    code = Certificate.code_from_token(token)
    if code is None:
        return None
    return Certificate.objects.select_related("attempt", "session__unit").filter(code=code).first()


def my_certificate(request, code):
    """A volunteer's own certificate, issued the first time they ask for it after passing
    the post-test; the phone's participant cookie says who they are."""
    session = TrainingSession.objects.filter(code=normalize_code(code)).first()
    participant = current_participant(request, session) if session else None
    attempt = participant.attempts.filter(kind=POST).first() if participant else None
    cert = certificate_for(attempt) if attempt else None
    if cert is None:
        raise Http404("ยังไม่มีวุฒิบัตร: วุฒิบัตรออกให้ผู้ที่ผ่านเกณฑ์แบบทดสอบหลังอบรม")
    return redirect(cert.get_absolute_url())


def verify(request, token):
    cert = _certificate_from_token(token)
    status = 200 if cert else 404
    return render(request, "reports/verify.html", {"cert": cert, "og_title": "ตรวจสอบวุฒิบัตร"}, status=status)


def certificate_pdf(request, token):
    cert = _certificate_from_token(token)
    if cert is None or not cert.valid:
        raise Http404("ไม่พบวุฒิบัตรที่ใช้ได้")
    response = HttpResponse(certificates_pdf([cert], base_url=site_url(request)), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"certificate-{cert.pk}.pdf")
    return response

