"""A unit's KM while its team writes it and its executive reviews it.

Drafts live here, never in the knowledge tables: the public pages, the API, LINE and search
read only those, so nobody outside the unit's KM team and reviewers sees a draft. Publishing
an approved draft writes it into the knowledge tables (workspace/publishing.py); a later
round of edits starts from the same draft while the public keeps the published version.
"""
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Unit
from knowledge.models import FIELD_KEYS, Item, KMReport
from volunteerkm.thai import thai_digits

DRAFT, SUBMITTED, RETURNED, APPROVED, PUBLISHED = "draft", "submitted", "returned", "approved", "published"
STATUS_CHOICES = [
    (DRAFT, "ฉบับร่าง"),
    (SUBMITTED, "เสนอผู้บริหาร"),
    (RETURNED, "ส่งกลับแก้ไข"),
    (APPROVED, "อนุมัติแล้ว"),
    (PUBLISHED, "เผยแพร่แล้ว"),
]
# What the KM team may still change: a draft, one sent back, or a published KM (a new round).
EDITABLE = (DRAFT, RETURNED, PUBLISHED)


class Draft(models.Model):
    """One KM of a unit ("1 หน่วยงาน 1 KM"): its title, the 12 fields of the template and its
    chapters → items, with where it stands in the workflow."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="km_drafts", verbose_name="หน่วยงาน")
    # The KM's address (/km/<slug>/) and its folder in the content files: the published report's
    # slug once published, before that <unit code>-<n>; given once and kept.
    slug = models.SlugField("รหัส", max_length=60, unique=True, editable=False)
    title = models.CharField("ชื่อเรื่อง KM", max_length=300)
    project = models.CharField("โครงการ", max_length=300, blank=True)
    # {field key: Markdown} for the keys of knowledge.models.FIELD_KEYS.
    fields = models.JSONField("หัวข้อตามแบบฟอร์ม", default=dict, blank=True)
    status = models.CharField("สถานะ", max_length=10, choices=STATUS_CHOICES, default=DRAFT, db_index=True)
    report = models.OneToOneField(KMReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="draft",
                                  verbose_name="รายงานที่เผยแพร่")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                   verbose_name="ผู้สร้าง")
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)
    published_at = models.DateTimeField("เผยแพร่ล่าสุด", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "KM ในพื้นที่ทำงาน"
        verbose_name_plural = "KM ในพื้นที่ทำงาน"
        ordering = ["unit__name", "-updated_at"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            if self.report_id:
                self.slug = self.report.slug
            else:
                prefix = self.unit.code
                self.slug = _free_slug(prefix, Draft.objects.filter(slug__startswith=prefix),
                                       KMReport.objects.filter(slug__startswith=prefix))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("workspace:draft", args=[self.pk])

    def field_rows(self):
        """[(key, title, section, body)] in the template's order."""
        return [(key, title, n, self.fields.get(key, "")) for n, (key, title) in enumerate(FIELD_KEYS, start=1)]

    @property
    def editable(self):
        return self.status in EDITABLE

    def items(self):
        return DraftItem.objects.filter(chapter__draft=self).select_related("chapter")

    def overdue_items(self, today=None):
        today = today or timezone.localdate()
        return self.items().filter(review_by__lt=today)


class DraftChapter(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="chapters", verbose_name="KM")
    number = models.PositiveSmallIntegerField("หมวดที่")
    # The published chapter's address, given once and kept when the chapter is renumbered.
    slug = models.SlugField("รหัส", blank=True)
    title = models.CharField("ชื่อหมวด", max_length=300)
    summary = models.TextField("สรุป (Markdown)", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "หมวด (ฉบับทำงาน)"
        verbose_name_plural = "หมวด (ฉบับทำงาน)"
        ordering = ["draft", "number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="unique_draft_chapter_number")]

    def __str__(self):
        return f"หมวดที่ {thai_digits(self.number)} {self.title}"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = _free_slug("chapter", DraftChapter.objects.filter(draft_id=self.draft_id))
        super().save(*args, **kwargs)


def _free_slug(prefix, siblings, published=None):
    """The first of prefix-1, prefix-2 … that no sibling (nor published record) has."""
    taken = set(siblings.values_list("slug", flat=True))
    if published is not None:
        taken |= set(published.values_list("slug", flat=True))
    n = 1
    while f"{prefix}-{n}" in taken:
        n += 1
    return f"{prefix}-{n}"


class DraftItem(models.Model):
    chapter = models.ForeignKey(DraftChapter, on_delete=models.CASCADE, related_name="items", verbose_name="หมวด")
    order = models.PositiveSmallIntegerField("ลำดับ")
    # The published item's address, given once (unique in the KM, so an item may move to
    # another chapter) and kept when the item is reordered.
    slug = models.SlugField("รหัส", blank=True)
    title = models.CharField("ชื่อเรื่อง", max_length=300)
    body = models.TextField("เนื้อหา (Markdown)")
    review_by = models.DateField("ทบทวนภายใน", null=True, blank=True,
                                 help_text="วันที่ควรทบทวนเนื้อหาเรื่องนี้อีกครั้ง")
    reminded_at = models.DateTimeField("เตือนให้ทบทวนล่าสุด", null=True, blank=True, editable=False)
    updated_at = models.DateTimeField("แก้ไขล่าสุด", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "เรื่องความรู้ (ฉบับทำงาน)"
        verbose_name_plural = "เรื่องความรู้ (ฉบับทำงาน)"
        ordering = ["chapter__number", "order"]
        constraints = [models.UniqueConstraint(fields=["chapter", "order"], name="unique_draft_item_order")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            draft = self.chapter.draft
            # Nor one the published KM still has: a new item never takes over a removed one's page.
            published = Item.objects.filter(chapter__report_id=draft.report_id) if draft.report_id else None
            self.slug = _free_slug("item", DraftItem.objects.filter(chapter__draft=draft), published)
        super().save(*args, **kwargs)


class Transition(models.Model):
    """One step of the workflow: who moved the KM from which state to which, when, and why."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="transitions", verbose_name="KM")
    from_status = models.CharField("จากสถานะ", max_length=10, choices=STATUS_CHOICES)
    to_status = models.CharField("เป็นสถานะ", max_length=10, choices=STATUS_CHOICES)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                              verbose_name="ผู้ดำเนินการ")
    # The actor's user name, kept with the record (and in the content files) when the account is gone.
    actor_name = models.CharField("ชื่อผู้ใช้ของผู้ดำเนินการ", max_length=150, blank=True)
    at = models.DateTimeField("เวลา", default=timezone.now)
    comment = models.TextField("ความเห็น", blank=True)

    class Meta:
        verbose_name = "ขั้นตอนการอนุมัติ"
        verbose_name_plural = "ขั้นตอนการอนุมัติ"
        ordering = ["draft", "at", "pk"]

    def __str__(self):
        return f"{self.draft} · {self.get_to_status_display()}"

    def save(self, *args, **kwargs):
        if self.actor_id and not self.actor_name:
            self.actor_name = self.actor.get_username()
        super().save(*args, **kwargs)


def _attachment_path(instance, filename):
    # Stored under a name of our own; the name people gave the file is kept in `name`.
    return f"workspace/{instance.draft_id}/{uuid.uuid4().hex}{instance.extension}"


class Attachment(models.Model):
    """A source document of a KM (the original PDF, an infographic), kept through Django's
    storage API (a deployment may use object storage); only the unit's team, its executive
    and the division's KM administrators can open it."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="attachments", verbose_name="KM")
    file = models.FileField("ไฟล์", upload_to=_attachment_path)
    name = models.CharField("ชื่อไฟล์", max_length=200)
    content_type = models.CharField("ชนิดไฟล์", max_length=50)
    size = models.PositiveIntegerField("ขนาด (ไบต์)")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                    verbose_name="ผู้แนบ")
    uploaded_at = models.DateTimeField("แนบเมื่อ", auto_now_add=True)

    class Meta:
        verbose_name = "เอกสารต้นฉบับ"
        verbose_name_plural = "เอกสารต้นฉบับ"
        ordering = ["draft", "uploaded_at"]

    def __str__(self):
        return self.name

    @property
    def extension(self):
        return {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp"}.get(
            self.content_type, "")
