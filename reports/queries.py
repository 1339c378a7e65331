"""Aggregates over the assessments tables, in SQL.

Attempts store their totals and per-chapter sub-scores, so nothing here re-grades:

* a session's report reads its attempts and sub-scores directly (one session is at
  most a few hundred people);
* provincial and national figures add up ``SessionSummary`` / ``SectionSummary`` rows,
  one per session. Before reading, ``refresh_summaries`` compares each session's
  fingerprint (count, newest id, Σ participant ids, Σ scores, last regrade of its
  attempts) with the stored one and recomputes, set-based, only sessions that changed.

Percentages are per attempt (100 · score / max_score), so forms of different lengths add
up fairly; gains are in percentage points.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from accounts.models import Unit
from assessments.models import (
    POST, PRE, REPORT_SECTION, STAFF, Answer, Attempt, SubScore, TrainingSession, section_label,
)
from knowledge.models import Chapter, Item, KMReport

from volunteerkm.thai import thai_digits, thai_month_year

from . import stats
from .models import BINS, SectionSummary, SessionSummary

CENTRAL = "ส่วนกลาง"  # units without a province
WEAK_COUNT = 3


# --------------------------------------------------------------------------- periods

@dataclass(frozen=True)
class Period:
    """A span of training dates, inclusive. ``fiscal_year`` is the Thai government fiscal
    year in the Buddhist Era (ปีงบประมาณ ๒๕๖๙ = 1 Oct 2025 – 30 Sep 2026)."""

    start: date | None = None
    end: date | None = None
    label: str = "ทุกช่วงเวลา"

    @classmethod
    def fiscal(cls, be_year: int | None, quarter: int | None = None):
        if not be_year:
            return cls()
        ce = be_year - 543
        start, end = date(ce - 1, 10, 1), date(ce, 9, 30)
        label = f"ปีงบประมาณ {thai_digits(be_year)}"
        if quarter in (1, 2, 3, 4):
            y, m = [(ce - 1, 10), (ce, 1), (ce, 4), (ce, 7)][quarter - 1]
            start = date(y, m, 1)
            end = date(y + (m + 3 > 12), (m + 3 - 1) % 12 + 1, 1) - timedelta(days=1)
            label += f" ไตรมาส {thai_digits(quarter)}"
        return cls(start, end, label)

    def sessions(self, qs):
        if self.start:
            qs = qs.filter(date__gte=self.start)
        if self.end:
            qs = qs.filter(date__lte=self.end)
        return qs

    def attempts(self, qs):
        tz = timezone.get_current_timezone()
        if self.start:
            qs = qs.filter(submitted_at__gte=datetime.combine(self.start, time.min, tz))
        if self.end:
            qs = qs.filter(submitted_at__lt=datetime.combine(self.end + timedelta(days=1), time.min, tz))
        return qs

    @property
    def params(self):
        return {"start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None, "label": self.label}

    @classmethod
    def from_params(cls, p):
        return cls(date.fromisoformat(p["start"]) if p.get("start") else None,
                   date.fromisoformat(p["end"]) if p.get("end") else None, p.get("label", "ทุกช่วงเวลา"))


def fiscal_year_of(d: date) -> int:
    """The Buddhist-Era fiscal year a date falls in."""
    return d.year + 543 + (1 if d.month >= 10 else 0)


# --------------------------------------------------------------------------- summaries

def _f(v):
    """A number from raw SQL as float (PostgreSQL returns numeric sums as Decimal)."""
    return 0.0 if v is None else float(v)


def table_name(model):
    return connection.ops.quote_name(model._meta.db_table)


def _fingerprints(session_qs) -> dict:
    rows = (Attempt.objects.filter(session__in=session_qs.values("id"), kind__in=[PRE, POST])
            .values("session_id")
            .annotate(n=Count("id"), last=Max("id"), people=Sum("participant_id"), total=Sum("score"),
                      regraded=Max("regraded_at"))
            .order_by())
    return {r["session_id"]: f'{r["n"]}:{r["last"]}:{r["people"]}:{r["total"]}:'
                             f'{r["regraded"].timestamp() if r["regraded"] else 0}' for r in rows}


def refresh_summaries(session_qs) -> int:
    """Bring the summaries of the sessions in ``session_qs`` up to date; returns how many
    sessions were recomputed."""
    current = _fingerprints(session_qs)
    stored = dict(SessionSummary.objects.filter(session__in=session_qs.values("id"))
                  .values_list("session_id", "fingerprint"))
    gone = [sid for sid in stored if sid not in current]
    if gone:
        SessionSummary.objects.filter(session_id__in=gone).delete()
        SectionSummary.objects.filter(session_id__in=gone).delete()
    stale = [sid for sid, fp in current.items() if stored.get(sid) != fp]
    for i in range(0, len(stale), 500):
        chunk = stale[i:i + 500]
        _compute(chunk, {sid: current[sid] for sid in chunk})
    return len(stale)


def _compute(ids, fingerprints):
    attempt, subscore = table_name(Attempt), table_name(SubScore)
    marks = ",".join(["%s"] * len(ids))
    rows = {sid: SessionSummary(session_id=sid, fingerprint=fingerprints[sid], hist_pre=[0] * BINS,
                                hist_post=[0] * BINS) for sid in ids}
    # bin i holds i·10 % ≤ pct < (i+1)·10 %, the last bin also 100 %: integer comparisons, no rounding
    bins = ", ".join(
        f"SUM(CASE WHEN score * {BINS} >= max_score * {i} AND score * {BINS} < max_score * {i + 1} THEN 1 ELSE 0 END)"
        if i < BINS - 1 else f"SUM(CASE WHEN score * {BINS} >= max_score * {i} THEN 1 ELSE 0 END)"
        for i in range(BINS))
    with connection.cursor() as cur:
        cur.execute(f"""
            SELECT session_id, kind, COUNT(*), SUM(100.0 * score / max_score),
                   SUM((100.0 * score / max_score) * (100.0 * score / max_score)),
                   SUM(CASE WHEN passed THEN 1 ELSE 0 END), {bins}
            FROM {attempt}
            WHERE session_id IN ({marks}) AND kind IN (%s, %s) AND max_score > 0
            GROUP BY session_id, kind""", [*ids, PRE, POST])
        for sid, kind, n, s, ss, passed, *hist in cur.fetchall():
            r, s, ss = rows[sid], _f(s), _f(ss)
            setattr(r, f"{kind}_n", n)
            setattr(r, f"{kind}_sum_pct", s or 0)
            setattr(r, f"{kind}_sumsq_pct", ss or 0)
            setattr(r, f"{kind}_passed", passed or 0)
            setattr(r, f"hist_{kind}", [int(h or 0) for h in hist])
        pre_pct = "(100.0 * a.score / a.max_score)"
        post_pct = "(100.0 * b.score / b.max_score)"
        cur.execute(f"""
            SELECT a.session_id, COUNT(*), SUM({pre_pct}), SUM({post_pct}),
                   SUM(({post_pct} - {pre_pct}) * ({post_pct} - {pre_pct})),
                   SUM(CASE WHEN b.score * a.max_score > a.score * b.max_score THEN 1 ELSE 0 END),
                   SUM(CASE WHEN b.passed THEN 1 ELSE 0 END),
                   SUM(CASE WHEN a.score < a.max_score THEN ({post_pct} - {pre_pct}) / (100.0 - {pre_pct}) ELSE 0 END),
                   SUM(CASE WHEN a.score < a.max_score THEN 1 ELSE 0 END)
            FROM {attempt} a JOIN {attempt} b ON b.participant_id = a.participant_id AND b.kind = %s
            WHERE a.session_id IN ({marks}) AND a.kind = %s AND a.max_score > 0 AND b.max_score > 0
            GROUP BY a.session_id""", [POST, *ids, PRE])
        for sid, n, s_pre, s_post, ss_gain, improved, post_passed, s_g, n_g in cur.fetchall():
            r = rows[sid]
            s_pre, s_post, ss_gain, s_g = _f(s_pre), _f(s_post), _f(ss_gain), _f(s_g)
            r.pair_n, r.pair_sum_pre, r.pair_sum_post, r.pair_sumsq_gain = n, s_pre or 0, s_post or 0, ss_gain or 0
            r.pair_improved, r.pair_post_passed, r.pair_sum_g, r.pair_n_g = improved or 0, post_passed or 0, s_g or 0, n_g or 0
        cur.execute(f"""
            SELECT a.session_id, a.kind, s.section, SUM(s.score), SUM(s.max_score)
            FROM {subscore} s JOIN {attempt} a ON a.id = s.attempt_id
            WHERE a.session_id IN ({marks}) AND a.kind IN (%s, %s)
            GROUP BY a.session_id, a.kind, s.section""", [*ids, PRE, POST])
        sections = [SectionSummary(session_id=sid, kind=kind, section=section, score=score or 0, max_score=mx or 0)
                    for sid, kind, section, score, mx in cur.fetchall()]
    fields = [f.name for f in SessionSummary._meta.concrete_fields if f.name not in ("session", "computed_at")]
    with transaction.atomic():
        SectionSummary.objects.filter(session_id__in=ids).delete()
        SessionSummary.objects.bulk_create(rows.values(), update_conflicts=True, unique_fields=["session"],
                                           update_fields=fields + ["computed_at"])
        SectionSummary.objects.bulk_create(sections, batch_size=2000, update_conflicts=True,
                                           unique_fields=["session", "kind", "section"],
                                           update_fields=["score", "max_score"])


# --------------------------------------------------------------------------- derived figures

SUM_FIELDS = ["pre_n", "pre_sum_pct", "pre_sumsq_pct", "pre_passed", "post_n", "post_sum_pct", "post_sumsq_pct",
              "post_passed", "pair_n", "pair_sum_pre", "pair_sum_post", "pair_sumsq_gain", "pair_improved",
              "pair_post_passed", "pair_sum_g", "pair_n_g"]


def _sd(n, s, ss):
    if not n or n < 2:
        return None
    var = (ss - s * s / n) / (n - 1)
    return math.sqrt(var) if var > 0 else 0.0


def figures(t: dict) -> dict:
    """Means, rates and gains from summed sufficient statistics."""
    f = {k: t.get(k) or 0 for k in SUM_FIELDS}
    f["trainings"] = t.get("trainings") or 0
    f["pre_mean"] = f["pre_sum_pct"] / f["pre_n"] if f["pre_n"] else None
    f["post_mean"] = f["post_sum_pct"] / f["post_n"] if f["post_n"] else None
    f["pre_sd"] = _sd(f["pre_n"], f["pre_sum_pct"], f["pre_sumsq_pct"])
    f["post_sd"] = _sd(f["post_n"], f["post_sum_pct"], f["post_sumsq_pct"])
    f["pre_pass_rate"] = f["pre_passed"] / f["pre_n"] if f["pre_n"] else None
    f["post_pass_rate"] = f["post_passed"] / f["post_n"] if f["post_n"] else None
    n = f["pair_n"]
    f["pair_pre_mean"] = f["pair_sum_pre"] / n if n else None
    f["pair_post_mean"] = f["pair_sum_post"] / n if n else None
    f["mean_gain"] = (f["pair_sum_post"] - f["pair_sum_pre"]) / n if n else None
    f["gain_sd"] = _sd(n, f["pair_sum_post"] - f["pair_sum_pre"], f["pair_sumsq_gain"])
    f["hake_g"] = stats.hake_g(f["pair_pre_mean"], f["pair_post_mean"])
    f["mean_g"] = f["pair_sum_g"] / f["pair_n_g"] if f["pair_n_g"] else None
    f["improved_rate"] = f["pair_improved"] / n if n else None
    f["people"] = max(f["pre_n"], f["post_n"])
    return f


def _sum_annotations():
    return {k: Sum(k) for k in SUM_FIELDS}


def totals_of(summary_qs) -> dict:
    """Figures and the score distribution of a set of session summaries."""
    t = summary_qs.aggregate(trainings=Count("session_id"), **_sum_annotations())
    f = figures(t)
    pre, post = [0] * BINS, [0] * BINS
    for hp, hq in summary_qs.values_list("hist_pre", "hist_post"):
        for i, v in enumerate(hp or []):
            pre[i] += v
        for i, v in enumerate(hq or []):
            post[i] += v
    f["hist_pre"], f["hist_post"] = pre, post
    return f


def _grouped(summary_qs, key, expr=None) -> list[dict]:
    """Sums per group; ``key`` is a field path, or a name for ``expr`` (e.g. a month)."""
    if expr is not None:
        summary_qs = summary_qs.annotate(**{key: expr})
    rows = summary_qs.values(key).annotate(trainings=Count("session_id"), **_sum_annotations()).order_by()
    out = []
    for r in rows:
        f = figures(r)
        f["key"] = r[key]
        out.append(f)
    return out


def section_rows(section_qs, weak_count: int = WEAK_COUNT, report=None) -> list[dict]:
    """Mastery per section before and after, weakest (lowest after, else before) marked
    and linked to its knowledge items."""
    agg = defaultdict(lambda: {PRE: [0, 0], POST: [0, 0]})
    for r in section_qs.values("kind", "section").annotate(s=Sum("score"), m=Sum("max_score")).order_by():
        agg[r["section"]][r["kind"]] = [r["s"] or 0, r["m"] or 0]
    return _sections_out(agg, weak_count, report)


def _chapter_map(report=None):
    qs = Chapter.objects.select_related("report")
    if report is not None:
        qs = qs.filter(report=report)
    chapters = {}
    for c in qs.order_by("report_id", "number"):
        chapters.setdefault(str(c.number), c)  # the main report first
    return chapters


def _sections_out(agg, weak_count, report=None):
    chapters = _chapter_map(report)
    out = []
    for section, kinds in agg.items():
        pre = 100 * kinds[PRE][0] / kinds[PRE][1] if kinds[PRE][1] else None
        post = 100 * kinds[POST][0] / kinds[POST][1] if kinds[POST][1] else None
        chapter = chapters.get(section)
        out.append({
            "section": section,
            "label": section_label(section),
            "title": chapter.title if chapter and section != REPORT_SECTION else "เนื้อหารายงาน KM",
            "chapter": chapter if section != REPORT_SECTION else None,
            "url": chapter.get_absolute_url() if chapter and section != REPORT_SECTION else "",
            "pre": pre, "post": post,
            "delta": post - pre if pre is not None and post is not None else None,
            "pre_score": kinds[PRE], "post_score": kinds[POST],
            "weak": False, "items": [],
        })
    out.sort(key=lambda r: (r["section"] == REPORT_SECTION, int(r["section"]) if r["section"].isdigit() else 0))
    ranked = sorted([r for r in out if (r["post"] if r["post"] is not None else r["pre"]) is not None],
                    key=lambda r: r["post"] if r["post"] is not None else r["pre"])
    weak = ranked[:weak_count]
    items_by_chapter = defaultdict(list)
    chapter_ids = [r["chapter"].id for r in weak if r["chapter"]]
    for item in Item.objects.published().filter(chapter_id__in=chapter_ids).select_related("chapter__report"):
        items_by_chapter[item.chapter_id].append({"title": item.title, "url": item.get_absolute_url()})
    for r in weak:
        r["weak"] = True
        if r["chapter"]:
            r["items"] = items_by_chapter[r["chapter"].id]
        elif r["section"] == REPORT_SECTION:
            km = KMReport.objects.main()
            r["url"] = km.get_absolute_url() if km else ""
    return out


def province_label(p):
    return p or CENTRAL


# --------------------------------------------------------------------------- dashboards

def sessions_in(period: Period, unit_ids=None, province=None, region=None):
    """Training sessions dated in ``period`` (of some units, a province or a region)."""
    qs = period.sessions(TrainingSession.objects.all())
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    if province is not None:
        qs = qs.filter(unit__province=province)
    if region:
        qs = qs.filter(unit__region=region)
    return qs


RANK_KEYS = {
    "post_mean": "คะแนนเฉลี่ยหลังอบรม",
    "mean_gain": "คะแนนที่เพิ่มขึ้น",
    "hake_g": "ค่าความก้าวหน้า (g)",
    "post_pass_rate": "อัตราผ่านเกณฑ์หลังอบรม",
    "people": "จำนวนผู้ทดสอบ",
}


def national_dashboard(period: Period = Period(), region: str | None = None, rank_by: str = "post_mean",
                       refresh: bool = True) -> dict:
    """Trainings held, people tested, average gain, pass rates, weakest chapters and a
    ranked table of provinces for the period (optionally one region)."""
    sessions = sessions_in(period, region=region)
    if refresh:
        refresh_summaries(sessions)
    summaries = SessionSummary.objects.filter(session__in=sessions.values("id"))
    totals = totals_of(summaries)
    provinces = _grouped(summaries, "session__unit__province")
    for p in provinces:
        p["province"] = province_label(p["key"])
    rank_by = rank_by if rank_by in RANK_KEYS else "post_mean"
    provinces.sort(key=lambda p: (p[rank_by] is None, -(p[rank_by] or 0), p["province"]))
    for i, p in enumerate(provinces, start=1):
        p["rank"] = i
    months = _grouped(summaries, "month", TruncMonth("session__date"))
    months.sort(key=lambda m: m["key"] or date.min)
    for m in months:
        m["label"] = _month_label(m["key"])
    sections = section_rows(SectionSummary.objects.filter(session__in=sessions.values("id")))
    return {"period": period, "region": region, "totals": totals, "provinces": provinces, "months": months,
            "sections": sections, "rank_by": rank_by, "rank_label": RANK_KEYS[rank_by],
            "weakest": [s for s in sections if s["weak"]]}


def province_report(province: str, period: Period = Period(), refresh: bool = True) -> dict:
    """One province (every unit whose province it is): totals, units, sessions, months, chapters."""
    province_key = "" if province == CENTRAL else province
    sessions = sessions_in(period, province=province_key)
    if refresh:
        refresh_summaries(sessions)
    summaries = SessionSummary.objects.filter(session__in=sessions.values("id"))
    totals = totals_of(summaries)
    units = _grouped(summaries, "session__unit_id")
    names = {u.id: u for u in Unit.objects.filter(id__in=[u["key"] for u in units])}
    for u in units:
        u["unit"] = names.get(u["key"])
    units.sort(key=lambda u: str(u["unit"]))
    session_rows = []
    for s in summaries.select_related("session__unit").order_by("-session__date", "-session_id"):
        f = figures({k: getattr(s, k) for k in SUM_FIELDS})
        f["session"] = s.session
        session_rows.append(f)
    months = _grouped(summaries, "month", TruncMonth("session__date"))
    months.sort(key=lambda m: m["key"] or date.min)
    for m in months:
        m["label"] = _month_label(m["key"])
    sections = section_rows(SectionSummary.objects.filter(session__in=sessions.values("id")))
    return {"province": province_label(province_key), "period": period, "totals": totals, "units": units,
            "sessions": session_rows, "months": months, "sections": sections,
            "weakest": [s for s in sections if s["weak"]]}


def _month_label(d):
    return thai_month_year(d) if d is not None else "–"


# --------------------------------------------------------------------------- one session

def session_report(session: TrainingSession) -> dict:
    """Everything about one training session, computed from its attempts and sub-scores."""
    attempts = list(Attempt.objects.filter(session=session, kind__in=[PRE, POST])
                    .values("id", "participant_id", "participant__name", "kind", "score", "max_score", "passed",
                            "pass_mark", "submitted_at").order_by())
    by_kind = {PRE: {}, POST: {}}
    names = {}
    for a in attempts:
        if not a["max_score"]:
            continue
        a["pct"] = 100.0 * a["score"] / a["max_score"]
        by_kind[a["kind"]][a["participant_id"]] = a
        names[a["participant_id"]] = a["participant__name"]
    out = {"session": session, "unit": session.unit}
    for kind in (PRE, POST):
        rows = list(by_kind[kind].values())
        pcts = [r["pct"] for r in rows]
        out[kind] = {
            "n": len(rows),
            "pct": stats.describe(pcts),
            "score": stats.describe([r["score"] for r in rows]),
            "max_score": max((r["max_score"] for r in rows), default=None),
            "passed": sum(1 for r in rows if r["passed"]),
            "pass_rate": (sum(1 for r in rows if r["passed"]) / len(rows)) if rows else None,
            "pass_mark": rows[0]["pass_mark"] if rows else session.form_for(kind).pass_mark,
            "hist": [b["count"] for b in stats.percent_histogram(pcts)],
        }
    people = []
    for pid in sorted(names, key=lambda p: (names[p], p)):
        pre, post = by_kind[PRE].get(pid), by_kind[POST].get(pid)
        people.append({
            "participant_id": pid, "name": names[pid],
            "pre": pre["score"] if pre else None, "pre_max": pre["max_score"] if pre else None,
            "pre_pct": pre["pct"] if pre else None,
            "post": post["score"] if post else None, "post_max": post["max_score"] if post else None,
            "post_pct": post["pct"] if post else None,
            "gain": post["pct"] - pre["pct"] if pre and post else None,
            "g": stats.individual_g(pre["pct"], post["pct"]) if pre and post else None,
            "passed": bool(post and post["passed"]),
            "post_attempt_id": post["id"] if post else None,
        })
    paired = [p for p in people if p["gain"] is not None]
    pre_p, post_p = [p["pre_pct"] for p in paired], [p["post_pct"] for p in paired]
    gains = [p["gain"] for p in paired]
    gd = stats.describe(gains)
    pre_mean = sum(pre_p) / len(pre_p) if pre_p else None
    post_mean = sum(post_p) / len(post_p) if post_p else None
    gs = [p["g"] for p in paired if p["g"] is not None]
    out["people"] = people
    out["paired"] = {
        "n": len(paired), "pre_mean": pre_mean, "post_mean": post_mean,
        "mean_gain": gd["mean"], "median_gain": gd["median"], "sd_gain": gd["sd"],
        "hake_g": stats.hake_g(pre_mean, post_mean), "mean_g": sum(gs) / len(gs) if gs else None,
        "improved": sum(1 for g in gains if g > 0), "same": sum(1 for g in gains if g == 0),
        "worse": sum(1 for g in gains if g < 0), "gains": gains,
    }
    out["wilcoxon"] = stats.wilcoxon(pre_p, post_p) if paired else stats.wilcoxon([], [])
    out["significance"] = stats.significance_text(out["wilcoxon"]["pvalue"])
    agg = defaultdict(lambda: {PRE: [0, 0], POST: [0, 0]})
    for r in (SubScore.objects.filter(attempt__session=session, attempt__kind__in=[PRE, POST])
              .values("attempt__kind", "section").annotate(s=Sum("score"), m=Sum("max_score")).order_by()):
        agg[r["section"]][r["attempt__kind"]] = [r["s"] or 0, r["m"] or 0]
    out["sections"] = _sections_out(agg, WEAK_COUNT)
    out["weakest"] = [s for s in out["sections"] if s["weak"]]
    out["certificates_due"] = sum(1 for p in people if p["passed"])
    return out


# --------------------------------------------------------------------------- staff tests

def staff_results(period: Period = Period(), unit_ids=None, region: str | None = None) -> dict:
    """Staff-test results per unit: people, attempts, mean, pass rate, per-section mastery."""
    qs = period.attempts(Attempt.objects.filter(kind=STAFF, max_score__gt=0))
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    if region:
        qs = qs.filter(unit__region=region)
    attempt, subscore = table_name(Attempt), table_name(SubScore)
    ids_sql, ids_params = qs.values("id").query.sql_with_params()
    units = {}
    with connection.cursor() as cur:
        cur.execute(f"""
            SELECT unit_id, COUNT(*), COUNT(DISTINCT user_id), SUM(100.0 * score / max_score),
                   SUM((100.0 * score / max_score) * (100.0 * score / max_score)),
                   SUM(CASE WHEN passed THEN 1 ELSE 0 END)
            FROM {attempt} WHERE id IN ({ids_sql}) GROUP BY unit_id""", ids_params)
        for unit_id, n, people, s, ss, passed in cur.fetchall():
            s, ss = _f(s), _f(ss)
            units[unit_id] = {"unit_id": unit_id, "attempts": n, "people": people, "mean": s / n,
                              "sd": _sd(n, s, ss), "passed": passed, "pass_rate": passed / n, "sections": {}}
        cur.execute(f"""
            SELECT a.unit_id, s.section, SUM(s.score), SUM(s.max_score)
            FROM {subscore} s JOIN {attempt} a ON a.id = s.attempt_id
            WHERE a.id IN ({ids_sql}) GROUP BY a.unit_id, s.section""", ids_params)
        overall = defaultdict(lambda: [0, 0])
        for unit_id, section, s, m in cur.fetchall():
            units[unit_id]["sections"][section] = 100 * s / m if m else None
            overall[section][0] += s or 0
            overall[section][1] += m or 0
    names = {u.id: u for u in Unit.objects.filter(id__in=[k for k in units if k is not None])}
    rows = []
    for unit_id, r in units.items():
        unit = names.get(unit_id)
        r["unit"] = unit
        r["province"] = province_label(unit.province) if unit else CENTRAL
        known = {k: v for k, v in r["sections"].items() if v is not None}
        weakest = min(known, key=known.get) if known else None
        r["weakest"] = section_label(weakest) if weakest else ""
        rows.append(r)
    rows.sort(key=lambda r: (-r["mean"], str(r["unit"])))
    agg = {sec: {PRE: [0, 0], POST: v} for sec, v in overall.items()}
    sections = _sections_out(agg, WEAK_COUNT)
    n = sum(r["attempts"] for r in rows)
    return {
        "period": period, "units": rows, "sections": sections,
        "attempts": n, "people": sum(r["people"] for r in rows),
        "mean": sum(r["mean"] * r["attempts"] for r in rows) / n if n else None,
        "pass_rate": sum(r["passed"] for r in rows) / n if n else None,
        "section_keys": [s["section"] for s in sections],
    }


# --------------------------------------------------------------------------- item analysis

def answer_matrix(attempt_qs, progress=None):
    """The answers of a set of attempts as the item analysis needs them, streamed from
    the database into NumPy arrays: question versions in order of first position, a
    0/1 matrix with -1 where an attempt did not see a question, the chosen options
    ("" = blank), each version's right key and offered options, and each attempt's
    percentage score."""
    from assessments.models import QuestionVersion

    answer = table_name(Answer)
    ids_sql, ids_params = attempt_qs.values("id").query.sql_with_params()
    parts = {"a": [], "v": [], "c": [], "ok": [], "pos": []}
    read = 0
    with connection.cursor() as cur:
        cur.execute(f"SELECT attempt_id, version_id, chosen, correct, position FROM {answer} "
                    f"WHERE attempt_id IN ({ids_sql}) ORDER BY attempt_id", ids_params)
        while True:
            rows = cur.fetchmany(50_000)
            if not rows:
                break
            a, v, c, ok, pos = zip(*rows)  # arrays per chunk: the tuples do not pile up
            parts["a"].append(np.asarray(a, dtype=np.int64))
            parts["v"].append(np.asarray(v, dtype=np.int64))
            parts["c"].append(np.asarray([x or "" for x in c], dtype="<U1"))
            parts["ok"].append(np.asarray(ok, dtype=np.int8))
            parts["pos"].append(np.asarray(pos, dtype=np.int32))
            read += len(rows)
            if progress:
                progress(read)
    if not read:
        return {"attempt_ids": [], "versions": [], "matrix": np.zeros((0, 0), dtype=np.int8),
                "choices": np.zeros((0, 0), dtype="<U1"), "keys": [], "options": [], "pct": np.zeros(0)}
    a, v, chosen, correct, pos = (np.concatenate(parts[k]) for k in ("a", "v", "c", "ok", "pos"))
    version_ids, vcol = np.unique(v, return_inverse=True)
    first = np.full(len(version_ids), np.iinfo(np.int32).max, dtype=np.int32)
    np.minimum.at(first, vcol, pos)
    first_pos = dict(zip(version_ids.tolist(), first.tolist()))
    versions = {x.id: x for x in QuestionVersion.objects.filter(id__in=list(first_pos)).select_related("question")}
    order = sorted(first_pos, key=lambda x: (first_pos[x], versions[x].question.key))
    remap = np.empty(len(version_ids), dtype=np.int32)
    rank = {x: j for j, x in enumerate(order)}
    for i, x in enumerate(version_ids.tolist()):
        remap[i] = rank[x]
    cols = remap[vcol]
    attempt_ids, row = np.unique(a, return_inverse=True)
    matrix = np.full((len(attempt_ids), len(order)), -1, dtype=np.int8)
    matrix[row, cols] = correct
    choices = np.full((len(attempt_ids), len(order)), "", dtype="<U1")
    choices[row, cols] = chosen
    pct = {i: 100.0 * s / m for i, s, m in Attempt.objects.filter(id__in=attempt_qs.values("id"), max_score__gt=0)
           .values_list("id", "score", "max_score").order_by()}
    return {
        "attempt_ids": attempt_ids.tolist(), "versions": [versions[v] for v in order], "matrix": matrix,
        "choices": choices, "keys": [versions[v].correct for v in order],
        "options": [[o["key"] for o in versions[v].options] if versions[v].kind != "tf" else ["t", "f"]
                    for v in order],
        "pct": np.asarray([pct.get(i, 0.0) for i in attempt_ids.tolist()]),
    }


def item_analysis_for(attempt_qs, progress=None) -> dict:
    """Item analysis of the attempts in ``attempt_qs`` (one form; any set of attempts).

    When attempts saw different questions (a blueprint form drawn per session), each
    question is analysed over the attempts that saw it, against their percentage score,
    and KR-20 is left out: it needs everyone on the same questions."""
    data = answer_matrix(attempt_qs, progress)
    if data["matrix"].size == 0:
        return {"n": 0, "k": 0, "kr20": None, "items": [], "complete": True, "mean": None, "sd": None}
    complete = bool((data["matrix"] >= 0).all())
    if complete:
        result = stats.item_analysis(data["matrix"], questions=data["versions"], choices=data["choices"],
                                     keys=data["keys"], options=data["options"])
    else:
        result = _item_analysis_incomplete(data)
    result["complete"] = complete
    return result


def _item_analysis_incomplete(data):
    matrix, choices, totals = data["matrix"], data["choices"], data["pct"]
    upper, lower = stats.upper_lower_groups(totals.tolist())
    in_upper = np.zeros(len(totals), dtype=bool)
    in_upper[upper] = True
    in_lower = np.zeros(len(totals), dtype=bool)
    in_lower[lower] = True
    items = []
    for j, version in enumerate(data["versions"]):
        seen = matrix[:, j] >= 0
        x = matrix[seen, j].astype(float)
        c = choices[seen, j]
        up, lo = in_upper[seen], in_lower[seen]
        p = float(x.mean())
        r = stats.point_biserial(x, totals[seen])
        pu = float(x[up].mean()) if up.any() else None
        pl = float(x[lo].mean()) if lo.any() else None
        d = pu - pl if pu is not None and pl is not None else None
        opts = {}
        offered = data["options"][j]
        for o in list(offered) + [o for o in dict.fromkeys(c.tolist()) if o not in offered]:
            count = int((c == o).sum())
            if count == 0 and o not in offered:
                continue
            opts[None if o == "" else o] = {"count": count, "share": count / len(x), "upper": int((c[up] == o).sum()),
                                            "lower": int((c[lo] == o).sum()), "key": o == data["keys"][j]}
        items.append(stats.ItemStats(question=version, n=int(len(x)), difficulty=p, point_biserial=r,
                                     discrimination=d, p_upper=pu, p_lower=pl, options=opts,
                                     flags=stats.item_flags(p, r, d, opts, data["keys"][j])))
    return {"n": len(totals), "k": len(items), "kr20": None, "items": items,
            "mean": float(totals.mean()), "sd": float(totals.std(ddof=1)) if len(totals) > 1 else None}


# --------------------------------------------------------------------------- question bank flags

@dataclass
class BankFlags:
    question_id: int
    n: int
    difficulty: float | None
    point_biserial: float | None
    flags: list

    @property
    def labels(self):
        return [stats.FLAG_LABELS[f] for f in self.flags]

    @property
    def text(self):
        if self.n < MIN_ANSWERS_FOR_FLAGS:
            return f"ข้อมูลยังไม่พอ ({self.n} คำตอบ)"
        return "; ".join(self.labels) or "ปกติ"


MIN_ANSWERS_FOR_FLAGS = 20


def question_flags(question_ids=None, min_answers: int = MIN_ANSWERS_FOR_FLAGS) -> dict[int, BankFlags]:
    """Per question of the bank, over every answer it ever got: share right (p), the
    point-biserial correlation of being right with the attempt's percentage score (from
    sums, in SQL), and the flags of ``reports.stats``. Questions with fewer than
    ``min_answers`` answers get no flags. For the admin's question list."""
    answer, attempt = table_name(Answer), table_name(Attempt)
    where, params = "a.max_score > 0", []
    if question_ids is not None:
        question_ids = list(question_ids)
        if not question_ids:
            return {}
        where += f" AND ans.question_id IN ({','.join(['%s'] * len(question_ids))})"
        params = question_ids
    x = "(CASE WHEN ans.correct THEN 1.0 ELSE 0.0 END)"
    y = "(100.0 * a.score / a.max_score)"
    out = {}
    with connection.cursor() as cur:
        cur.execute(f"""
            SELECT ans.question_id, COUNT(*), SUM({x}), SUM({y}), SUM({y} * {y}), SUM({x} * {y})
            FROM {answer} ans JOIN {attempt} a ON a.id = ans.attempt_id
            WHERE {where} GROUP BY ans.question_id""", params)
        for qid, n, sx, sy, syy, sxy in cur.fetchall():
            sx, sy, syy, sxy = _f(sx), _f(sy), _f(syy), _f(sxy)
            p = sx / n
            vx = sx / n - p * p
            vy = syy / n - (sy / n) ** 2
            r = (sxy / n - p * sy / n) / math.sqrt(vx * vy) if vx > 1e-12 and vy > 1e-9 else None
            flags = stats.item_flags(p, r) if n >= min_answers else []
            out[qid] = BankFlags(qid, n, p, r, flags)
    return out


def question_flags_cached(timeout: int = 600) -> dict[int, BankFlags]:
    """``question_flags()`` for every question, kept in the cache for ``timeout`` seconds:
    what the admin's question list shows (one query over all answers, not one per row)."""
    from django.core.cache import cache

    flags = cache.get("reports:question-flags")
    if flags is None:
        flags = question_flags()
        cache.set("reports:question-flags", flags, timeout)
    return flags


def question_flag_text(question_id) -> str:
    """One line for the admin's question list: the flags, "ปกติ", too few answers, or none yet."""
    f = question_flags_cached().get(question_id)
    return f.text if f else "ยังไม่มีผู้ตอบ"
