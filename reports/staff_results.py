"""Results of the staff test per unit, over a period."""
from __future__ import annotations

from collections import defaultdict

from django.db import connection

from accounts.models import Unit
from assessments.models import POST, PRE, STAFF, Attempt, SubScore, section_label

from . import stats
from .periods import ALL_TIME, Period
from .provinces import province_label
from .sections import sections_from_sums
from .sql import as_float, table_name


def staff_results(period: Period = ALL_TIME, unit_ids=None, region: str | None = None) -> dict:
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
            s, ss = as_float(s), as_float(ss)
            units[unit_id] = {"unit_id": unit_id, "attempts": n, "people": people, "mean": s / n,
                              "sd": stats.sd_from_sums(n, s, ss), "passed": passed, "pass_rate": passed / n,
                              "sections": {}}
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
        r["province"] = province_label(unit.province if unit else "")
        known = {k: v for k, v in r["sections"].items() if v is not None}
        weakest = min(known, key=known.get) if known else None
        r["weakest"] = section_label(weakest) if weakest else ""
        rows.append(r)
    rows.sort(key=lambda r: (-r["mean"], str(r["unit"])))
    # the staff test has no before and after: its sums stand in the "after" column
    sections = sections_from_sums({sec: {PRE: [0, 0], POST: v} for sec, v in overall.items()})
    n = sum(r["attempts"] for r in rows)
    return {
        "period": period, "units": rows, "sections": sections,
        "attempts": n, "people": sum(r["people"] for r in rows),
        "mean": sum(r["mean"] * r["attempts"] for r in rows) / n if n else None,
        "pass_rate": sum(r["passed"] for r in rows) / n if n else None,
        "section_keys": [s["section"] for s in sections],
    }
