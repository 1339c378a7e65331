from django.contrib import admin

from volunteerkm.admin import ReadOnlyAdmin

from .models import QueryResolution, SearchClick, SearchFeedback, SearchQuery


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


@admin.register(SearchFeedback)
class SearchFeedbackAdmin(ReadOnlyAdmin):
    """What people said of the answers and results they got (site and LINE)."""

    list_display = ["query", "target", "helpful", "comment", "created_at"]
    list_filter = ["target", "helpful", "query__source", "created_at"]
    search_fields = ["query__q", "comment"]


@admin.register(QueryResolution)
class QueryResolutionAdmin(admin.ModelAdmin):
    """Editors resolve questions on the gaps page; deleting a resolution here puts the
    question back on the list."""

    list_display = ["normalized", "action", "item", "decided_by", "decided_at"]
    list_filter = ["action"]
    search_fields = ["normalized"]
    readonly_fields = ["normalized", "action", "item", "decided_by", "decided_at"]

    def has_add_permission(self, request):
        return False
