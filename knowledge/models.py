"""The knowledge base: a unit's KM report, the regulation's chapters and items, the glossary.

Every model keeps a full revision history (who, when, what) through django-simple-history.
"""
from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from volunteerkm.thai import thai_digits

FIELD_KEYS = [
    ("team", "คณะทำงาน"),
    ("topic", "หัวข้อประเด็นความรู้"),
    ("origin", "ที่มาของการจัดการความรู้"),
    ("objectives", "วัตถุประสงค์"),
    ("steps", "ขั้นตอนและวิธีการจัดการความรู้"),
    ("knowledge", "รายละเอียดความรู้ องค์ความรู้"),
    ("dissemination", "วิธีการขยายผลและการเผยแพร่"),
    ("outcomes", "ผลลัพธ์ที่เป็นรูปธรรม"),
    ("success-factors", "ปัจจัยที่สนับสนุนความสำเร็จ"),
    ("problems", "ปัญหา/อุปสรรค"),
    ("evaluation", "การประเมินการจัดการความรู้"),
    ("suggestions", "ข้อเสนอแนะ"),
]


class KMReportQuerySet(models.QuerySet):
    def main(self):
        """The KM report the site opens with (settings.KM_MAIN_REPORT), else the first one;
        None while there is no content."""
        return self.filter(slug=settings.KM_MAIN_REPORT).first() or self.order_by("id").first()


class KMReport(models.Model):
    """One unit's KM report ("1 หน่วยงาน 1 KM")."""

    slug = models.SlugField("รหัส", unique=True)
    title = models.CharField("ชื่อเรื่อง", max_length=300)
    project = models.CharField("โครงการ", max_length=300, blank=True)
    unit = models.CharField("หน่วยงาน", max_length=200)
    source = models.CharField("ต้นฉบับ", max_length=300, blank=True)
    intro = models.TextField("คำนำ", blank=True)
    # Published from the KM workspace, which now keeps it: loading content files leaves it alone.
    in_workspace = models.BooleanField("ดูแลในพื้นที่ทำงาน KM", default=False,
                                       help_text="การนำเข้าไฟล์เนื้อหา (loadkm) จะไม่แก้ไขหรือลบรายงานนี้")
    updated_at = models.DateTimeField("ปรับปรุงเมื่อ", auto_now=True)
    history = HistoricalRecords()

    objects = KMReportQuerySet.as_manager()

    class Meta:
        verbose_name = "รายงาน KM"
        verbose_name_plural = "รายงาน KM"
        ordering = ["id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("knowledge:report", args=[self.slug])


MAX_QUESTION = 200  # a question people ask is at most as long as a search query may be


class AskedQuestions(models.Model):
    """The questions people ask that a page answers, in their own words; search indexes
    them as a field of their own. A list of strings, written `questions:` in the content
    files (the name `questions` is the question bank's reverse relation on items)."""

    asked_questions = models.JSONField("คำถามที่ผู้คนถาม", default=list, blank=True,
                                       help_text="คำถามละหนึ่งบรรทัด เขียนอย่างที่ อพม. และเจ้าหน้าที่ถามจริง")

    class Meta:
        abstract = True

    def add_question(self, question: str) -> bool:
        """Add `question` unless it is already there (compared as written, spaces
        collapsed); True when it was added. The caller saves."""
        question = " ".join(question.split())
        if not question or question in (" ".join(q.split()) for q in self.asked_questions):
            return False
        self.asked_questions = [*self.asked_questions, question]
        return True


class ReportField(AskedQuestions):
    """One of the 12 fields of the KM report template."""

    report = models.ForeignKey(KMReport, on_delete=models.CASCADE, related_name="fields", verbose_name="รายงาน")
    key = models.CharField("หัวข้อแบบฟอร์ม", max_length=30, choices=FIELD_KEYS)
    title = models.CharField("หัวข้อ", max_length=300)
    section = models.PositiveSmallIntegerField("ข้อที่")
    body = models.TextField("เนื้อหา (Markdown)", blank=True)
    updated_at = models.DateTimeField("ปรับปรุงเมื่อ", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "หัวข้อรายงาน KM"
        verbose_name_plural = "หัวข้อรายงาน KM"
        ordering = ["report", "section"]
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="unique_field_key")]

    def __str__(self):
        return f"{self.section}. {self.title}"

    def get_absolute_url(self):
        return reverse("knowledge:report", args=[self.report.slug]) + f"#{self.key}"


class Chapter(models.Model):
    report = models.ForeignKey(KMReport, on_delete=models.CASCADE, related_name="chapters", verbose_name="รายงาน")
    number = models.PositiveSmallIntegerField("หมวดที่")
    slug = models.SlugField("รหัส")
    title = models.CharField("ชื่อหมวด", max_length=300)
    summary = models.TextField("สรุป (Markdown)", blank=True)
    updated_at = models.DateTimeField("ปรับปรุงเมื่อ", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "หมวด"
        verbose_name_plural = "หมวด"
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "slug"], name="unique_chapter_slug"),
            models.UniqueConstraint(fields=["report", "number"], name="unique_chapter_number"),
        ]

    def __str__(self):
        return f"หมวดที่ {thai_digits(self.number)} {self.title}"

    def get_absolute_url(self):
        return reverse("knowledge:chapter", args=[self.report.slug, self.slug])


class ItemQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Item.PUBLISHED)

    def changed_since(self, when):
        """Items edited since ``when``: a revision after the one that created them (a new
        item, or the first load of the content, is not a change)."""
        return self.filter(pk__in=Item.history.filter(history_type="~", history_date__gte=when).values("id"))


class Item(AskedQuestions):
    """One thing a person looks up: its own page, its own anchor, one search hit."""

    DRAFT, PUBLISHED = "draft", "published"
    STATUS_CHOICES = [(DRAFT, "ฉบับร่าง"), (PUBLISHED, "เผยแพร่แล้ว")]

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="items", verbose_name="หมวด")
    slug = models.SlugField("รหัส")
    title = models.CharField("ชื่อเรื่อง", max_length=300)
    order = models.PositiveSmallIntegerField("ลำดับ")
    source = models.CharField("ที่มาในรายงาน", max_length=300, blank=True)
    status = models.CharField("สถานะ", max_length=10, choices=STATUS_CHOICES, default=DRAFT)
    review = models.TextField("ประเด็นรอตรวจสอบ", blank=True, help_text="เว้นว่างเมื่อตรวจสอบแล้ว")
    body = models.TextField("เนื้อหา (Markdown)")
    updated_at = models.DateTimeField("ปรับปรุงเมื่อ", auto_now=True)
    history = HistoricalRecords()

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = "เรื่องความรู้"
        verbose_name_plural = "เรื่องความรู้"
        ordering = ["chapter__report", "chapter__number", "order"]
        constraints = [models.UniqueConstraint(fields=["chapter", "slug"], name="unique_item_slug")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("knowledge:item", args=[self.chapter.report.slug, self.chapter.slug, self.slug])

    @property
    def needs_review(self):
        return bool(self.review.strip())


class GlossaryTerm(models.Model):
    abbr = models.CharField("คำย่อ", max_length=50, unique=True)
    full = models.CharField("คำเต็ม", max_length=300, blank=True)
    certain = models.BooleanField("คำเต็มยืนยันแล้ว", default=True)
    note = models.TextField("หมายเหตุ", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "คำย่อ"
        verbose_name_plural = "อภิธานศัพท์ (คำย่อ)"
        ordering = ["abbr"]

    def __str__(self):
        return f"{self.abbr} = {self.full or '?'}"

    @property
    def anchor(self):
        return "term-" + self.abbr.replace(".", "").replace(" ", "-")


class SynonymGroup(models.Model):
    """Related search terms ("คำค้นที่เกี่ยวข้อง"): a search expansion, not a claim that the
    words mean the same. With `finds` empty the words find each other (ชุด / เครื่องแบบ);
    with `finds`, a query with one of `words` also finds `finds` but not the reverse
    (ต่างด้าว → สัญชาติไทย: a question about foreigners is answered by the nationality
    rule, while a search for สัญชาติไทย is not about foreigners). The site never shows an
    expansion to readers as a synonym."""

    words = models.TextField("คำค้น", help_text="คั่นแต่ละคำด้วยเครื่องหมายจุลภาค (,) ถ้าไม่กรอกช่อง “ค้นพบด้วย” "
                                                "คำในกลุ่มนี้ค้นหากันและกันได้ทุกคำ")
    finds = models.TextField("ค้นพบด้วย (ทางเดียว)", blank=True,
                             help_text="คำที่ค้นพบเมื่อค้นด้วยคำในช่อง “คำค้น” แต่ค้นด้วยคำเหล่านี้จะไม่พบคำในช่อง “คำค้น” "
                                       "เช่น คำค้น ต่างด้าว ค้นพบด้วย สัญชาติไทย คั่นแต่ละคำด้วยจุลภาค (,)")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "คำค้นที่เกี่ยวข้อง"
        verbose_name_plural = "คำค้นที่เกี่ยวข้อง"
        ordering = ["id"]

    def __str__(self):
        words = " / ".join(self.word_list())
        return f"{words} → {' / '.join(self.finds_list())}" if self.finds.strip() else words

    def word_list(self):
        return [w.strip() for w in self.words.split(",") if w.strip()]

    def finds_list(self):
        return [w.strip() for w in self.finds.split(",") if w.strip()]

    def expansion(self):
        """(query words, words they also find): what search/analyzer.py takes; a two-way
        group finds nothing beyond its own words."""
        return self.word_list(), self.finds_list()
