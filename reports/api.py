"""The analytics as JSON: the same figures as the report pages, for other systems and
dashboards. Signed-in users only (the site's session), with the pages' access rules;
certificate verification is public."""
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from accounts.models import Unit
from assessments.models import POST, PRE, STAFF, Attempt, TestForm, TrainingSession
from volunteerkm.apierrors import refusals

from . import access
from .dashboards import national_dashboard, province_report
from .item_analysis import item_analysis_for
from .models import Certificate
from .periods import Period
from .provinces import province_key
from .session_report import session_report

router = Router(tags=["ผลการประเมิน"])


class Figures(Schema):
    trainings: int | None = None
    pre_n: int
    post_n: int
    pair_n: int
    pre_mean: float | None
    post_mean: float | None
    mean_gain: float | None
    hake_g: float | None
    mean_g: float | None
    pre_pass_rate: float | None
    post_pass_rate: float | None


class SectionOut(Schema):
    section: str
    label: str
    title: str
    pre: float | None
    post: float | None
    weak: bool
    url: str
    items: list[dict]


class ProvinceRow(Figures):
    rank: int
    province: str


class DashboardOut(Schema):
    period: str
    region: str | None
    totals: Figures
    hist_pre: list[int]
    hist_post: list[int]
    provinces: list[ProvinceRow]
    sections: list[SectionOut]


class ProvinceOut(Schema):
    province: str
    period: str
    totals: Figures
    sessions: list[dict]
    sections: list[SectionOut]


class PersonOut(Schema):
    name: str
    pre_pct: float | None
    post_pct: float | None
    gain: float | None
    g: float | None
    passed: bool


class SessionReportOut(Schema):
    id: int
    title: str
    unit: str
    date: str
    pre: dict
    post: dict
    paired: dict
    wilcoxon: dict
    significance: str
    sections: list[SectionOut]
    people: list[PersonOut]


class ItemStatsOut(Schema):
    question: str
    text: str
    n: int
    difficulty: float | None
    point_biserial: float | None
    discrimination: float | None
    options: dict
    flags: list[str]


class ItemAnalysisOut(Schema):
    form: str
    n: int
    k: int
    kr20: float | None
    complete: bool
    items: list[ItemStatsOut]


class CertificateOut(Schema):
    number: str
    name: str
    training: str
    unit: str
    date: str
    valid: bool
    status: str


def _user(request, check=access.can_see_dashboard):
    if not request.user.is_authenticated:
        raise HttpError(401, "กรุณาเข้าสู่ระบบ")
    if not check(request.user):
        raise HttpError(403, "ไม่มีสิทธิ์ดูข้อมูลนี้")
    return request.user


def _period(fy, q):
    return Period.fiscal(fy if fy and 2400 <= fy <= 2700 else None, q if q in (1, 2, 3, 4) else None)


def _figures(f):
    return {k: f.get(k) for k in Figures.model_fields}


def _sections(rows):
    return [{**{k: s[k] for k in ("section", "label", "title", "pre", "post", "weak", "url")}, "items": s["items"]}
            for s in rows]


@router.get("/analytics/dashboard", response={200: DashboardOut, **refusals(401, 403)},
             summary="ภาพรวมประเทศ: การอบรม ผู้ทดสอบ คะแนนที่เพิ่มขึ้น อันดับจังหวัด")
def dashboard(request, fy: int | None = None, q: int | None = None, region: str | None = None,
              rank: str = "post_mean"):
    _user(request)
    d = national_dashboard(_period(fy, q), region=region or None, rank_by=rank)
    return {"period": d["period"].label, "region": region, "totals": _figures(d["totals"]),
            "hist_pre": d["totals"]["hist_pre"], "hist_post": d["totals"]["hist_post"],
            "provinces": [{**_figures(p), "rank": p["rank"], "province": p["province"]} for p in d["provinces"]],
            "sections": _sections(d["sections"])}


@router.get("/analytics/provinces/{province}", response={200: ProvinceOut, **refusals(401, 403, 404)},
             summary="ผลของจังหวัดหนึ่ง")
def province(request, province: str, fy: int | None = None, q: int | None = None):
    user = _user(request, lambda u: access.can_see_province(u, province_key(province)))
    r = province_report(province, _period(fy, q), unit_ids=access.province_unit_ids(user, province_key(province)))
    if not r["sessions"] and not Unit.objects.filter(province=province_key(province)).exists():
        raise HttpError(404, "ไม่พบจังหวัดนี้")
    return {"province": r["province"], "period": r["period"].label, "totals": _figures(r["totals"]),
            "sessions": [{"id": s["session"].pk, "title": s["session"].title, "date": s["session"].date.isoformat(),
                          **_figures(s)} for s in r["sessions"]],
            "sections": _sections(r["sections"])}


@router.get("/analytics/sessions/{session_id}", response={200: SessionReportOut, **refusals(401, 403, 404)},
             summary="ผลของการอบรมหนึ่งครั้ง")
def session(request, session_id: int):
    s = get_object_or_404(TrainingSession.objects.select_related("unit"), pk=session_id)
    _user(request, lambda u: access.can_see_unit(u, s.unit_id))
    r = session_report(s)
    keep = ("n", "pct", "passed", "pass_rate", "pass_mark", "hist")
    return {"id": s.pk, "title": s.title, "unit": str(s.unit), "date": s.date.isoformat(),
            "pre": {k: r[PRE][k] for k in keep}, "post": {k: r[POST][k] for k in keep},
            "paired": {k: v for k, v in r["paired"].items() if k != "gains"}, "wilcoxon": r["wilcoxon"],
            "significance": r["significance"], "sections": _sections(r["sections"]),
            "people": [{k: p[k] for k in ("name", "pre_pct", "post_pct", "gain", "g", "passed")} for p in r["people"]]}


@router.get("/analytics/forms/{form_id}/items", response={200: ItemAnalysisOut, **refusals(401, 403, 404, 413)},
             summary="วิเคราะห์ข้อสอบของแบบทดสอบ")
def items(request, form_id: int, session: int | None = None, kind: str | None = None, fy: int | None = None):
    user = _user(request)
    form = get_object_or_404(TestForm, pk=form_id)
    attempts = Attempt.objects.filter(form=form)
    if session:
        s = get_object_or_404(TrainingSession, pk=session)
        if not access.can_see_unit(user, s.unit_id):
            raise HttpError(403, "ไม่มีสิทธิ์ดูข้อมูลนี้")
        attempts = attempts.filter(session=s)
    else:
        visible = access.visible_unit_ids(user)
        if visible is not None:
            attempts = attempts.filter(unit_id__in=visible)
        if fy:
            attempts = _period(fy, None).attempts(attempts)
    if kind in (PRE, POST, STAFF):
        attempts = attempts.filter(kind=kind)
    if attempts.count() > 200_000:
        raise HttpError(413, "ชุดข้อมูลใหญ่เกินไป กรุณาระบุการอบรมหรือปีงบประมาณ")
    r = item_analysis_for(attempts)
    return {"form": form.title, "n": r["n"], "k": r["k"], "kr20": r["kr20"], "complete": r["complete"],
            "items": [{"question": i.question.question.key, "text": i.question.text, "n": i.n,
                       "difficulty": i.difficulty, "point_biserial": i.point_biserial,
                       "discrimination": i.discrimination,
                       "options": {("" if o is None else o): s for o, s in i.options.items()}, "flags": i.flags}
                      for i in r["items"]]}


@router.get("/certificates/{token}", response={200: CertificateOut, **refusals(404)}, summary="ตรวจสอบวุฒิบัตร (สาธารณะ)")
def certificate(request, token: str):
    code = Certificate.code_from_token(token)
    cert = Certificate.objects.select_related("attempt").filter(code=code).first() if code else None
    if cert is None:
        return Status(404, {"detail": "ไม่พบวุฒิบัตร"})
    return {"number": cert.number, "name": cert.name, "training": cert.training, "unit": cert.unit_name,
            "date": cert.training_date.isoformat(), "valid": cert.valid, "status": cert.status_text}
