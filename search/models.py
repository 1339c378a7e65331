import uuid

from django.db import models


class IndexStamp(models.Model):
    """One row whose stamp changes whenever searchable content changes. Every server
    process compares it with the stamp of the index it holds and rebuilds when they
    differ, so all processes answer from the committed content."""

    stamp = models.CharField(max_length=32, default="")
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.stamp

    @classmethod
    def current(cls) -> str:
        return cls.objects.filter(pk=1).values_list("stamp", flat=True).first() or ""

    @classmethod
    def bump(cls):
        stamp = uuid.uuid4().hex
        if not cls.objects.filter(pk=1).update(stamp=stamp):
            cls.objects.update_or_create(pk=1, defaults={"stamp": stamp})


class SearchQuery(models.Model):
    """What someone searched for. No IP address, no user, no session: only the words."""

    WEB, API, LINE = "web", "api", "line"
    SOURCES = [(WEB, "หน้าเว็บ"), (API, "API"), (LINE, "LINE")]

    q = models.CharField("คำค้น", max_length=200)
    normalized = models.CharField("คำค้น (ปรับรูปแล้ว)", max_length=200, db_index=True)
    result_count = models.PositiveIntegerField("จำนวนผลลัพธ์")
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


class AnswerFeedback(models.Model):
    """Did the answer to a search help? One vote per search (a later vote replaces it), for
    the page that answered; LINE's 👍/👎 write here, and the site's answers can share it."""

    query = models.OneToOneField(SearchQuery, on_delete=models.CASCADE, related_name="feedback",
                                 verbose_name="คำค้น")
    url = models.CharField("หน้าที่ตอบ", max_length=300, db_index=True)
    helpful = models.BooleanField("ตรงคำถาม")
    created_at = models.DateTimeField("เวลา", auto_now=True)

    class Meta:
        verbose_name = "ความเห็นต่อคำตอบ"
        verbose_name_plural = "ความเห็นต่อคำตอบ"

    def __str__(self):
        return f"{'👍' if self.helpful else '👎'} {self.url}"

    @classmethod
    def record(cls, query, url, helpful):
        return cls.objects.update_or_create(query=query, defaults={"url": url[:300], "helpful": helpful})[0]
