import json

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from volunteerkm.thai import thai_digits

from .line import channel, news, preview, replies
from .models import LineSubscriber, NewsAnnouncement, NewsBatch


@admin.register(LineSubscriber)
class LineSubscriberAdmin(admin.ModelAdmin):
    """Followers who asked for news: only the LINE user id (shown cut short) and the date.
    Deleting a row stops the news to that person."""

    list_display = ["__str__", "subscribed_at"]
    date_hierarchy = "subscribed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class NewsBatchInline(admin.TabularInline):
    model = NewsBatch
    extra = 0
    can_delete = False
    fields = ["number", "status", "recipients", "error", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(NewsAnnouncement)
class NewsAnnouncementAdmin(admin.ModelAdmin):
    """News of a new or changed item. Editors write it, then send it with the action
    "ส่งทาง LINE", which first shows the message as followers will see it."""

    list_display = ["item", "kind", "status", "created_at", "sent_at", "delivered"]
    list_filter = ["status", "kind"]
    fields = ["item", "kind", "note", "status", "created_by", "created_at", "sent_at"]
    readonly_fields = ["status", "created_by", "created_at", "sent_at"]
    inlines = [NewsBatchInline]
    actions = ["send_on_line"]

    @admin.display(description="ส่งถึง (คน)")
    def delivered(self, obj):
        return thai_digits(news.delivered(obj))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.status == NewsAnnouncement.DRAFT)

    @admin.action(description="ส่งทาง LINE (ดูตัวอย่างก่อนส่ง)")
    def send_on_line(self, request, queryset):
        if not channel.configured():
            self.message_user(request, "ยังไม่ได้ตั้งค่าบัญชี LINE (LINE_CHANNEL_SECRET และ LINE_CHANNEL_ACCESS_TOKEN)",
                              messages.ERROR)
            return None
        sendable = queryset.filter(status__in=[NewsAnnouncement.DRAFT, NewsAnnouncement.FAILED])
        if not sendable:
            self.message_user(request, "ข่าวที่เลือกส่งไปแล้วหรือกำลังส่ง", messages.WARNING)
            return None
        if request.POST.get("confirm") == "yes":
            batches = sum(news.start(a) for a in sendable)
            self.message_user(request, f"เริ่มส่งข่าว {thai_digits(len(sendable))} เรื่องแล้ว "
                                       f"({thai_digits(batches)} ชุด ชุดละไม่เกิน {thai_digits(news.BATCH)} คน)",
                              messages.SUCCESS)
            return None
        previews = [(a, mark_safe(preview.message_html(json.loads(replies.news(a, request.build_absolute_uri("/")
                                                                                 .rstrip("/")).to_json()))))
                    for a in sendable]
        return TemplateResponse(request, "admin/outreach/news_preview.html", {
            **self.admin_site.each_context(request),
            "title": "ตัวอย่างข่าวก่อนส่งทาง LINE",
            "opts": self.model._meta,
            "previews": previews,
            "recipients": thai_digits(news.recipients_count()),
            "selected": format_html_join("", '<input type="hidden" name="{}" value="{}">',
                                         ((helpers.ACTION_CHECKBOX_NAME, a.pk) for a in sendable)),
        })
