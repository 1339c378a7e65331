"""What outreach keeps: for LINE, the webhook events already handled (so a redelivery is
handled once), the followers who asked for news (only their LINE user id) and the news
editors send them."""
import uuid

from django.conf import settings
from django.db import models

from knowledge.models import Item


class LineEvent(models.Model):
    """A webhook event that has been handled. `pending` holds the reply (the messages as
    JSON) until LINE has accepted it, so a redelivery sends it again instead of doing the
    work twice. Nothing about the sender is kept. Rows older than a week are pruned."""

    event_id = models.CharField("รหัสเหตุการณ์", max_length=64, unique=True)
    pending = models.TextField("คำตอบที่ยังส่งไม่สำเร็จ", blank=True)
    received_at = models.DateTimeField("ได้รับเมื่อ", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "เหตุการณ์จาก LINE"
        verbose_name_plural = "เหตุการณ์จาก LINE"

    def __str__(self):
        return self.event_id


class LineSubscriber(models.Model):
    """A follower who typed "รับข่าว". Only the LINE user id and when they opted in;
    "หยุดรับข่าว", unfollowing or an editor deleting the row removes it."""

    user_id = models.CharField("LINE user id", max_length=64, unique=True)
    subscribed_at = models.DateTimeField("สมัครรับข่าวเมื่อ", auto_now_add=True)

    class Meta:
        verbose_name = "ผู้รับข่าวทาง LINE"
        verbose_name_plural = "ผู้รับข่าวทาง LINE"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.user_id[:6]}…"


class NewsAnnouncement(models.Model):
    """News of a new or changed knowledge item, for the followers who opted in."""

    NEW, CHANGED = "new", "changed"
    KINDS = [(NEW, "เรื่องใหม่"), (CHANGED, "ปรับปรุงเนื้อหา")]
    DRAFT, SENDING, SENT, FAILED = "draft", "sending", "sent", "failed"
    STATUSES = [(DRAFT, "ยังไม่ส่ง"), (SENDING, "กำลังส่ง"), (SENT, "ส่งแล้ว"), (FAILED, "ส่งไม่ครบ")]

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+", verbose_name="เรื่องความรู้",
                             limit_choices_to={"status": Item.PUBLISHED})
    kind = models.CharField("ประเภทข่าว", max_length=10, choices=KINDS, default=NEW)
    note = models.CharField("ข้อความถึงผู้รับ", max_length=300, blank=True,
                            help_text="ไม่บังคับ เช่น สรุปสั้น ๆ ว่าเปลี่ยนอะไร")
    status = models.CharField("สถานะ", max_length=10, choices=STATUSES, default=DRAFT)
    key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="ผู้สร้าง")
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    sent_at = models.DateTimeField("สั่งส่งเมื่อ", null=True, blank=True)

    class Meta:
        verbose_name = "ข่าวทาง LINE"
        verbose_name_plural = "ข่าวทาง LINE"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.item.title}"


class NewsBatch(models.Model):
    """Up to 500 followers (LINE's multicast limit), named by a range of subscriber rows
    rather than by their ids, so a follower who opts out before the batch runs is skipped
    and no copy of any user id is kept."""

    QUEUED, SENT, FAILED = "queued", "sent", "failed"
    STATUSES = [(QUEUED, "รอส่ง"), (SENT, "ส่งแล้ว"), (FAILED, "ส่งไม่สำเร็จ")]

    announcement = models.ForeignKey(NewsAnnouncement, on_delete=models.CASCADE, related_name="batches",
                                     verbose_name="ข่าว")
    number = models.PositiveIntegerField("ชุดที่")
    first_pk = models.PositiveBigIntegerField()
    last_pk = models.PositiveBigIntegerField()
    status = models.CharField("สถานะ", max_length=10, choices=STATUSES, default=QUEUED)
    recipients = models.PositiveIntegerField("จำนวนผู้รับ", default=0)
    error = models.CharField("ข้อผิดพลาด", max_length=300, blank=True)
    updated_at = models.DateTimeField("ปรับปรุงเมื่อ", auto_now=True)

    class Meta:
        verbose_name = "ชุดการส่งข่าว"
        verbose_name_plural = "ชุดการส่งข่าว"
        ordering = ["announcement", "number"]
        constraints = [models.UniqueConstraint(fields=["announcement", "number"], name="unique_news_batch")]

    def __str__(self):
        return f"ชุดที่ {self.number}"

    @property
    def retry_key(self) -> str:
        """The same key every time this batch is tried: LINE sends a multicast once per key."""
        return str(uuid.uuid5(self.announcement.key, str(self.number)))
