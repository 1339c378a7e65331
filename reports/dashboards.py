"""The national and provincial dashboards: trainings held, people tested, gains, pass
rates, months, weakest chapters, and provinces ranked (or a province's units and
sessions), all added up from the per-session summaries."""
from __future__ import annotations

from datetime import date

from django.db.models.functions import TruncMonth

from accounts.models import Unit
from assessments.models import TrainingSession
from volunteerkm.thai import thai_month_year

from .models import SectionSummary, SessionSummary
from .periods import ALL_TIME, Period
from .provinces import province_key, province_label
from .sections import section_rows
from .summaries import grouped, refresh_summaries, summary_figures, totals_of

RANK_KEYS = {
    "post_mean": "คะแนนเฉลี่ยหลังอบรม",
    "mean_gain": "คะแนนที่เพิ่มขึ้น",
    "hake_g": "ค่าความก้าวหน้า (g)",
    "post_pass_rate": "อัตราผ่านเกณฑ์หลังอบรม",
    "people": "จำนวนผู้ทดสอบ",
}


def sessions_in(period: Period, unit_ids=None, province=None, region=None):
    """Training sessions dated in ``period`` (of some units, a stored province or a region)."""
    qs = period.sessions(TrainingSession.objects.all())
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    if province is not None:
        qs = qs.filter(unit__province=province)
    if region:
        qs = qs.filter(unit__region=region)
    return qs


def overview(sessions, refresh: bool = True):
    """The summaries of ``sessions`` (brought up to date first unless ``refresh`` is off), and
    what every dashboard and set export shows of them: totals with the score distribution,
    sections and the weakest sections."""
    if refresh:
        refresh_summaries(sessions)
    summaries = SessionSummary.objects.filter(session__in=sessions.values("id"))
    sections = section_rows(SectionSummary.objects.filter(session__in=sessions.values("id")))
    return summaries, {"totals": totals_of(summaries), "sections": sections,
                       "weakest": [s for s in sections if s["weak"]]}


def _months(summaries) -> list[dict]:
    months = grouped(summaries, "month", TruncMonth("session__date"))
    months.sort(key=lambda m: m["key"] or date.min)
    for m in months:
        m["label"] = thai_month_year(m["key"]) if m["key"] is not None else "–"
    return months


def national_dashboard(period: Period = ALL_TIME, region: str | None = None, rank_by: str = "post_mean",
                       refresh: bool = True) -> dict:
    """Trainings held, people tested, average gain, pass rates, weakest chapters and a
    ranked table of provinces for the period (optionally one region)."""
    summaries, shown = overview(sessions_in(period, region=region), refresh)
    provinces = grouped(summaries, "session__unit__province")
    for p in provinces:
        p["province"] = province_label(p["key"])
    rank_by = rank_by if rank_by in RANK_KEYS else "post_mean"
    provinces.sort(key=lambda p: (p[rank_by] is None, -(p[rank_by] or 0), p["province"]))
    for i, p in enumerate(provinces, start=1):
        p["rank"] = i
    return {"period": period, "region": region, "provinces": provinces, "months": _months(summaries),
            "rank_by": rank_by, "rank_label": RANK_KEYS[rank_by], **shown}


def province_report(province: str, period: Period = ALL_TIME, refresh: bool = True, unit_ids=None) -> dict:
    """One province, by its shown name (every unit whose province it is, or only those of
    ``unit_ids``, ``partial`` saying whether that leaves some out): totals, units, sessions,
    months, chapters."""
    stored = province_key(province)
    summaries, shown = overview(sessions_in(period, unit_ids=unit_ids, province=stored), refresh)
    units = grouped(summaries, "session__unit_id")
    names = {u.id: u for u in Unit.objects.filter(id__in=[u["key"] for u in units])}
    for u in units:
        u["unit"] = names.get(u["key"])
    units.sort(key=lambda u: str(u["unit"]))
    sessions = []
    for s in summaries.select_related("session__unit").order_by("-session__date", "-session_id"):
        f = summary_figures(s)
        f["session"] = s.session
        sessions.append(f)
    partial = unit_ids is not None and Unit.objects.filter(province=stored).exclude(id__in=unit_ids).exists()
    return {"province": province_label(stored), "period": period, "units": units, "sessions": sessions,
            "months": _months(summaries), "partial": partial, **shown}
