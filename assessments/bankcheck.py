"""The bank check: what the published question bank must hold to measure knowledge rather
than test-taking habits, as figures and a list of violations.

- true/false questions keyed "true": 40–60 % of them;
- multiple-choice questions whose keyed option is uniquely the longest: at most 35 %;
- how often each option letter is the key (reported; options are not shuffled in exports,
  print or the item analysis, so a letter that is nearly always right shows there);
- a form that claims `parallel_to` has the same blueprint (chapter × difficulty) as the
  form it parallels;
- every published question's `source` occurs in its item (or field), and is not a passage
  marked for review (question_sources.check_source).

The test suite runs it on the shipped bank (tests/test_bank_check.py); editors read it in
the admin (คลังคำถาม → ตรวจคุณภาพคลังคำถาม). It only reads.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from volunteerkm.thai import thai_digits

from .models import REPORT_SECTION, Question, TestForm, section_label
from .question_sources import check_source, squash

TF_TRUE_MIN, TF_TRUE_MAX = 0.40, 0.60
LONGEST_MAX = 0.35
DIFFICULTY_LABELS = dict(Question.DIFFICULTY_CHOICES)


def uniquely_longest(options: dict, answer: str) -> bool:
    """Whether the keyed option is longer than every other option (spaces collapsed)."""
    lengths = {k: len(squash(t)) for k, t in options.items()}
    key_length = lengths.get(answer)
    return key_length is not None and all(n < key_length for k, n in lengths.items() if k != answer)


def blueprint_text(blueprint: Counter) -> str:
    """'หมวดที่ ๑ ง่าย ๒, ปานกลาง ๑; หมวดที่ ๒ …' (difficulty None: a blueprint form's count)."""
    sections = {}
    for (section, difficulty), n in blueprint.items():
        sections.setdefault(section, []).append((difficulty or 0, difficulty, n))
    parts = []
    for section in sorted(sections, key=lambda s: (s == REPORT_SECTION, 0 if s == REPORT_SECTION else int(s))):
        cells = ", ".join(f"{DIFFICULTY_LABELS[d]} {thai_digits(n)}" if d else f"{thai_digits(n)} ข้อ"
                          for _, d, n in sorted(sections[section]))
        parts.append(f"{section_label(section)} {cells}")
    return "; ".join(parts)


def parallel_problem(key: str, blueprint: Counter, other_key: str, other: Counter) -> str | None:
    """The Thai message when a form does not match the form it claims to parallel on
    chapter × difficulty (or, when either form is a blueprint form with no difficulty, on
    chapter counts alone), else None."""
    if any(d is None for _, d in blueprint) or any(d is None for _, d in other):
        blueprint = Counter({(s, None): n for (s, _), n in _by_section(blueprint).items()})
        other = Counter({(s, None): n for (s, _), n in _by_section(other).items()})
    if blueprint == other:
        return None
    return (f"แบบทดสอบ {key} ระบุว่าเป็นฉบับคู่ขนานของ {other_key} แต่จำนวนข้อต่อหมวดและระดับความยากไม่ตรงกัน — "
            f"{key}: {blueprint_text(blueprint)} / {other_key}: {blueprint_text(other)}")


def _by_section(blueprint: Counter) -> Counter:
    out = Counter()
    for (section, _), n in blueprint.items():
        out[(section, None)] += n
    return out


def form_blueprint(form: TestForm) -> Counter:
    """A form's blueprint: (section, difficulty) → number of questions; a blueprint form
    has no difficulty (None)."""
    if form.mode == TestForm.BLUEPRINT:
        return Counter({(r.section, None): r.count for r in form.rules.select_related("chapter")})
    return Counter((q.section, q.difficulty) for q in form.questions.select_related("chapter"))


@dataclass
class Violation:
    rule: str  # tf_balance, longest, parallel, source, flagged
    message: str


@dataclass
class BankReport:
    published: int = 0
    tf_total: int = 0
    tf_true: int = 0
    mc_total: int = 0
    mc_longest: int = 0
    longest_keys: list = field(default_factory=list)
    key_letters: Counter = field(default_factory=Counter)
    forms: list = field(default_factory=list)  # [{"key", "title", "blueprint", "text", "parallel_to", "problem"}]
    violations: list = field(default_factory=list)

    @property
    def tf_true_share(self):
        return self.tf_true / self.tf_total if self.tf_total else None

    @property
    def longest_share(self):
        return self.mc_longest / self.mc_total if self.mc_total else None

    @property
    def ok(self):
        return not self.violations

    def rules(self):
        return {v.rule for v in self.violations}


def _percent(share) -> str:
    return thai_digits(f"{100 * share:.0f}")


def check_bank() -> BankReport:
    """Check the published questions and the forms in the database."""
    report = BankReport()
    questions = (Question.objects.filter(status=Question.PUBLISHED)
                 .select_related("item", "field", "chapter").prefetch_related("options").order_by("key"))
    for q in questions:
        report.published += 1
        if q.kind == Question.TRUE_FALSE:
            report.tf_total += 1
            report.tf_true += bool(q.tf_answer)
        else:
            options = {o.key: o.text for o in q.options.all()}
            answer = next((o.key for o in q.options.all() if o.correct), "")
            report.mc_total += 1
            report.key_letters[answer] += 1
            if uniquely_longest(options, answer):
                report.mc_longest += 1
                report.longest_keys.append(q.key)
        _check_source(q, report)
    share = report.tf_true_share
    if share is not None and not TF_TRUE_MIN <= share <= TF_TRUE_MAX:
        report.violations.append(Violation(
            "tf_balance", f"คำถามถูก/ผิดที่เฉลยว่า “ถูก” มี {thai_digits(report.tf_true)} จาก {thai_digits(report.tf_total)} "
                          f"ข้อ (ร้อยละ {_percent(share)}) ต้องอยู่ระหว่างร้อยละ ๔๐–๖๐"))
    share = report.longest_share
    if share is not None and share > LONGEST_MAX:
        report.violations.append(Violation(
            "longest", f"คำถามปรนัยที่ตัวเลือกที่ถูกยาวที่สุดเพียงข้อเดียวมี {thai_digits(report.mc_longest)} จาก "
                       f"{thai_digits(report.mc_total)} ข้อ (ร้อยละ {_percent(share)}) ต้องไม่เกินร้อยละ ๓๕ "
                       f"({', '.join(report.longest_keys)})"))
    _check_forms(report)
    return report


def _check_source(q: Question, report: BankReport):
    target = q.item or q.field
    if target is None:
        report.violations.append(Violation("source", f"คำถาม {q.key}: ไม่มีเรื่องความรู้ที่ทดสอบ"))
        return
    text = {"title": target.title, "body": target.body, "review": getattr(target, "review", "")}
    problem = check_source(q.source, published=False, **text)
    if problem:
        report.violations.append(Violation("source", f"คำถาม {q.key}: {problem}"))
        return
    problem = check_source(q.source, published=True, **text)
    if problem:
        report.violations.append(Violation("flagged", f"คำถาม {q.key}: {problem}"))


def _check_forms(report: BankReport):
    forms = list(TestForm.objects.filter(active=True).select_related("parallel_to").order_by("id"))
    blueprints = {f.pk: form_blueprint(f) for f in forms}
    for form in forms:
        row = {"key": form.key or str(form.pk), "title": form.title, "blueprint": blueprints[form.pk],
               "text": blueprint_text(blueprints[form.pk]), "parallel_to": None, "problem": None}
        other = form.parallel_to
        if other is not None:
            row["parallel_to"] = other.title
            theirs = blueprints.get(other.pk) or form_blueprint(other)
            problem = parallel_problem(row["key"], blueprints[form.pk], other.key or str(other.pk), theirs)
            if problem:
                row["problem"] = problem
                report.violations.append(Violation("parallel", problem))
        report.forms.append(row)
