"""Question-bank flags: the classical rules of thumb that mark a question as too hard, too
easy, not telling strong from weak candidates, or misleading; and, for the admin's
question list, each question's flags over every answer it ever got.

The item analysis of the reports applies the same rules to one set of attempts."""
from __future__ import annotations

import math
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection

from volunteerkm.thai import thai_digits

from .models import Answer, Attempt, Question

# Thresholds used to flag questions (classical test theory rules of thumb).
LOW_DISCRIMINATION = 0.20
TOO_HARD = 0.20
TOO_EASY = 0.90
MIN_ANSWERS_FOR_FLAGS = 20

FLAG_LABELS = {
    "negative": "อำนาจจำแนกติดลบ (คนเก่งตอบผิดมากกว่าคนอ่อน)",
    "none_correct": "ไม่มีใครตอบถูก",
    "all_correct": "ทุกคนตอบถูก",
    "low_discrimination": "อำนาจจำแนกต่ำ (r น้อยกว่า 0.20)",
    "too_hard": "ยากมาก (ตอบถูกน้อยกว่า 20%)",
    "too_easy": "ง่ายมาก (ตอบถูกเกิน 90%)",
    "distractor_pulls_upper": "ตัวลวงดึงกลุ่มเก่งมากกว่ากลุ่มอ่อน",
}
# Difficulty labels from the facility index p (share right), once a question has at least
# MIN_ANSWERS_FOR_DIFFICULTY answers: p ≥ 0.70 easy, 0.40 ≤ p < 0.70 medium, p < 0.40 hard.
MIN_ANSWERS_FOR_DIFFICULTY = 20
EASY_FROM, MEDIUM_FROM = 0.70, 0.40
EASY, MEDIUM, HARD = Question.EASY, Question.MEDIUM, Question.HARD
DIFFICULTY_NAMES = dict(Question.DIFFICULTY_CHOICES)


def proposed_difficulty(p, n) -> int | None:
    """The difficulty label the data proposes from share right ``p`` over ``n`` answers, or
    None while there are fewer than MIN_ANSWERS_FOR_DIFFICULTY answers."""
    if p is None or n < MIN_ANSWERS_FOR_DIFFICULTY:
        return None
    return EASY if p >= EASY_FROM else MEDIUM if p >= MEDIUM_FROM else HARD


# Flags that mean "this question misbehaves", as opposed to a warning worth a look.
SERIOUS_FLAGS = ("negative", "none_correct", "all_correct")
CACHE_KEY = "assessments:question-flags"


def item_flags(p, r=None, d=None, options=None, key=None) -> list[str]:
    """The flags of one question from its share right ``p``, point-biserial ``r``,
    upper–lower index ``d`` and, when given, its option counts (``{"upper", "lower"}`` per
    option) and right ``key``."""
    flags = []
    if p == 0:
        flags.append("none_correct")
    elif p == 1:
        flags.append("all_correct")
    if (r is not None and r < 0) or (d is not None and d < 0):
        flags.append("negative")
    elif r is not None and r < LOW_DISCRIMINATION:
        flags.append("low_discrimination")
    if p is not None and 0 < p < TOO_HARD:
        flags.append("too_hard")
    elif p is not None and TOO_EASY < p < 1:
        flags.append("too_easy")
    if key is not None and options and any(
        o is not None and o != key and slot["upper"] > slot["lower"] for o, slot in options.items()
    ):
        flags.append("distractor_pulls_upper")
    return flags


@dataclass
class BankFlags:
    question_id: int
    n: int
    difficulty: float | None
    point_biserial: float | None
    flags: list

    @property
    def proposed(self) -> int | None:
        return proposed_difficulty(self.difficulty, self.n)

    @property
    def text(self):
        if self.n < MIN_ANSWERS_FOR_FLAGS:
            return f"ข้อมูลยังไม่พอ ({self.n} คำตอบ)"
        return "; ".join(FLAG_LABELS[f] for f in self.flags) or "ปกติ"


def question_flags(question_ids=None, min_answers: int = MIN_ANSWERS_FOR_FLAGS) -> dict[int, BankFlags]:
    """Per question of the bank, over every answer it ever got: share right (p), the
    point-biserial correlation of being right with the attempt's percentage score (from
    sums, in SQL), and its flags. Questions with fewer than ``min_answers`` answers get
    no flags."""
    answer, attempt = (connection.ops.quote_name(m._meta.db_table) for m in (Answer, Attempt))
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
        for qid, n, *sums in cur.fetchall():
            sx, sy, syy, sxy = (float(v or 0) for v in sums)  # PostgreSQL sums numerics as Decimal
            p = sx / n
            vx = sx / n - p * p
            vy = syy / n - (sy / n) ** 2
            r = (sxy / n - p * sy / n) / math.sqrt(vx * vy) if vx > 1e-12 and vy > 1e-9 else None
            flags = item_flags(p, r) if n >= min_answers else []
            out[qid] = BankFlags(qid, n, p, r, flags)
    return out


def question_flags_cached(timeout: int = 600) -> dict[int, BankFlags]:
    """``question_flags()`` for every question, kept in the cache for ``timeout`` seconds:
    what the admin's question list shows (one query over all answers, not one per row)."""
    flags = cache.get(CACHE_KEY)
    if flags is None:
        flags = question_flags()
        cache.set(CACHE_KEY, flags, timeout)
    return flags


def question_flags_cached_clear():
    """Forget the cached flags (after a change the list should show at once)."""
    cache.delete(CACHE_KEY)


def proposed_difficulty_text(question_id, current) -> str:
    """One line for the admin's question list: the label the data proposes, and whether it
    differs from the editor's."""
    f = question_flags_cached().get(question_id)
    n = f.n if f else 0
    proposed = f.proposed if f else None
    if proposed is None:
        return f"ข้อมูลยังไม่พอ ({thai_digits(n)} คำตอบ ต้องมีอย่างน้อย {thai_digits(MIN_ANSWERS_FOR_DIFFICULTY)})"
    if proposed == current:
        return f"{DIFFICULTY_NAMES[proposed]} (ตรงกับที่กำหนด)"
    share = thai_digits(f"{100 * f.difficulty:.0f}")
    return f"{DIFFICULTY_NAMES[proposed]} (ตอบถูกร้อยละ {share} จาก {thai_digits(n)} คำตอบ) เสนอให้เปลี่ยน"


def question_flag_text(question_id) -> str:
    """One line for the admin's question list: the flags, "ปกติ", too few answers, or none yet."""
    f = question_flags_cached().get(question_id)
    return f.text if f else "ยังไม่มีผู้ตอบ"
