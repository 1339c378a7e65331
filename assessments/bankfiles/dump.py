"""Writing the question bank back as files, in the format `read_bank` takes, byte for byte."""
from assessments.models import Question, TestForm
from knowledge.yamlfiles import dump_yaml

from .read import DIFFICULTY, section_order

DIFFICULTY_NAMES = {v: k for k, v in DIFFICULTY.items()}


def question_record(q: Question) -> dict:
    rec = {"key": q.key}
    if q.item_id:
        rec["item"] = q.item.slug
    else:
        rec["field"] = q.field.key
    rec.update({"kind": q.kind, "difficulty": DIFFICULTY_NAMES[q.difficulty], "status": q.status, "text": q.text})
    if q.kind == Question.TRUE_FALSE:
        rec["answer"] = bool(q.tf_answer)
    else:
        options = list(q.options.all())
        rec["options"] = {o.key: o.text for o in options}
        rec["answer"] = next((o.key for o in options if o.correct), "")
    rec["source"] = q.source
    if q.explanation:
        rec["explanation"] = q.explanation
    return rec


def form_record(form: TestForm) -> dict:
    rec = {"key": form.key, "title": form.title, **({"km": form.report.slug} if form.report_id else {}),
           "kind": form.kind, "mode": form.mode, "pass_mark": form.pass_mark}
    if form.time_limit:
        rec["time_limit"] = form.time_limit
    if form.parallel_to_id and form.parallel_to.key:
        rec["parallel_to"] = form.parallel_to.key
    if form.mode == TestForm.FIXED:
        rec["questions"] = [fq.question.key for fq in form.form_questions.select_related("question")]
    else:
        rules = sorted(form.rules.select_related("chapter"), key=lambda r: section_order(r.section))
        rec["blueprint"] = {r.section: r.count for r in rules}
    return rec


def _entries(records) -> str:
    """A YAML list with a blank line between entries."""
    return "\n".join(dump_yaml([rec]) for rec in records)


def bank_files() -> dict:
    """{relative path: text} of the whole bank in the content format."""
    groups = {}
    questions = Question.objects.select_related("item__chapter__report", "field__report").prefetch_related("options")
    for q in questions.order_by("id"):
        if not (q.item_id or q.field_id):
            continue  # what it tested was removed; it stays in the database as a draft
        if q.item_id:
            ch = q.item.chapter
            name = f"{ch.report.slug}/{ch.number:02d}-{ch.slug}.yaml"
        else:
            name = f"{q.field.report.slug}/report.yaml"
        groups.setdefault(name, []).append(question_record(q))
    files = {name: _entries(groups[name]) for name in sorted(groups)}
    forms = [form_record(f) for f in TestForm.objects.exclude(key=None).exclude(key="").order_by("id")]
    if forms:
        files["forms.yaml"] = _entries(forms)
    return files
