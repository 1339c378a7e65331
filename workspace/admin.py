from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Draft, Transition


class TransitionInline(admin.TabularInline):
    """The workflow's record is written by the workspace only; the admin shows it."""

    model = Transition
    extra = 0
    fields = ["at", "from_status", "to_status", "actor", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Draft)
class DraftAdmin(SimpleHistoryAdmin):
    list_display = ["title", "unit", "status", "updated_at", "published_at"]
    list_filter = ["status", "unit"]
    search_fields = ["title"]
    readonly_fields = ["status", "report", "created_by", "published_at"]
    inlines = [TransitionInline]
