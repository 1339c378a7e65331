from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Chapter, GlossaryTerm, Item, KMReport, ReportField, SynonymGroup

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


class ReportFieldInline(admin.StackedInline):
    model = ReportField
    extra = 0


@admin.register(KMReport)
class KMReportAdmin(SimpleHistoryAdmin):
    list_display = ["title", "unit", "updated_at"]
    inlines = [ReportFieldInline]


@admin.register(ReportField)
class ReportFieldAdmin(SimpleHistoryAdmin):
    list_display = ["section", "title", "report"]
    list_filter = ["report"]


@admin.register(Chapter)
class ChapterAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "report"]
    list_filter = ["report"]


@admin.register(Item)
class ItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "chapter", "order", "status", "needs_review_flag", "updated_at"]
    list_filter = ["status", NeedsReviewFilter, "chapter"]
    search_fields = ["title", "body", "slug"]
    history_list_display = ["status", "title"]

    @admin.display(boolean=True, description="รอตรวจสอบ")
    def needs_review_flag(self, obj):
        return obj.needs_review


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(SimpleHistoryAdmin):
    list_display = ["abbr", "full", "certain"]
    list_filter = ["certain"]
    search_fields = ["abbr", "full"]


@admin.register(SynonymGroup)
class SynonymGroupAdmin(SimpleHistoryAdmin):
    list_display = ["__str__"]
    search_fields = ["words"]
