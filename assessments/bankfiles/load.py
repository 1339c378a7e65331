"""Loading a checked question bank (from `read_bank`) into the database, in one transaction."""
from django.db import transaction

from accounts.models import audit
from assessments.models import BlueprintRule, FormQuestion, Option, Question, TestForm
from knowledge.contentfiles.load import save_if_changed
from knowledge.models import Chapter

from .read import section_order

FORM_FIELDS = ("title", "kind", "mode", "pass_mark", "time_limit")


def _load_options(q: Question, rec):
    wanted = {k: (t, k == rec["answer"]) for k, t in rec["options"].items()}
    current = {o.key: o for o in q.options.all()}
    for k, o in current.items():
        if k not in wanted:
            o.delete()
    for k, (text, correct) in wanted.items():
        o = current.get(k)
        if o is None:
            Option.objects.create(question=q, key=k, text=text, correct=correct)
        elif (o.text, o.correct) != (text, correct):
            o.text, o.correct = text, correct
            o.save()


def _load_questions(form: TestForm, keys) -> bool:
    if [fq.question.key for fq in form.form_questions.select_related("question")] == keys:
        return False
    form.form_questions.all().delete()
    by_key = {q.key: q for q in Question.objects.filter(key__in=keys)}
    FormQuestion.objects.bulk_create(
        [FormQuestion(form=form, question=by_key[k], order=n) for n, k in enumerate(keys, start=1)])
    return True


def _load_rules(form: TestForm, blueprint: dict, chapters: dict) -> bool:
    current = sorted(((r.section, r.count) for r in form.rules.select_related("chapter")),
                     key=lambda rule: section_order(rule[0]))
    wanted = sorted(blueprint.items(), key=lambda rule: section_order(rule[0]))
    if current == wanted:
        return False
    form.rules.all().delete()
    BlueprintRule.objects.bulk_create([BlueprintRule(form=form, chapter=chapters.get(s), count=n) for s, n in wanted])
    return True


@transaction.atomic
def load_bank(bank: dict, user=None) -> dict:
    """Write a validated bank: create or update each question (a new QuestionVersion only
    when its content changed) and each form. Questions and forms not in the files are
    left as they are (answers refer to them); retire a question with `status: draft`."""
    counts = {"questions": 0, "new_versions": 0, "forms": 0, "changed": 0}
    for rec in bank["questions"]:
        q = Question.objects.filter(key=rec["key"]).first() or Question(key=rec["key"])
        values = {"kind": rec["kind"], "text": rec["text"], "item": rec["item"], "field": rec["field"],
                  "source": rec["source"], "explanation": rec["explanation"], "difficulty": rec["difficulty"],
                  "status": rec["status"], "tf_answer": rec["answer"] if rec["kind"] == "tf" else None}
        counts["changed"] += save_if_changed(q, values)
        _load_options(q, rec)
        before = q.version
        q.snapshot(user)
        counts["new_versions"] += q.version != before
        counts["questions"] += 1
    forms = {}
    for rec in bank["forms"]:
        form = TestForm.objects.filter(key=rec["key"]).first() or TestForm(key=rec["key"])
        counts["changed"] += save_if_changed(form, {"report": rec["report"], **{k: rec[k] for k in FORM_FIELDS}})
        counts["changed"] += _load_questions(form, rec["questions"])
        # Blueprint sections name the form's KM's chapters by number ("1" … "7"); the report section has none.
        chapters = {str(c.number): c for c in Chapter.objects.filter(report=rec["report"])}
        counts["changed"] += _load_rules(form, rec["blueprint"], chapters)
        forms[rec["key"]] = form
        counts["forms"] += 1
    # Parallel forms may name each other, so they are linked once every form exists.
    for rec in bank["forms"]:
        form, parallel = forms[rec["key"]], forms.get(rec["parallel_to"])
        if form.parallel_to_id != (parallel.pk if parallel else None):
            form.parallel_to = parallel
            form.save(update_fields=["parallel_to"])
            counts["changed"] += 1
    if counts["changed"] or counts["new_versions"]:
        audit("questions.import", actor=user, **counts,
              message=f"นำเข้าคลังคำถาม {counts['questions']} ข้อ แบบทดสอบ {counts['forms']} ชุด")
    return counts
