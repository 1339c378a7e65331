"""Per-session summaries and the figures derived from them.

Provincial and national figures add up ``SessionSummary`` / ``SectionSummary`` rows, one
per session. Before reading, ``refresh_summaries`` compares each session's fingerprint
(count, newest id, Σ participant ids, Σ scores, last regrade of its attempts) with the
stored one and recomputes, set-based and in SQL, only sessions that changed. Attempts
store their totals and per-chapter sub-scores, so nothing here re-grades.

Percentages are per attempt (100 · score / max_score), so forms of different lengths add
up fairly; gains are in percentage points.
"""
from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count, Max, Sum

from assessments.models import POST, PRE, Attempt, SubScore

from . import stats
from .models import BINS, SectionSummary, SessionSummary
from .sql import as_float, table_name

SUM_FIELDS = ["pre_n", "pre_sum_pct", "pre_sumsq_pct", "pre_passed", "post_n", "post_sum_pct", "post_sumsq_pct",
              "post_passed", "pair_n", "pair_sum_pre", "pair_sum_post", "pair_sumsq_gain", "pair_improved",
              "pair_post_passed", "pair_sum_g", "pair_n_g"]


# --------------------------------------------------------------------------- refresh

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
            r, s, ss = rows[sid], as_float(s), as_float(ss)
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
            s_pre, s_post, ss_gain, s_g = as_float(s_pre), as_float(s_post), as_float(ss_gain), as_float(s_g)
            r.pair_n, r.pair_sum_pre, r.pair_sum_post, r.pair_sumsq_gain = n, s_pre or 0, s_post or 0, ss_gain or 0
            r.pair_improved, r.pair_post_passed = improved or 0, post_passed or 0
            r.pair_sum_g, r.pair_n_g = s_g or 0, n_g or 0
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

def figures(t: dict) -> dict:
    """Means, rates and gains from summed sufficient statistics."""
    f = {k: t.get(k) or 0 for k in SUM_FIELDS}
    f["trainings"] = t.get("trainings") or 0
    f["pre_mean"] = f["pre_sum_pct"] / f["pre_n"] if f["pre_n"] else None
    f["post_mean"] = f["post_sum_pct"] / f["post_n"] if f["post_n"] else None
    f["pre_sd"] = stats.sd_from_sums(f["pre_n"], f["pre_sum_pct"], f["pre_sumsq_pct"])
    f["post_sd"] = stats.sd_from_sums(f["post_n"], f["post_sum_pct"], f["post_sumsq_pct"])
    f["pre_pass_rate"] = f["pre_passed"] / f["pre_n"] if f["pre_n"] else None
    f["post_pass_rate"] = f["post_passed"] / f["post_n"] if f["post_n"] else None
    n = f["pair_n"]
    f["pair_pre_mean"] = f["pair_sum_pre"] / n if n else None
    f["pair_post_mean"] = f["pair_sum_post"] / n if n else None
    f["mean_gain"] = (f["pair_sum_post"] - f["pair_sum_pre"]) / n if n else None
    f["gain_sd"] = stats.sd_from_sums(n, f["pair_sum_post"] - f["pair_sum_pre"], f["pair_sumsq_gain"])
    f["hake_g"] = stats.normalised_gain(f["pair_pre_mean"], f["pair_post_mean"])
    f["mean_g"] = f["pair_sum_g"] / f["pair_n_g"] if f["pair_n_g"] else None
    f["improved_rate"] = f["pair_improved"] / n if n else None
    f["people"] = max(f["pre_n"], f["post_n"])
    return f


def summary_figures(summary: SessionSummary) -> dict:
    """The figures of one session's summary."""
    return figures({k: getattr(summary, k) for k in SUM_FIELDS})


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


def grouped(summary_qs, key, expr=None) -> list[dict]:
    """Figures per group; ``key`` is a field path, or a name for ``expr`` (e.g. a month)."""
    if expr is not None:
        summary_qs = summary_qs.annotate(**{key: expr})
    rows = summary_qs.values(key).annotate(trainings=Count("session_id"), **_sum_annotations()).order_by()
    out = []
    for r in rows:
        f = figures(r)
        f["key"] = r[key]
        out.append(f)
    return out
