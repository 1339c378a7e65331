"""Statistics of tests, as pure functions over plain lists and arrays.

Nothing here touches the database: the reports' queries fetch numbers and these functions
turn them into the figures a trainer or an executive reads. Each function follows one
textbook definition, named in its docstring, so a figure in a report can be checked by
hand. A question's flags follow the rules of ``assessments.bankflags``, which the
question bank's list shows too.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy import stats as sps

from assessments.bankflags import DIFFICULTY_NAMES, FLAG_LABELS, SERIOUS_FLAGS, item_flags, proposed_difficulty

GROUP_FRACTION = 0.27  # the upper and lower groups of the upper–lower index D


def _clean(values) -> np.ndarray:
    return np.asarray([v for v in values if v is not None], dtype=float)


def _num(x):
    """A float that JSON, templates and spreadsheets can hold (NaN → None)."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


# --------------------------------------------------------------------------- description

def describe(values) -> dict:
    """n, mean, sample standard deviation (n − 1), median, quartiles (linear
    interpolation, NumPy's default), minimum and maximum."""
    a = _clean(values)
    if a.size == 0:
        return {"n": 0, "mean": None, "sd": None, "median": None, "q1": None, "q3": None, "min": None, "max": None}
    q1, median, q3 = np.percentile(a, [25, 50, 75])
    return {
        "n": int(a.size),
        "mean": _num(a.mean()),
        "sd": _num(a.std(ddof=1)) if a.size > 1 else None,
        "median": _num(median),
        "q1": _num(q1),
        "q3": _num(q3),
        "min": _num(a.min()),
        "max": _num(a.max()),
    }


def percent_histogram(percents, width: int = 10) -> list[dict]:
    """Counts of scores (0–100 %) in bins [0,10), [10,20) … [90,100]; 100 % falls in the last bin."""
    edges = list(range(0, 100, width))
    counts = [0] * len(edges)
    for p in percents:
        if p is None:
            continue
        i = min(int(p // width), len(edges) - 1)
        counts[max(i, 0)] += 1
    return [{"lo": lo, "hi": min(lo + width, 100), "count": c} for lo, c in zip(edges, counts, strict=True)]


def sd_from_sums(n, total, total_of_squares) -> float | None:
    """Sample standard deviation (n − 1) from n, Σx and Σx² (the sums stored per session);
    None for fewer than two values."""
    if not n or n < 2:
        return None
    var = (total_of_squares - total * total / n) / (n - 1)
    return math.sqrt(var) if var > 0 else 0.0


# --------------------------------------------------------------------------- learning gain

def normalised_gain(pre_pct, post_pct) -> float | None:
    """Hake's normalised gain g = (post% − pre%) / (100 − pre%): of one person from their
    percentages, of a class (⟨g⟩) from its mean percentages. Undefined (None) when pre is
    already 100 %."""
    if pre_pct is None or post_pct is None or pre_pct >= 100:
        return None
    return _num((post_pct - pre_pct) / (100.0 - pre_pct))


def wilcoxon(pre, post) -> dict:
    """Wilcoxon signed-rank test of paired scores, two-sided (SciPy), zero differences
    dropped (Wilcoxon's method); exact p-values without ties, the normal approximation
    with tie correction otherwise. Besides SciPy's statistic (the smaller rank sum) and
    p-value it returns W+ and W−, and the matched-pairs rank-biserial correlation
    r = (W+ − W−) / (W+ + W−) as the effect size (+1: everyone improved)."""
    d = np.asarray(post, dtype=float) - np.asarray(pre, dtype=float)
    nz = d[d != 0]
    out = {"n_pairs": int(d.size), "n_nonzero": int(nz.size), "w_plus": None, "w_minus": None,
           "statistic": None, "pvalue": None, "effect_r": None, "method": None}
    if nz.size == 0:
        return out
    ranks = sps.rankdata(np.abs(nz))
    w_plus, w_minus = float(ranks[nz > 0].sum()), float(ranks[nz < 0].sum())
    out.update(w_plus=w_plus, w_minus=w_minus, effect_r=_num((w_plus - w_minus) / (w_plus + w_minus)))
    # The exact null distribution assumes no tied |differences|; with ties (common with
    # whole-number scores) use the normal approximation with SciPy's tie correction.
    method = "exact" if nz.size <= 50 and len(np.unique(np.abs(nz))) == nz.size else "asymptotic"
    res = sps.wilcoxon(nz, zero_method="wilcox", alternative="two-sided", method=method)
    out.update(statistic=_num(res.statistic), pvalue=_num(res.pvalue), method=method)
    return out


def significance_text(pvalue) -> str:
    if pvalue is None:
        return "คำนวณไม่ได้ (ไม่มีผู้ที่คะแนนเปลี่ยน)"
    if pvalue < 0.001:
        return "แตกต่างอย่างมีนัยสำคัญทางสถิติที่ระดับ .001"
    if pvalue < 0.01:
        return "แตกต่างอย่างมีนัยสำคัญทางสถิติที่ระดับ .01"
    if pvalue < 0.05:
        return "แตกต่างอย่างมีนัยสำคัญทางสถิติที่ระดับ .05"
    return "ไม่แตกต่างอย่างมีนัยสำคัญทางสถิติ"


# --------------------------------------------------------------------------- item analysis

def kr20(matrix) -> float | None:
    """Kuder–Richardson 20 of a 0/1 matrix (rows: people, columns: questions):
    KR-20 = k/(k−1) · (1 − Σ p·q / σ²), with p each question's share right, q = 1 − p and
    σ² the population variance (÷ N) of the total scores. None when k < 2 or σ² = 0."""
    m = np.asarray(matrix, dtype=float)
    if m.ndim != 2 or m.shape[0] < 2 or m.shape[1] < 2:
        return None
    k = m.shape[1]
    p = m.mean(axis=0)
    var = m.sum(axis=1).var(ddof=0)
    if var == 0:
        return None
    return _num(k / (k - 1) * (1 - float((p * (1 - p)).sum()) / var))


def point_biserial(item, totals) -> float | None:
    """Pearson correlation between a 0/1 item and the total score (point-biserial);
    None when either has no variance."""
    x, y = np.asarray(item, dtype=float), np.asarray(totals, dtype=float)
    if x.size < 2 or x.std() == 0 or y.std() == 0:
        return None
    return _num(np.corrcoef(x, y)[0, 1])


def upper_lower_groups(totals, fraction: float = GROUP_FRACTION) -> tuple[list[int], list[int]]:
    """Indices of the upper and lower ``fraction`` (27 %) of people by total score, group
    size round(fraction·N) and at least 1. Ties at the cut are broken by the order given
    (a stable sort), so the same data always gives the same groups."""
    n = len(totals)
    if n < 2:
        return [], []
    size = max(1, int(math.floor(fraction * n + 0.5)))
    size = min(size, n // 2)
    t = np.asarray(totals, dtype=float)
    lower = np.argsort(t, kind="stable")[:size]
    upper = np.argsort(-t, kind="stable")[:size]
    return upper.tolist(), lower.tolist()


def upper_lower_masks(totals) -> tuple[np.ndarray, np.ndarray]:
    """The groups of ``upper_lower_groups`` as two boolean masks over the people."""
    upper, lower = upper_lower_groups(totals)
    in_upper, in_lower = np.zeros(len(totals), dtype=bool), np.zeros(len(totals), dtype=bool)
    in_upper[upper] = True
    in_lower[lower] = True
    return in_upper, in_lower


@dataclass
class ItemStats:
    question: object
    n: int
    difficulty: float | None          # p: share right
    point_biserial: float | None      # r with the total score
    discrimination: float | None      # D = p(upper 27 %) − p(lower 27 %)
    p_upper: float | None
    p_lower: float | None
    options: dict = field(default_factory=dict)  # option → {"count", "share", "upper", "lower", "key"}
    flags: list = field(default_factory=list)

    @property
    def flag_labels(self):
        return [FLAG_LABELS[f] for f in self.flags]

    @property
    def misbehaves(self):
        return any(f in SERIOUS_FLAGS for f in self.flags)

    @property
    def proposed_difficulty(self):
        """The difficulty label the facility index proposes (None: too few answers)."""
        return proposed_difficulty(self.difficulty, self.n)

    @property
    def proposed_difficulty_label(self):
        return DIFFICULTY_NAMES.get(self.proposed_difficulty, "")

    @property
    def difficulty_label(self):
        """The label the editors gave the version answered."""
        return DIFFICULTY_NAMES.get(getattr(self.question, "difficulty", None), "")


def option_counts(chosen, upper, lower, offered=(), key=None) -> dict:
    """How often each option was chosen, overall and in the upper and lower groups:
    ``chosen`` is the option per person ("" for a blank, counted under None), ``upper`` and
    ``lower`` boolean masks. Every offered option is listed, chosen or not."""
    offered = list(offered)
    present = offered + [o for o in dict.fromkeys(chosen.tolist()) if o not in offered]
    up, lo = chosen[upper], chosen[lower]
    out = {}
    for o in present:
        count = int((chosen == o).sum())
        if count == 0 and o not in offered:
            continue
        out[None if o == "" else o] = {"count": count, "share": count / len(chosen), "upper": int((up == o).sum()),
                                       "lower": int((lo == o).sum()), "key": o == key}
    return out


def item_stats(question, right, totals, upper, lower, chosen=None, offered=(), key=None) -> ItemStats:
    """One question over the people who saw it: ``right`` 1/0 per person, ``totals`` their
    scores, ``upper`` and ``lower`` boolean masks of the 27 % groups, and when given the
    option each chose (``chosen``), the options offered and the right ``key``."""
    x = np.asarray(right, dtype=float)
    p = float(x.mean())
    pu = float(x[upper].mean()) if upper.any() else None
    pl = float(x[lower].mean()) if lower.any() else None
    d = pu - pl if pu is not None and pl is not None else None
    r = point_biserial(x, totals)
    opts = option_counts(chosen, upper, lower, offered, key) if chosen is not None else {}
    return ItemStats(question=question, n=int(x.size), difficulty=_num(p), point_biserial=r, discrimination=_num(d),
                     p_upper=_num(pu), p_lower=_num(pl), options=opts, flags=item_flags(p, r, d, opts, key))


def item_analysis(matrix, questions=None, choices=None, keys=None, options=None) -> dict:
    """Classical item analysis of one form over a set of attempts.

    ``matrix``: rows are attempts, columns questions, 1 right / 0 wrong.
    ``questions``: a label per column (ids); ``choices``: the option each attempt chose
    per column (same shape as ``matrix``, None for blank); ``keys``: the right option per
    column; ``options``: the options offered per column (so a distractor nobody chose still
    shows with 0).

    Returns ``{"n", "k", "kr20", "mean", "sd", "items": [ItemStats]}``.
    """
    m = np.asarray(matrix, dtype=float)
    if m.size == 0:
        return {"n": 0, "k": len(questions or []), "kr20": None, "mean": None, "sd": None, "items": []}
    n, k = m.shape
    questions = list(questions) if questions is not None else list(range(k))
    totals = m.sum(axis=1)
    upper, lower = upper_lower_masks(totals.tolist())
    # choices as a string array, "" for a blank answer
    ch = None
    if choices is not None:
        ch = choices if isinstance(choices, np.ndarray) else np.array(
            [["" if c is None else c for c in row] for row in choices], dtype="<U1")
    items = [item_stats(questions[j], m[:, j], totals, upper, lower, None if ch is None else ch[:, j],
                        options[j] if options is not None else (), keys[j] if keys is not None else None)
             for j in range(k)]
    return {
        "n": n,
        "k": k,
        "kr20": kr20(m),
        "mean": _num(totals.mean()),
        "sd": _num(totals.std(ddof=1)) if n > 1 else None,
        "items": items,
    }
