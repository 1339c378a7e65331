from django.contrib import admin

from volunteerkm.admin import ReadOnlyAdmin

from .models import AuditEvent, Membership, Unit


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "province", "parent"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "short_name", "province", "code"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role", "unit"]
    search_fields = ["user__username", "unit__name"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log is read-only."""

    list_display = ["at", "action", "actor", "unit", "message"]
    list_filter = ["action", "unit"]
    search_fields = ["message", "target"]

