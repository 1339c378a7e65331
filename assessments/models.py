"""Question bank, test forms, training sessions, participants, attempts and grading.

How the tables fit together (the analytics in reports/ reads them directly):

    Question ──< Option                      the editable bank (admin, content/questions/)
    Question ──< QuestionVersion             immutable snapshots; every answer points to one
    TestForm ──< FormQuestion / BlueprintRule   fixed questions, or n per chapter
    TrainingSession (unit, date, pre_form, post_form, join code)
        ──< Participant (one person on one device in one session; the pairing key)
    Attempt (session, form, kind pre/post/staff, unit, participant or user,
             score, max_score, submitted_at, idempotency_key UNIQUE)
        ──< Answer (question, version, position, chosen option key, correct)
        ──< SubScore (per chapter; chapter NULL = questions on the KM report fields)
    Regrade                                   a deliberate, recorded change of stored results

Grading happens once, on submission; an attempt keeps its total, its per-chapter
sub-scores and every answer, so reports never re-grade. Editing a question makes a new
QuestionVersion and never changes a stored result; only a Regrade does, and it is
recorded.

Pre/post pairing: a volunteer's pre-test and post-test attempts in a session point to the
same Participant (found again by the device token when the phone comes back for the
post-test). Trainers merge or fix pairs; that only moves attempts between participants.
"""
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Unit
from knowledge.models import Chapter, Item, KMReport, ReportField
from volunteerkm.thai import thai_digits

PRE, POST, STAFF = "pre", "post", "staff"
KIND_CHOICES = [(PRE, "ก่อนอบรม"), (POST, "หลังอบรม"), (STAFF, "เจ้าหน้าที่")]
KIND_LABELS = {PRE: "แบบทดสอบก่อนอบรม", POST: "แบบทดสอบหลังอบรม", STAFF: "แบบทดสอบความรู้สำหรับเจ้าหน้าที่"}

# Section key of a question, sub-score or blueprint rule: the chapter number as text
# ("1" … "7"), or REPORT_SECTION for questions on the KM report's own fields.
REPORT_SECTION = "report"


def section_label(section):
    """'หมวดที่ ๒' (Thai digits, as every page and file writes them) or 'รายงาน KM'."""
    return "รายงาน KM" if section == REPORT_SECTION else f"หมวดที่ {thai_digits(section)}"


# --- question bank ------------------------------------------------------------------

class Question(models.Model):
    """One question of the bank, as editors currently have it.

    A question tests one knowledge item (`item`, whose chapter is copied to `chapter`) or
    one field of the KM report (`field`; `chapter` is then empty). `source` is a quote
    that occurs word for word in that item's or field's text: the passage the answer
    comes from. Multiple-choice questions have 3–5 Option rows, exactly one correct;
    true/false questions use `tf_answer` instead.

    Attempts never read this row to grade: they read the QuestionVersion the person was
    shown. `version` is the number of the latest snapshot. If the item or field it tests
    is removed from the knowledge base, the question loses that link and goes back to
    draft (see signals.py); loading the question files then names it.
    """

    MULTIPLE_CHOICE, TRUE_FALSE = "mc", "tf"
    KIND_CHOICES = [(MULTIPLE_CHOICE, "ปรนัย (เลือกตอบ)"), (TRUE_FALSE, "ถูก/ผิด")]
    EASY, MEDIUM, HARD = 1, 2, 3
    DIFFICULTY_CHOICES = [(EASY, "ง่าย"), (MEDIUM, "ปานกลาง"), (HARD, "ยาก")]
    DRAFT, PUBLISHED = "draft", "published"
    STATUS_CHOICES = [(DRAFT, "ฉบับร่าง"), (PUBLISHED, "เผยแพร่แล้ว")]

    key = models.SlugField("รหัสคำถาม", max_length=80, unique=True,
                           help_text="อักษรอังกฤษตัวเล็ก ตัวเลข และขีด ไม่ซ้ำกัน เช่น qualifications-nationality")
    kind = models.CharField("ชนิด", max_length=2, choices=KIND_CHOICES, default=MULTIPLE_CHOICE)
    text = models.TextField("คำถาม")
    item = models.ForeignKey(Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions",
                             verbose_name="เรื่องความรู้ที่ทดสอบ")
    field = models.ForeignKey(ReportField, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions",
                              verbose_name="หัวข้อรายงาน KM ที่ทดสอบ",
                              help_text="ใช้แทนเรื่องความรู้ เมื่อคำถามทดสอบเนื้อหาของรายงาน KM")
    chapter = models.ForeignKey(Chapter, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions",
                                verbose_name="หมวด", editable=False)
    source = models.TextField("ข้อความอ้างอิง", help_text="ข้อความที่ยกมาจากเนื้อหาของเรื่องความรู้/หัวข้อรายงาน ตรงตามต้นฉบับ")
    explanation = models.TextField("คำอธิบายเฉลย", blank=True)
    tf_answer = models.BooleanField("คำตอบที่ถูก (ถูก/ผิด)", null=True, blank=True)
    difficulty = models.PositiveSmallIntegerField("ระดับความยาก", choices=DIFFICULTY_CHOICES, default=MEDIUM)
    status = models.CharField("สถานะ", max_length=10, choices=STATUS_CHOICES, default=DRAFT, db_index=True)
    version = models.PositiveIntegerField("ฉบับที่", default=0, editable=False)
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("ปรับปรุงเมื่อ", auto_now=True)

    class Meta:
        verbose_name = "คำถาม"
        verbose_name_plural = "คลังคำถาม"
        ordering = ["chapter__number", "key"]
        constraints = [
            # An item or a field, never both; neither only when what it tested was removed
            # from the knowledge base (the question is then set back to draft).
            models.CheckConstraint(condition=Q(item__isnull=True) | Q(field__isnull=True),
                                   name="question_tests_one_thing"),
        ]

    def __str__(self):
        return f"{self.key}: {self.text[:60]}"

    def save(self, *args, **kwargs):
        self.chapter_id = self.item.chapter_id if self.item_id else None
        super().save(*args, **kwargs)

    @property
    def section(self):
        return str(self.chapter.number) if self.chapter_id else REPORT_SECTION

    def source_text(self):
        """Plain text of what the question tests (the item's or the field's body)."""
        from knowledge.render import plain_text

        if self.item_id:
            return plain_text(self.item.title + "\n\n" + self.item.body)
        if self.field_id:
            return plain_text(self.field.title + "\n\n" + self.field.body)
        return ""

    def content_options(self):
        """The options as the person sees them: [(key, text)], and the correct key."""
        if self.kind == self.TRUE_FALSE:
            return [("t", "ถูก"), ("f", "ผิด")], ("t" if self.tf_answer else "f")
        opts = list(self.options.all())
        correct = next((o.key for o in opts if o.correct), "")
        return [(o.key, o.text) for o in opts], correct

    def snapshot(self, user=None):
        """Make a new QuestionVersion if the content differs from the latest one;
        return the latest version. Call after the options are saved."""
        options, correct = self.content_options()
        values = {
            "kind": self.kind, "text": self.text, "options": [{"key": k, "text": t} for k, t in options],
            "correct": correct, "item_id": self.item_id, "field_id": self.field_id, "chapter_id": self.chapter_id,
            "chapter_number": self.chapter.number if self.chapter_id else None, "source": self.source,
            "explanation": self.explanation, "difficulty": self.difficulty,
        }
        latest = self.versions.order_by("-number").first()
        if latest and all(getattr(latest, k) == v for k, v in values.items()):
            return latest
        number = (latest.number if latest else 0) + 1
        version = QuestionVersion.objects.create(question=self, number=number, created_by=user, **values)
        Question.objects.filter(pk=self.pk).update(version=number)
        self.version = number
        return version

    def latest_version(self):
        return self.versions.order_by("-number").first()


class Option(models.Model):
    """One choice of a multiple-choice question. `key` (a–e) is stable: answers and
    distractor counts refer to it."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options", verbose_name="คำถาม")
    key = models.CharField("ตัวเลือก", max_length=1, choices=[(k, k) for k in "abcde"])
    text = models.CharField("ข้อความตัวเลือก", max_length=500)
    correct = models.BooleanField("คำตอบที่ถูก", default=False)

    class Meta:
        verbose_name = "ตัวเลือก"
        verbose_name_plural = "ตัวเลือก"
        ordering = ["question", "key"]
        constraints = [models.UniqueConstraint(fields=["question", "key"], name="unique_option_key")]

    def __str__(self):
        return f"{self.key}. {self.text}"


class QuestionVersion(models.Model):
    """An immutable snapshot of a question as it was shown and graded.

    `options` is a list of {"key", "text"} in the editor's order; `correct` is the right
    key ("a"–"e", or "t"/"f" for true/false). `chapter_number` is kept even if the chapter
    row is later removed, so item analysis and per-chapter scores stay complete.
    """

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="versions", verbose_name="คำถาม")
    number = models.PositiveIntegerField("ฉบับที่")
    kind = models.CharField("ชนิด", max_length=2, choices=Question.KIND_CHOICES)
    text = models.TextField("คำถาม")
    options = models.JSONField("ตัวเลือก")
    correct = models.CharField("คำตอบที่ถูก", max_length=1)
    item = models.ForeignKey(Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name="เรื่องความรู้")
    field = models.ForeignKey(ReportField, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name="หัวข้อรายงาน KM")
    chapter = models.ForeignKey(Chapter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name="หมวด")
    chapter_number = models.PositiveSmallIntegerField("หมวดที่", null=True, blank=True)
    source = models.TextField("ข้อความอ้างอิง", blank=True)
    explanation = models.TextField("คำอธิบายเฉลย", blank=True)
    difficulty = models.PositiveSmallIntegerField("ระดับความยาก", choices=Question.DIFFICULTY_CHOICES)
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="ผู้แก้ไข")

    class Meta:
        verbose_name = "ฉบับของคำถาม"
        verbose_name_plural = "ฉบับของคำถาม"
        ordering = ["question", "number"]
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="unique_question_version")]

    def __str__(self):
        return f"{self.question.key} ฉบับที่ {self.number}"

    @property
    def section(self):
        return str(self.chapter_number) if self.chapter_number else REPORT_SECTION

    def option_text(self, key):
        return next((o["text"] for o in self.options if o["key"] == key), "")


# --- test forms ----------------------------------------------------------------------

class TestForm(models.Model):
    """A test: a fixed list of questions, or a blueprint (n questions per chapter) drawn
    from the published bank. A blueprint is drawn once per training session and phase
    (everyone in the room gets the same questions) and once per attempt for staff tests.

    `pass_mark` is a percentage of the maximum score; `time_limit` is in minutes (empty:
    no limit). A post-test may use the same form as the pre-test or a parallel form
    (`parallel_to` names the form it parallels).
    """

    __test__ = False  # not a pytest test class

    FIXED, BLUEPRINT = "fixed", "blueprint"
    MODE_CHOICES = [(FIXED, "กำหนดข้อคำถามเอง"), (BLUEPRINT, "สุ่มตามผังข้อสอบ (จำนวนข้อต่อหมวด)")]

    key = models.SlugField("รหัสแบบทดสอบ", max_length=80, unique=True, null=True, blank=True,
                           help_text="ใช้ในไฟล์คลังคำถาม (forms.yaml) เว้นว่างได้")
    title = models.CharField("ชื่อแบบทดสอบ", max_length=200)
    # The KM it tests: a blueprint draws only from this KM's chapters and report fields.
    report = models.ForeignKey(KMReport, on_delete=models.SET_NULL, null=True, related_name="test_forms",
                               verbose_name="KM", help_text="แบบทดสอบนี้วัดความรู้จาก KM เรื่องใด")
    kind = models.CharField("ประเภท", max_length=5, choices=KIND_CHOICES, default=PRE)
    mode = models.CharField("วิธีเลือกข้อคำถาม", max_length=10, choices=MODE_CHOICES, default=FIXED)
    pass_mark = models.PositiveSmallIntegerField("เกณฑ์ผ่าน (ร้อยละ)", default=60)
    time_limit = models.PositiveSmallIntegerField("เวลาทำ (นาที)", null=True, blank=True,
                                                  help_text="เว้นว่างถ้าไม่จำกัดเวลา")
    parallel_to = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="parallels",
                                    verbose_name="เป็นฉบับคู่ขนานของ")
    active = models.BooleanField("เปิดใช้", default=True)
    questions = models.ManyToManyField(Question, through="FormQuestion", blank=True, related_name="forms",
                                       verbose_name="ข้อคำถาม")
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("ปรับปรุงเมื่อ", auto_now=True)

    class Meta:
        verbose_name = "แบบทดสอบ"
        verbose_name_plural = "แบบทดสอบ"
        ordering = ["title"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.pass_mark is not None and self.pass_mark > 100:
            raise ValidationError({"pass_mark": "เกณฑ์ผ่านต้องไม่เกินร้อยละ 100"})
        if self.time_limit == 0:
            raise ValidationError({"time_limit": "เวลาทำต้องมากกว่า 0 นาที หรือเว้นว่างถ้าไม่จำกัดเวลา"})


class FormQuestion(models.Model):
    """A question of a fixed form, in the form's order: the order and numbers everyone sees."""

    form = models.ForeignKey(TestForm, on_delete=models.CASCADE, related_name="form_questions", verbose_name="แบบทดสอบ")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="form_questions",
                                 verbose_name="คำถาม")
    order = models.PositiveSmallIntegerField("ลำดับ", default=0)

    class Meta:
        verbose_name = "ข้อคำถามในแบบทดสอบ"
        verbose_name_plural = "ข้อคำถามในแบบทดสอบ"
        ordering = ["form", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "question"], name="unique_form_question")]

    def __str__(self):
        return f"{self.form_id}: {self.order}"

    def clean(self):
        question = self.question if self.question_id else None
        target = question and (question.item.chapter if question.item_id else question.field)
        if target is not None and self.form_id and target.report_id != self.form.report_id:
            raise ValidationError({"question": f"คำถามนี้เป็นของ KM อื่น ไม่ใช่ KM ของแบบทดสอบ ({self.form.report})"})


class BlueprintRule(models.Model):
    """Draw `count` published questions from one chapter (empty chapter: from the
    questions on the KM report) for a blueprint form."""

    form = models.ForeignKey(TestForm, on_delete=models.CASCADE, related_name="rules", verbose_name="แบบทดสอบ")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                                verbose_name="หมวด", help_text="เว้นว่าง = คำถามเรื่องรายงาน KM")
    count = models.PositiveSmallIntegerField("จำนวนข้อ")

    class Meta:
        verbose_name = "ผังข้อสอบ (จำนวนข้อต่อหมวด)"
        verbose_name_plural = "ผังข้อสอบ (จำนวนข้อต่อหมวด)"
        ordering = ["form", "chapter__number"]

    def __str__(self):
        return f"{self.section}: {self.count}"

    @property
    def section(self):
        return str(self.chapter.number) if self.chapter_id else REPORT_SECTION

    def clean(self):
        if self.chapter_id and self.form_id and self.chapter.report_id != self.form.report_id:
            raise ValidationError({"chapter": f"หมวดนี้ไม่ได้อยู่ใน KM ของแบบทดสอบ ({self.form.report})"})


# --- training sessions -------------------------------------------------------------------

# A join code has no look-alike characters (no 0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V).
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTWXY"
CODE_LENGTH = 6


def new_join_code():
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not TrainingSession.objects.filter(code=code).exists():
            return code


class TrainingSession(models.Model):
    """One training run by a trainer of a unit: volunteers join by `code` (or its QR
    code) and take the pre-test and the post-test on their phones.

    Each phase is open while its `*_opened_at` is set and its `*_closed_at` is empty.
    `ask_for` says what a volunteer gives besides the name (PDPA: the least that works).
    The trainer sets the time limit and the pass mark for both tests (copied from the
    pre-test form when the session is made) and `reveal`: when a phone shows the right
    answers (see `answers_revealed`); the score shows at once either way.
    """

    NAME_ONLY, PHONE, NATIONAL_ID = "name", "phone", "national_id"
    ASK_CHOICES = [
        (NAME_ONLY, "ชื่อเท่านั้น"),
        (PHONE, "ชื่อและเบอร์โทรศัพท์"),
        (NATIONAL_ID, "ชื่อและเลขประจำตัวประชาชน"),
    ]

    code = models.CharField("รหัสเข้าร่วม", max_length=8, unique=True, default=new_join_code, editable=False)
    title = models.CharField("ชื่อการอบรม", max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="sessions", verbose_name="หน่วยงาน")
    date = models.DateField("วันที่อบรม")
    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_sessions",
                                verbose_name="ผู้จัดอบรม")
    pre_form = models.ForeignKey(TestForm, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="แบบทดสอบก่อนอบรม")
    post_form = models.ForeignKey(TestForm, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="แบบทดสอบหลังอบรม")
    AFTER_CLOSE, IMMEDIATELY = "after_close", "immediately"
    REVEAL_CHOICES = [
        (AFTER_CLOSE, "เมื่อผู้จัดอบรมปิดแบบทดสอบ (อบรมในห้อง: ไม่มีใครเห็นเฉลยระหว่างที่คนอื่นยังทำอยู่)"),
        (IMMEDIATELY, "ทันทีที่ส่งคำตอบ (ทบทวนด้วยตนเอง)"),
    ]

    ask_for = models.CharField("ข้อมูลที่ขอจากผู้เข้าอบรม", max_length=12, choices=ASK_CHOICES, default=NAME_ONLY)
    time_limit = models.PositiveSmallIntegerField("เวลาทำแบบทดสอบ (นาที)", null=True, blank=True,
                                                  help_text="เว้นว่างถ้าไม่จำกัดเวลา")
    pass_mark = models.PositiveSmallIntegerField("เกณฑ์ผ่านหลังอบรม (ร้อยละ)", default=60,
                                                 help_text="ผู้ที่ได้คะแนนหลังอบรมถึงเกณฑ์นี้ได้วุฒิบัตร")
    reveal = models.CharField("แสดงเฉลยให้ผู้เข้าอบรมเห็น", max_length=12, choices=REVEAL_CHOICES,
                              default=AFTER_CLOSE)
    pre_opened_at = models.DateTimeField("เปิดแบบทดสอบก่อนอบรมเมื่อ", null=True, blank=True)
    pre_closed_at = models.DateTimeField("ปิดแบบทดสอบก่อนอบรมเมื่อ", null=True, blank=True)
    post_opened_at = models.DateTimeField("เปิดแบบทดสอบหลังอบรมเมื่อ", null=True, blank=True)
    post_closed_at = models.DateTimeField("ปิดแบบทดสอบหลังอบรมเมื่อ", null=True, blank=True)
    created_at = models.DateTimeField("สร้างเมื่อ", auto_now_add=True)

    class Meta:
        verbose_name = "การอบรม"
        verbose_name_plural = "การอบรม"
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.title} ({self.code})"

    def get_absolute_url(self):
        return reverse("assessments:trainer_session", args=[self.pk])

    def join_path(self):
        return reverse("assessments:join", args=[self.code])

    def form_for(self, kind):
        return self.pre_form if kind == PRE else self.post_form

    def is_open(self, kind):
        opened, closed = getattr(self, f"{kind}_opened_at"), getattr(self, f"{kind}_closed_at")
        return opened is not None and closed is None

    def set_phase(self, kind, action, now=None):
        """Open (`action` "open") or close ("close") the PRE or POST phase and save.
        Opening one phase closes the other; reopening a closed phase clears its close
        time. Returns False when nothing changed (closing a phase that is not open)."""
        now = now or timezone.now()
        if action == "open":
            other = POST if kind == PRE else PRE
            if self.is_open(other):
                setattr(self, f"{other}_closed_at", now)
            setattr(self, f"{kind}_opened_at", now)
            setattr(self, f"{kind}_closed_at", None)
        elif self.is_open(kind):
            setattr(self, f"{kind}_closed_at", now)
        else:
            return False
        self.save()
        return True

    def answers_revealed(self, kind):
        """Whether a phone may show the right answers of the `kind` test now: at once
        for self-study; otherwise once the trainer has closed that phase (a reopened
        phase hides them again). When both tests use the same form, the pre-test's
        answers wait for the post-test to close, so they cannot help in it."""
        if self.reveal == self.IMMEDIATELY or kind not in (PRE, POST):
            return True
        if kind == PRE and self.pre_form_id == self.post_form_id:
            kind = POST
        return getattr(self, f"{kind}_closed_at") is not None and not self.is_open(kind)

    def open_phase(self):
        """The phase open now (PRE or POST), or None."""
        for kind in (POST, PRE):
            if self.is_open(kind):
                return kind
        return None


class Participant(models.Model):
    """One person taking part in one session: the key that pairs their pre-test and
    post-test.

    `device` is a random token the phone keeps (localStorage, or a cookie without
    JavaScript); joining again from the same device finds the same participant. A
    national ID number is never stored: only a keyed hash (to match the same person
    within the installation) and its last 4 digits (to show back). `merged_into` is set
    when a trainer merges this participant into another.
    """

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="participants",
                                verbose_name="การอบรม")
    name = models.CharField("ชื่อ", max_length=120)
    phone = models.CharField("เบอร์โทรศัพท์", max_length=10, blank=True)
    national_id_hash = models.CharField("รหัสแฮชเลขประจำตัวประชาชน", max_length=64, blank=True, db_index=True)
    national_id_last4 = models.CharField("เลขประจำตัวประชาชน 4 หลักท้าย", max_length=4, blank=True)
    device = models.CharField("โทเค็นอุปกรณ์", max_length=64)
    consent_at = models.DateTimeField("ยินยอมเมื่อ")
    joined_at = models.DateTimeField("เข้าร่วมเมื่อ", auto_now_add=True)
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged",
                                    verbose_name="รวมเข้ากับ")

    class Meta:
        verbose_name = "ผู้เข้าอบรม"
        verbose_name_plural = "ผู้เข้าอบรม"
        ordering = ["session", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "device"], name="unique_participant_device")]

    def __str__(self):
        return self.name

    @staticmethod
    def hash_national_id(digits):
        """A keyed hash: the same number gives the same hash in this installation only."""
        from django.utils.crypto import salted_hmac

        return salted_hmac("assessments.national_id", digits, algorithm="sha256").hexdigest()

    def masked_id(self):
        last4 = self.national_id_last4
        return f"x-xxxx-xxxxx-{last4[:2]}-{last4[2:]}" if last4 else ""


# --- attempts and grading --------------------------------------------------------------

class Attempt(models.Model):
    """One graded submission of a test.

    Volunteers' attempts belong to a session and a participant (kind PRE or POST; one of
    each per participant, enforced by the database); staff attempts belong to a user
    (kind STAFF, no session). `unit` is the session's unit (or the staff member's unit)
    at submission time. `score`/`max_score` is the total; SubScore rows hold the
    per-chapter figures and Answer rows every answer. `idempotency_key` is chosen by the
    client once per attempt and is UNIQUE: a retried submission can never be stored twice.
    """

    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="attempts", verbose_name="การอบรม")
    form = models.ForeignKey(TestForm, on_delete=models.PROTECT, related_name="attempts", verbose_name="แบบทดสอบ")
    kind = models.CharField("ประเภท", max_length=5, choices=KIND_CHOICES, db_index=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="attempts",
                             verbose_name="หน่วยงาน")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="attempts", verbose_name="ผู้เข้าอบรม")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="attempts", verbose_name="เจ้าหน้าที่")
    idempotency_key = models.CharField("รหัสการส่ง", max_length=64, unique=True)
    answers_digest = models.CharField("ลายนิ้วมือคำตอบ", max_length=64, editable=False,
                                      help_text="SHA-256 ของคำตอบที่ส่ง ใช้แยกการส่งซ้ำกับการแก้ไขคำตอบ")
    score = models.PositiveSmallIntegerField("คะแนน")
    max_score = models.PositiveSmallIntegerField("คะแนนเต็ม")
    pass_mark = models.PositiveSmallIntegerField("เกณฑ์ผ่าน (ร้อยละ)")
    passed = models.BooleanField("ผ่านเกณฑ์")
    started_at = models.DateTimeField("เริ่มทำเมื่อ", null=True, blank=True)
    submitted_at = models.DateTimeField("ส่งเมื่อ", default=timezone.now, db_index=True)
    over_time = models.BooleanField("ส่งเกินเวลา", default=False)
    regraded_at = models.DateTimeField("ปรับคะแนนล่าสุดเมื่อ", null=True, blank=True)

    class Meta:
        verbose_name = "ผลการทำแบบทดสอบ"
        verbose_name_plural = "ผลการทำแบบทดสอบ"
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "kind"], condition=Q(participant__isnull=False),
                                    name="one_attempt_per_participant_phase"),
            models.CheckConstraint(condition=Q(participant__isnull=False) | Q(user__isnull=False),
                                   name="attempt_has_a_person"),
        ]
        indexes = [models.Index(fields=["session", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.score}/{self.max_score}"

    @property
    def percent(self):
        return round(100 * self.score / self.max_score) if self.max_score else 0


class Answer(models.Model):
    """One answer of an attempt: which version of which question was shown, at which
    position, which option key was chosen (empty: not answered) and whether it was right."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers",
                                verbose_name="ผลการทำแบบทดสอบ")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers", verbose_name="คำถาม")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="answers",
                                verbose_name="ฉบับของคำถาม")
    position = models.PositiveSmallIntegerField("ข้อที่")
    chosen = models.CharField("ตัวเลือกที่ตอบ", max_length=1, blank=True)
    correct = models.BooleanField("ตอบถูก")

    class Meta:
        verbose_name = "คำตอบ"
        verbose_name_plural = "คำตอบ"
        ordering = ["attempt", "position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="unique_answer_per_question")]
        indexes = [models.Index(fields=["version", "chosen"])]

    def __str__(self):
        return f"{self.attempt_id}/{self.position}: {self.chosen or '-'}"


class SubScore(models.Model):
    """An attempt's score on one chapter (`section` "1"–"7") or on the KM report
    questions (`section` "report", `chapter` empty)."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="subscores",
                                verbose_name="ผลการทำแบบทดสอบ")
    section = models.CharField("หมวด", max_length=10)
    chapter = models.ForeignKey(Chapter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name="หมวด (ข้อมูล)")
    score = models.PositiveSmallIntegerField("คะแนน")
    max_score = models.PositiveSmallIntegerField("คะแนนเต็ม")

    class Meta:
        verbose_name = "คะแนนรายหมวด"
        verbose_name_plural = "คะแนนรายหมวด"
        ordering = ["attempt", "section"]
        constraints = [models.UniqueConstraint(fields=["attempt", "section"], name="unique_subscore_section")]

    def __str__(self):
        return f"{self.attempt_id} {self.section}: {self.score}/{self.max_score}"

    @property
    def label(self):
        return section_label(self.section)


class Regrade(models.Model):
    """A deliberate change of stored results after a question was found wrong: every
    answer given to `from_version` is graded again with `to_version`'s correct option.
    `changes` lists {"attempt", "old_score", "new_score"} for every attempt that changed."""

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="regrades", verbose_name="คำถาม")
    from_version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+", verbose_name="ฉบับเดิม")
    to_version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="ฉบับที่ใช้ตรวจใหม่")
    reason = models.TextField("เหตุผล")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                           verbose_name="ผู้ปรับคะแนน")
    at = models.DateTimeField("เมื่อ", auto_now_add=True)
    changes = models.JSONField("ผลที่เปลี่ยน", default=list)

    class Meta:
        verbose_name = "การตรวจให้คะแนนใหม่"
        verbose_name_plural = "การตรวจให้คะแนนใหม่"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.question_id}: {self.from_version_id} → {self.to_version_id}"

