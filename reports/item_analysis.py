"""Item analysis of stored attempts: their answers read from the database into NumPy
arrays, then the classical statistics of ``reports.stats`` per question."""
from __future__ import annotations

import numpy as np
from django.db import connection

from assessments.models import Answer, Attempt, QuestionVersion

from . import stats
from .sql import table_name


def answer_matrix(attempt_qs, progress=None):
    """The answers of a set of attempts as the item analysis needs them, streamed from
    the database into NumPy arrays: question versions in order of first position, a
    0/1 matrix with -1 where an attempt did not see a question, the chosen options
    ("" = blank), each version's right key and offered options, and each attempt's
    percentage score."""
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
            a, v, c, ok, pos = zip(*rows, strict=True)  # arrays per chunk: the tuples do not pile up
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
    first_pos = dict(zip(version_ids.tolist(), first.tolist(), strict=True))
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
        "numbers": {v: first_pos[v] for v in order},  # the number people saw (the stored position)
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
    for item in result["items"]:
        item.number = data["numbers"][item.question.pk]
    return result


def _item_analysis_incomplete(data):
    matrix, choices, totals = data["matrix"], data["choices"], data["pct"]
    upper, lower = stats.upper_lower_masks(totals.tolist())
    items = []
    for j, version in enumerate(data["versions"]):
        seen = matrix[:, j] >= 0
        items.append(stats.item_stats(version, matrix[seen, j], totals[seen], upper[seen], lower[seen],
                                      choices[seen, j], data["options"][j], data["keys"][j]))
    return {"n": len(totals), "k": len(items), "kr20": None, "items": items,
            "mean": float(totals.mean()), "sd": float(totals.std(ddof=1)) if len(totals) > 1 else None}
