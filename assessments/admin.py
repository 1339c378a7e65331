"""The question bank, forms, sessions and results in the Thai admin, with import and export
of the question files and a recorded regrade."""
import io
import tempfile
import zipfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from accounts.models import audit
from knowledge.models import KMReport
from knowledge.yamlfiles import ContentError
from volunteerkm.admin import ReadOnlyAdmin
from volunteerkm.thai import thai_digits

from . import grading
from .bankcheck import check_bank
from .bankfiles.dump import bank_files
from .bankfiles.load import load_bank
from .bankfiles.read import read_bank
from .bankflags import (
    DIFFICULTY_NAMES,
    MIN_ANSWERS_FOR_DIFFICULTY,
    proposed_difficulty_text,
    question_flag_text,
    question_flags,
    question_flags_cached_clear,
)
from .models import (
    Answer,
    Attempt,
    BlueprintRule,
    FormQuestion,
    Option,
    Participant,
    Question,
    QuestionVersion,
    Regrade,
    SubScore,
    TestForm,
    TrainingSession,
)
from .question_sources import check_source


class OptionFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        question = self.instance
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if question.kind == Question.TRUE_FALSE:
            if kept:
                raise ValidationError("คำถามถูก/ผิดไม่ต้องมีตัวเลือก ให้เลือกคำตอบที่ช่อง “คำตอบที่ถูก (ถูก/ผิด)” แทน")
            return
        if not 3 <= len(kept) <= 5:
            raise ValidationError("คำถามปรนัยต้องมีตัวเลือก 3–5 ข้อ")
        if sum(bool(f.cleaned_data.get("correct")) for f in kept) != 1:
            raise ValidationError("ต้องเลือกคำตอบที่ถูกไว้ 1 ตัวเลือกพอดี")
        keys = sorted(f.cleaned_data["key"] for f in kept)
        if keys != list("abcde"[: len(keys)]):
            raise ValidationError("ตัวเลือกต้องใช้ a, b, c … เรียงกันไม่ข้าม")
        texts = [" ".join(f.cleaned_data["text"].split()) for f in kept]
        if len(set(texts)) != len(texts):
            raise ValidationError("มีตัวเลือกที่ข้อความซ้ำกัน")


class OptionInline(admin.TabularInline):
    model = Option
    formset = OptionFormSet
    extra = 0
    min_num = 0
    max_num = 5


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["key", "kind", "item", "field", "text", "tf_answer", "source", "explanation", "difficulty", "status"]

    def clean(self):
        data = super().clean()
        item, field = data.get("item"), data.get("field")
        if bool(item) == bool(field):
            raise ValidationError("เลือกเรื่องความรู้ที่ทดสอบ หรือหัวข้อรายงาน KM อย่างใดอย่างหนึ่ง")
        if data.get("kind") == Question.TRUE_FALSE and data.get("tf_answer") is None:
            self.add_error("tf_answer", "คำถามถูก/ผิดต้องเลือกคำตอบที่ถูก")
        if data.get("source"):
            target = ({"title": item.title, "body": item.body, "review": item.review} if item else
                      {"title": field.title, "body": field.body, "review": ""})
            problem = check_source(data["source"], published=data.get("status") == Question.PUBLISHED, **target)
            if problem:
                self.add_error("source", problem)
        return data


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionForm
    inlines = [OptionInline]
    list_display = ["key", "short_text", "chapter", "kind", "difficulty", "proposed_difficulty", "status", "version",
                    "answered", "item_flags"]
    list_filter = ["status", "kind", "difficulty", "chapter"]
    search_fields = ["key", "text", "source"]
    readonly_fields = ["version", "versions_link"]
    actions = ["publish", "unpublish", "accept_proposed_difficulty"]
    change_list_template = "admin/assessments/question/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("chapter").annotate(n_answers=Count("answers"))

    @admin.display(description="คำถาม")
    def short_text(self, obj):
        return obj.text[:80]

    @admin.display(description="ตอบแล้ว (ครั้ง)", ordering="n_answers")
    def answered(self, obj):
        return obj.n_answers

    @admin.display(description="ผลวิเคราะห์ข้อสอบ")
    def item_flags(self, obj):
        """Misbehaving questions (negative discrimination, no one or everyone right)."""
        return question_flag_text(obj.pk)

    @admin.display(description="ระดับความยากตามข้อมูล")
    def proposed_difficulty(self, obj):
        """The label the facility index (share right) proposes, from MIN_ANSWERS_FOR_DIFFICULTY answers."""
        return proposed_difficulty_text(obj.pk, obj.difficulty)

    @admin.action(description="ปรับระดับความยากตามที่ข้อมูลเสนอ (เฉพาะข้อที่มีผู้ตอบพอ)")
    def accept_proposed_difficulty(self, request, queryset):
        """Set each selected question's difficulty to the label its answers propose; the change
        is a new version of the question and a line in the audit log."""
        flags = question_flags([q.pk for q in queryset])
        changed, too_few = [], []
        for q in queryset.select_related("chapter"):
            f = flags.get(q.pk)
            proposed = f.proposed if f else None
            if proposed is None:
                too_few.append(q.key)
                continue
            if proposed == q.difficulty:
                continue
            before = q.difficulty
            Question.objects.filter(pk=q.pk).update(difficulty=proposed)
            q.difficulty = proposed
            version = q.snapshot(request.user)
            audit("questions.calibrate", actor=request.user, target=q, key=q.key, before=before, after=proposed,
                  share_right=round(f.difficulty, 4), answers=f.n, version=version.number,
                  message=f"ปรับระดับความยากของ {q.key} จาก{DIFFICULTY_NAMES[before]}เป็น{DIFFICULTY_NAMES[proposed]} "
                          f"ตามข้อมูล (ตอบถูกร้อยละ {thai_digits(f'{100 * f.difficulty:.0f}')} "
                          f"จาก {thai_digits(f.n)} คำตอบ)")
            changed.append(f"{q.key} ({DIFFICULTY_NAMES[before]} → {DIFFICULTY_NAMES[proposed]})")
        question_flags_cached_clear()
        if changed:
            messages.success(request, f"ปรับระดับความยากแล้ว {thai_digits(len(changed))} ข้อ: {', '.join(changed)} "
                                      "(บันทึกเป็นฉบับใหม่ของคำถาม)")
        else:
            messages.info(request, "ไม่มีข้อที่ต้องปรับ")
        if too_few:
            messages.warning(request, f"ข้อมูลยังไม่พอ (ต้องมีผู้ตอบอย่างน้อย {thai_digits(MIN_ANSWERS_FOR_DIFFICULTY)} คน): "
                                      f"{', '.join(too_few)}")

    @admin.display(description="ฉบับทั้งหมด")
    def versions_link(self, obj):
        if not obj.pk:
            return "–"
        return format_html('<a href="{}">ดูฉบับและตรวจให้คะแนนใหม่</a>',
                           reverse("admin:assessments_question_regrade", args=[obj.pk]))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = form.instance.version
        form.instance.snapshot(request.user)
        if change and form.instance.version != before and form.instance.answers.exists():
            messages.warning(request, f"บันทึกเป็นฉบับที่ {form.instance.version} แล้ว ผลที่บันทึกไว้ก่อนหน้ายังใช้ฉบับเดิม "
                                      "ถ้าต้องการให้ผลเดิมเปลี่ยนตาม ให้ใช้ “ตรวจให้คะแนนใหม่”")

    @admin.action(description="เผยแพร่คำถามที่เลือก")
    def publish(self, request, queryset):
        refused = []
        for q in queryset:
            problem = None
            if q.item_id:
                problem = check_source(q.source, title=q.item.title, body=q.item.body, review=q.item.review)
            elif q.field_id:
                problem = check_source(q.source, title=q.field.title, body=q.field.body)
            else:
                problem = "ไม่มีเรื่องความรู้ที่ทดสอบ"
            if problem:
                refused.append(f"{q.key}: {problem}")
            else:
                Question.objects.filter(pk=q.pk).update(status=Question.PUBLISHED)
        for r in refused:
            messages.error(request, r)

    @admin.action(description="เปลี่ยนคำถามที่เลือกเป็นฉบับร่าง")
    def unpublish(self, request, queryset):
        queryset.update(status=Question.DRAFT)

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="assessments_question_import"),
            path("export/", self.admin_site.admin_view(self.export_view), name="assessments_question_export"),
            path("bankcheck/", self.admin_site.admin_view(self.bankcheck_view), name="assessments_question_bankcheck"),
            path("<int:pk>/regrade/", self.admin_site.admin_view(self.regrade_view),
                 name="assessments_question_regrade"),
        ] + super().get_urls()

    def bankcheck_view(self, request):
        """The bank check (assessments/bankcheck.py) as a report editors read; it changes nothing."""
        if not self.has_view_permission(request):
            return redirect("admin:index")
        report = check_bank()
        percent = lambda share: thai_digits(f"{100 * share:.0f}") if share is not None else ""  # noqa: E731
        letters = [(grading.option_letter(k), report.key_letters.get(k, 0)) for k in "abcde"
                   if k in report.key_letters or k in "abcd"]
        context = {**self.admin_site.each_context(request), "title": "ตรวจคุณภาพคลังคำถาม", "report": report,
                   "tf_percent": percent(report.tf_true_share), "longest_percent": percent(report.longest_share),
                   "letters": letters, "opts": self.model._meta}
        return TemplateResponse(request, "admin/assessments/question/bankcheck.html", context)

    def export_view(self, request):
        """The whole bank as a zip in the content/questions format."""
        if not self.has_view_permission(request):
            return redirect("admin:index")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in bank_files().items():
                z.writestr(f"questions/{name}", text)
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="questions-{stamp}.zip"'
        return response

    def import_view(self, request):
        """Upload the bank (a zip made by export, or YAML files); all of it or none of it."""
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            return redirect("admin:index")
        form = ImportForm(request.POST or None, request.FILES or None)
        error = None
        if request.method == "POST" and form.is_valid():
            with tempfile.TemporaryDirectory() as tmp:
                root = Path(tmp) / "questions"
                try:
                    unpack(request.FILES.getlist("files"), root)
                    bank = read_bank(root)
                except ContentError as exc:
                    error = f"นำเข้าไม่สำเร็จ ไม่มีการเปลี่ยนแปลงข้อมูล — {str(exc).replace(str(root) + '/', '')}"
                else:
                    counts = load_bank(bank, user=request.user)
                    messages.success(request, f"นำเข้าแล้ว: คำถาม {counts['questions']} ข้อ "
                                              f"(ฉบับใหม่ {counts['new_versions']}), แบบทดสอบ {counts['forms']} ชุด")
                    return redirect("admin:assessments_question_changelist")
        context = {**self.admin_site.each_context(request), "title": "นำเข้าคลังคำถาม", "form": form, "error": error,
                   "opts": self.model._meta}
        return TemplateResponse(request, "admin/assessments/question/import.html", context,
                                status=400 if error or form.errors else 200)

    def regrade_view(self, request, pk):
        question = get_object_or_404(Question, pk=pk)
        versions = list(question.versions.annotate(n=Count("answers")).order_by("number"))
        form = RegradeForm(request.POST or None, question=question)
        if request.method == "POST" and form.is_valid():
            try:
                record = grading.regrade(question, form.cleaned_data["from_version"], form.cleaned_data["to_version"],
                                         form.cleaned_data["reason"], user=request.user)
            except grading.SubmissionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"ตรวจให้คะแนนใหม่แล้ว ผลเปลี่ยน {len(record.changes)} รายการ (บันทึกไว้แล้ว)")
                return redirect("admin:assessments_question_change", question.pk)
        context = {**self.admin_site.each_context(request), "title": f"ฉบับของคำถาม {question.key}",
                   "question": question, "versions": versions, "form": form, "opts": self.model._meta,
                   "regrades": question.regrades.all()}
        return TemplateResponse(request, "admin/assessments/question/regrade.html", context)


def unpack(files, root: Path):
    """Uploaded zip (as exported) or YAML files → a questions folder. YAML files other than
    forms.yaml belong to the main KM report."""
    root.mkdir(parents=True)
    report = KMReport.objects.main()
    for upload in files:
        name = Path(upload.name).name
        if name.endswith(".zip"):
            try:
                with zipfile.ZipFile(upload) as z:
                    for info in z.infolist():
                        parts = [p for p in Path(info.filename).parts if p not in ("", ".", "..")]
                        if info.is_dir() or not parts or not parts[-1].endswith(".yaml"):
                            continue
                        if parts[0] == "questions":
                            parts = parts[1:]
                        target = root.joinpath(*parts)
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(z.read(info))
            except zipfile.BadZipFile as exc:
                raise ContentError(name, None, "ไฟล์ zip เสียหายหรือไม่ใช่ไฟล์ zip") from exc
        elif name.endswith(".yaml"):
            target = root / name if name == "forms.yaml" or report is None else root / report.slug / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(upload.read())
        else:
            raise ContentError(name, None, "รับเฉพาะไฟล์ .zip (จากการส่งออก) หรือไฟล์ .yaml")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data] if data else single(None, initial)
        return [single(data, initial)]


class ImportForm(forms.Form):
    files = MultipleFileField(label="ไฟล์คลังคำถาม",
                              widget=MultipleFileInput(attrs={"multiple": True, "accept": ".zip,.yaml"}),
                              help_text="ไฟล์ .zip ที่ได้จากการส่งออก หรือไฟล์ .yaml ของหมวด (เช่น 02-volunteers.yaml) "
                                        "และ forms.yaml",
                              error_messages={"required": "กรุณาเลือกไฟล์"})


class RegradeForm(forms.Form):
    from_version = forms.ModelChoiceField(QuestionVersion.objects.none(), label="ผลที่ตอบฉบับ")
    to_version = forms.ModelChoiceField(QuestionVersion.objects.none(), label="ตรวจใหม่ตามเฉลยของฉบับ")
    reason = forms.CharField(label="เหตุผล", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_version"].queryset = question.versions.all()
        self.fields["to_version"].queryset = question.versions.all()
        latest = question.latest_version()
        if latest:
            self.fields["to_version"].initial = latest.pk


@admin.register(QuestionVersion)
class QuestionVersionAdmin(ReadOnlyAdmin):
    list_display = ["question", "number", "correct", "chapter_number", "created_at", "created_by"]
    list_filter = ["chapter_number"]
    search_fields = ["question__key", "text"]


class FormQuestionInline(admin.TabularInline):
    model = FormQuestion
    extra = 0
    autocomplete_fields = ["question"]


class BlueprintRuleInline(admin.TabularInline):
    model = BlueprintRule
    extra = 0


@admin.register(TestForm)
class TestFormAdmin(admin.ModelAdmin):
    list_display = ["title", "report", "kind", "mode", "pass_mark", "time_limit", "active"]
    list_filter = ["report", "kind", "mode", "active"]
    inlines = [FormQuestionInline, BlueprintRuleInline]
    search_fields = ["title", "key"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "unit", "date", "trainer"]
    list_filter = ["unit", "date"]
    search_fields = ["title", "code"]
    readonly_fields = ["code", "created_at"]


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    list_display = ["name", "session", "joined_at", "merged_into"]
    search_fields = ["name", "session__code"]
    readonly_fields = ["national_id_hash", "national_id_last4", "device", "consent_at", "joined_at"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    readonly_fields = ["position", "question", "version", "chosen", "correct"]

    def has_add_permission(self, request, obj=None):
        return False


class SubScoreInline(admin.TabularInline):
    model = SubScore
    extra = 0
    can_delete = False
    readonly_fields = ["section", "score", "max_score"]
    exclude = ["chapter"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    """Stored results are read-only; only a recorded regrade changes them."""

    list_display = ["submitted_at", "kind", "form", "session", "participant", "user", "score", "max_score", "passed"]
    list_filter = ["kind", "passed", "unit"]
    search_fields = ["session__code", "participant__name", "user__username"]
    inlines = [SubScoreInline, AnswerInline]


@admin.register(Regrade)
class RegradeAdmin(ReadOnlyAdmin):
    list_display = ["at", "question", "from_version", "to_version", "by"]

