from django.contrib import admin, messages
from django.utils import timezone

from .models import Certificate, ExportJob


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "training", "training_date", "unit_name", "status"]
    list_filter = ["training_date"]
    search_fields = ["number", "name", "training", "unit_name"]
    readonly_fields = ["attempt", "participant", "session", "number", "code", "name", "training", "unit_name",
                       "training_date", "score", "max_score", "issued_at", "revoked_at"]
    fields = readonly_fields + ["revoked_reason"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="สถานะ")
    def status(self, obj):
        return obj.status_text

    @admin.action(description="เพิกถอนวุฒิบัตรที่เลือก")
    def revoke(self, request, queryset):
        n = queryset.filter(revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_reason="เพิกถอนโดยผู้ดูแลระบบ")
        self.message_user(request, f"เพิกถอนแล้ว {n} ฉบับ", messages.SUCCESS)


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "status", "percent", "created_at", "updated_at"]
    list_filter = ["status", "kind"]
    exclude = ["content"]
    readonly_fields = ["kind", "params", "title", "user", "status", "done", "total", "message", "filename",
                       "content_type", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False
