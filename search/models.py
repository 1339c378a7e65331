from django.conf import settings
from django.db import models
from django.utils import timezone


class IndexChange(models.Model):
    """A searchable document changed (its key: "item:12", "field:3"), or everything did
    ("*": the glossary or the thesaurus, which change how all text is read). Every server
    process reads the changes it has not applied before each query and updates its own
    index: one document at a time, or for "*" a rebuild in the background while the old
    index keeps answering."""

    ALL = "*"
    KEEP = timezone.timedelta(days=7)  # older changes are deleted; a process idle that long rebuilds

    key = models.CharField(max_length=40)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.key

    @classmethod
    def record(cls, keys):
        keys = list(dict.fromkeys(keys))
        if not keys:
            return
        created = cls.objects.bulk_create([cls(key=k) for k in keys])
        last = created[-1].pk
        if last and last % 500 == 0:  # now and then, forget what every process has long applied
            cls.objects.filter(at__lt=timezone.now() - cls.KEEP).delete()


class SearchQuery(models.Model):
    """What someone searched for. No IP address, no user, no session: only the words."""

    WEB, API, LINE = "web", "api", "line"
    SOURCES = [(WEB, "หน้าเว็บ"), (API, "API"), (LINE, "LINE")]

    q = models.CharField("คำค้น", max_length=200)
    normalized = models.CharField("คำค้น (ปรับรูปแล้ว)", max_length=200, db_index=True)
    result_count = models.PositiveIntegerField("จำนวนผลลัพธ์")
    answered = models.BooleanField("มีคำตอบตรง", default=False)
    source = models.CharField("ช่องทาง", max_length=10, choices=SOURCES, default=WEB)
    created_at = models.DateTimeField("เวลา", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "คำค้น"
        verbose_name_plural = "บันทึกคำค้น"
        ordering = ["-created_at"]

    def __str__(self):
        return self.q


class SearchClick(models.Model):
    """A result someone opened from a search."""

    query = models.ForeignKey(SearchQuery, on_delete=models.CASCADE, related_name="clicks", verbose_name="คำค้น")
    url = models.CharField("ลิงก์ที่เปิด", max_length=300)
    rank = models.PositiveSmallIntegerField("ลำดับผลลัพธ์")
    created_at = models.DateTimeField("เวลา", auto_now_add=True)

    class Meta:
        verbose_name = "การเปิดผลค้นหา"
        verbose_name_plural = "การเปิดผลค้นหา"

    def __str__(self):
        return self.url


class SearchFeedback(models.Model):
    """👍 or 👎 on a search's results or on its direct answer. Who gave it is not kept (no
    user, address or session); a comment, asked for only after 👎, is stored with phone
    numbers, e-mail addresses and ID numbers removed."""

    RESULTS, ANSWER = "results", "answer"
    TARGETS = [(RESULTS, "ผลการค้นหา"), (ANSWER, "คำตอบตรง")]
    MAX_COMMENT = 300

    query = models.ForeignKey(SearchQuery, on_delete=models.CASCADE, related_name="feedback", verbose_name="คำค้น")
    target = models.CharField("ตอบเรื่อง", max_length=10, choices=TARGETS, default=RESULTS)
    helpful = models.BooleanField("ตอบคำถาม")
    comment = models.CharField("ความเห็น", max_length=MAX_COMMENT, blank=True)
    created_at = models.DateTimeField("เวลา", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "ความเห็นต่อผลค้นหา"
        verbose_name_plural = "ความเห็นต่อผลค้นหา"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{'👍' if self.helpful else '👎'} {self.query}"


class QueryResolution(models.Model):
    """What editors did with a question people asked and did not find: attached it to the
    item, or the field of the KM report, that answers it (it became one of its questions), or marked it as not
    covered by this KM. Either way it leaves the list of questions to look at."""

    ATTACHED, NOT_COVERED = "attached", "not_covered"
    ACTIONS = [(ATTACHED, "แนบกับเรื่องที่ตอบแล้ว"), (NOT_COVERED, "ไม่อยู่ในขอบเขตของ KM นี้")]

    normalized = models.CharField("คำค้น (ปรับรูปแล้ว)", max_length=200, unique=True)
    action = models.CharField("การดำเนินการ", max_length=12, choices=ACTIONS)
    item = models.ForeignKey("knowledge.Item", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="resolved_queries", verbose_name="เรื่องที่ตอบ")
    field = models.ForeignKey("knowledge.ReportField", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="resolved_queries", verbose_name="หัวข้อรายงาน KM ที่ตอบ")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   verbose_name="ผู้ตัดสิน")
    decided_at = models.DateTimeField("เมื่อ", auto_now=True)

    class Meta:
        verbose_name = "คำค้นที่จัดการแล้ว"
        verbose_name_plural = "คำค้นที่จัดการแล้ว"
        ordering = ["-decided_at"]

    def __str__(self):
        return f"{self.normalized} ({self.get_action_display()})"

    @property
    def answered_by(self):
        """The item or report field the question was attached to, if any."""
        return self.item or self.field
