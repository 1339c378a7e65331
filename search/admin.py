from django.contrib import admin

from volunteerkm.admin import ReadOnlyAdmin

from .models import AnswerFeedback, SearchClick, SearchQuery


class SearchClickInline(admin.TabularInline):
    model = SearchClick
    extra = 0
    can_delete = False
    readonly_fields = ["url", "rank", "created_at"]


@admin.register(SearchQuery)
class SearchQueryAdmin(admin.ModelAdmin):
    """Read only: the log records what people asked, editors only read it."""

    list_display = ["q", "result_count", "source", "created_at"]
    list_filter = ["source", "created_at"]
    search_fields = ["q", "normalized"]
    readonly_fields = ["q", "normalized", "result_count", "source", "created_at"]
    inlines = [SearchClickInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AnswerFeedback)
class AnswerFeedbackAdmin(ReadOnlyAdmin):
    """What people said of the answers they got (per page: helpful or not)."""

    list_display = ["url", "helpful", "query", "created_at"]
    list_filter = ["helpful", "query__source", "created_at"]
    search_fields = ["url", "query__q"]
