"""Everything about one training session, computed from its attempts and sub-scores
directly (one session is at most a few hundred people)."""
from __future__ import annotations

from assessments.models import POST, PRE, Attempt, SubScore, TrainingSession

from . import stats
from .sections import section_rows


def session_report(session: TrainingSession) -> dict:
    """Pre-test and post-test described, each person's scores and gain, the paired gain
    with Hake's g and the Wilcoxon test, mastery per section."""
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
            "g": stats.normalised_gain(pre["pct"], post["pct"]) if pre and post else None,
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
        "hake_g": stats.normalised_gain(pre_mean, post_mean), "mean_g": sum(gs) / len(gs) if gs else None,
        "improved": sum(1 for g in gains if g > 0), "same": sum(1 for g in gains if g == 0),
        "worse": sum(1 for g in gains if g < 0), "gains": gains,
    }
    out["wilcoxon"] = stats.wilcoxon(pre_p, post_p)
    out["significance"] = stats.significance_text(out["wilcoxon"]["pvalue"])
    out["sections"] = section_rows(SubScore.objects.filter(attempt__session=session, attempt__kind__in=[PRE, POST]),
                                   kind_field="attempt__kind")
    out["weakest"] = [s for s in out["sections"] if s["weak"]]
    out["certificates_due"] = sum(1 for p in people if p["passed"])
    return out
