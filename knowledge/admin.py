from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import MAX_QUESTION, Chapter, GlossaryTerm, Item, KMReport, ReportField, SynonymGroup

admin.site.site_header = "ระบบจัดการความรู้ อพม. — สำหรับทีม KM"
admin.site.site_title = "คลังความรู้ อพม."
admin.site.index_title = "จัดการเนื้อหา"


class NeedsReviewFilter(admin.SimpleListFilter):
    title = "การตรวจสอบ"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("yes", "รอตรวจสอบ"), ("no", "ตรวจสอบแล้ว")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(review="")
        if self.value() == "no":
            return queryset.filter(review="")
        return queryset


class QuestionLinesField(forms.CharField):
    """A list of questions edited as text, one question a line; blank lines and repeats dropped."""

    widget = forms.Textarea(attrs={"rows": 8})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        questions = []
        for line in (value or "").splitlines():
            line = " ".join(line.split())
            if line and line not in questions:
                questions.append(line)
        return questions

    def validate(self, value):
        too_long = [q for q in value if len(q) > MAX_QUESTION]
        if too_long:
            raise forms.ValidationError(f"คำถามยาวเกิน {MAX_QUESTION} ตัวอักษร: {too_long[0][:40]}…")


def asked_questions_field():
    return QuestionLinesField(label="คำถามที่ผู้คนถาม", required=False,
                              help_text=Item._meta.get_field("asked_questions").help_text)


class ReportFieldForm(forms.ModelForm):
    asked_questions = asked_questions_field()

    class Meta:
        model = ReportField
        fields = ["key", "title", "section", "asked_questions", "body"]


class ReportFieldInline(admin.StackedInline):
    model = ReportField
    form = ReportFieldForm
    extra = 0


@admin.register(KMReport)
class KMReportAdmin(SimpleHistoryAdmin):
    list_display = ["title", "unit", "updated_at"]
    inlines = [ReportFieldInline]


@admin.register(ReportField)
class ReportFieldAdmin(SimpleHistoryAdmin):
    form = ReportFieldForm
    list_display = ["section", "title", "report"]
    list_filter = ["report"]


@admin.register(Chapter)
class ChapterAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "report"]
    list_filter = ["report"]


class ItemForm(forms.ModelForm):
    asked_questions = asked_questions_field()

    class Meta:
        model = Item
        fields = ["chapter", "slug", "title", "order", "source", "status", "review", "asked_questions", "body"]


@admin.register(Item)
class ItemAdmin(SimpleHistoryAdmin):
    form = ItemForm
    list_display = ["title", "chapter", "order", "status", "needs_review_flag", "question_count", "updated_at"]
    list_filter = ["status", NeedsReviewFilter, "chapter"]
    search_fields = ["title", "body", "slug", "asked_questions"]
    history_list_display = ["status", "title"]

    @admin.display(boolean=True, description="รอตรวจสอบ")
    def needs_review_flag(self, obj):
        return obj.needs_review

    @admin.display(description="คำถาม")
    def question_count(self, obj):
        return len(obj.asked_questions)


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(SimpleHistoryAdmin):
    list_display = ["abbr", "full", "certain"]
    list_filter = ["certain"]
    search_fields = ["abbr", "full"]


@admin.register(SynonymGroup)
class SynonymGroupAdmin(SimpleHistoryAdmin):
    """Related search terms: what search expands a query with (never shown as synonyms)."""

    list_display = ["__str__"]
    search_fields = ["words", "finds"]
