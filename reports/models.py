"""What reports keeps of its own: per-session summaries (so national and provincial
dashboards add up a few thousand rows instead of millions of answers), certificates of
completion, and export jobs (their state lives here so any app process can report
progress and serve the file).
"""
import secrets
import uuid

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse

from assessments.models import Attempt, Participant, TrainingSession, section_label

BINS = 10  # score distribution: 0–9 %, 10–19 % … 90–100 %


class SessionSummary(models.Model):
    """Sufficient statistics of one training session's pre-tests and post-tests, computed
    from the stored attempt totals and sub-scores (never by re-grading).

    ``fingerprint`` summarises the session's attempts (how many, the newest id, the sum of
    participant ids and scores, the last regrade) so a summary that no longer matches its
    attempts is found and recomputed before it is read.
    Percentages are 100 · score / max_score of each attempt.
    """

    session = models.OneToOneField(TrainingSession, on_delete=models.CASCADE, primary_key=True, related_name="+",
                                   verbose_name="การอบรม")
    fingerprint = models.CharField(max_length=120)
    computed_at = models.DateTimeField(auto_now=True)
    pre_n = models.PositiveIntegerField(default=0)
    pre_sum_pct = models.FloatField(default=0)
    pre_sumsq_pct = models.FloatField(default=0)
    pre_passed = models.PositiveIntegerField(default=0)
    post_n = models.PositiveIntegerField(default=0)
    post_sum_pct = models.FloatField(default=0)
    post_sumsq_pct = models.FloatField(default=0)
    post_passed = models.PositiveIntegerField(default=0)
    # people with both a pre-test and a post-test
    pair_n = models.PositiveIntegerField(default=0)
    pair_sum_pre = models.FloatField(default=0)
    pair_sum_post = models.FloatField(default=0)
    pair_sumsq_gain = models.FloatField(default=0)
    pair_improved = models.PositiveIntegerField(default=0)
    pair_post_passed = models.PositiveIntegerField(default=0)
    pair_sum_g = models.FloatField(default=0)     # Σ individual normalised gain
    pair_n_g = models.PositiveIntegerField(default=0)  # people whose pre-test was below 100 %
    hist_pre = models.JSONField(default=list)
    hist_post = models.JSONField(default=list)

    class Meta:
        verbose_name = "สรุปผลการอบรม"
        verbose_name_plural = "สรุปผลการอบรม"

    def __str__(self):
        return f"สรุปผลการอบรม #{self.session_id}"


class SectionSummary(models.Model):
    """Σ score and Σ maximum of one session's attempts of one kind on one section
    (chapter number "1"–"7", or "report")."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=5)
    section = models.CharField(max_length=10)
    score = models.PositiveIntegerField(default=0)
    max_score = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "สรุปคะแนนรายหมวดของการอบรม"
        verbose_name_plural = "สรุปคะแนนรายหมวดของการอบรม"
        constraints = [models.UniqueConstraint(fields=["session", "kind", "section"], name="unique_section_summary")]

    def __str__(self):
        return f"สรุปคะแนน{section_label(self.section)} ({self.kind}) การอบรม #{self.session_id}"


# --- certificates ---------------------------------------------------------------------------

SIGNER_SALT = "reports.certificate"


def new_certificate_code():
    return secrets.token_urlsafe(12)  # 96 random bits


class Certificate(models.Model):
    """A certificate of completion (วุฒิบัตร) for a participant who passed the post-test.

    The public address carries ``code`` (96 random bits) signed with the site's key, so
    it can be neither guessed nor forged; the name, training and date are copied at issue
    time, as printed. Its status is read live: a certificate stays valid while it is not
    revoked and its post-test still counts as passed (a regrade may change that)."""

    attempt = models.OneToOneField(Attempt, on_delete=models.PROTECT, related_name="certificate",
                                   verbose_name="ผลแบบทดสอบหลังอบรม")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+", verbose_name="ผู้เข้าอบรม")
    session = models.ForeignKey(TrainingSession, on_delete=models.PROTECT, related_name="+", verbose_name="การอบรม")
    number = models.CharField("เลขที่", max_length=40, unique=True)
    code = models.CharField("รหัสตรวจสอบ", max_length=40, unique=True, default=new_certificate_code, editable=False)
    name = models.CharField("ชื่อผู้ได้รับ", max_length=120)
    training = models.CharField("การอบรม", max_length=200)
    unit_name = models.CharField("หน่วยงานผู้จัด", max_length=200)
    training_date = models.DateField("วันที่อบรม")
    score = models.PositiveSmallIntegerField("คะแนน")
    max_score = models.PositiveSmallIntegerField("คะแนนเต็ม")
    issued_at = models.DateTimeField("ออกเมื่อ", auto_now_add=True)
    revoked_at = models.DateTimeField("เพิกถอนเมื่อ", null=True, blank=True)
    revoked_reason = models.CharField("เหตุผลที่เพิกถอน", max_length=300, blank=True)

    class Meta:
        verbose_name = "วุฒิบัตร"
        verbose_name_plural = "วุฒิบัตร"
        ordering = ["session", "name"]

    def __str__(self):
        return f"{self.number} {self.name}"

    def get_absolute_url(self):
        return reverse("reports:verify", args=[self.token])

    @property
    def token(self):
        return signing.Signer(salt=SIGNER_SALT, sep=".").sign(self.code)

    @staticmethod
    def code_from_token(token):
        """The code inside a signed token, or None if the signature does not match."""
        try:
            return signing.Signer(salt=SIGNER_SALT, sep=".").unsign(token)
        except signing.BadSignature:
            return None

    def verify_url(self, base: str = ""):
        """The address printed in the certificate's QR code: ``base`` (the site as the
        person who asked for the PDF reached it, see volunteerkm/links.py), else SITE_URL.
        The token alone identifies the certificate, so the page answers on any host the
        site is served under."""
        return (base or settings.SITE_URL) + self.get_absolute_url()

    @property
    def valid(self):
        return self.revoked_at is None and self.attempt.passed

    @property
    def status_text(self):
        if self.revoked_at is not None:
            return "ถูกเพิกถอน" + (f" ({self.revoked_reason})" if self.revoked_reason else "")
        if not self.attempt.passed:
            return "ไม่มีผล เนื่องจากผลการทดสอบหลังอบรมไม่ผ่านเกณฑ์หลังการตรวจให้คะแนนใหม่"
        return "ใช้ได้"


# --- export jobs -----------------------------------------------------------------------------

class ExportJob(models.Model):
    """A long export run in the background. Its state is in the database, so with several
    app processes any of them answers the progress poll and serves the finished file."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATUS_CHOICES = [(QUEUED, "รอคิว"), (RUNNING, "กำลังทำ"), (DONE, "เสร็จแล้ว"), (FAILED, "ไม่สำเร็จ")]
    KIND_CHOICES = [("xlsx", "ไฟล์ Excel"), ("pdf", "รายงาน PDF"), ("certificates", "วุฒิบัตร PDF")]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("ชนิด", max_length=20, choices=KIND_CHOICES)
    params = models.JSONField("เงื่อนไข", default=dict)
    title = models.CharField("ชื่องาน", max_length=300)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="ผู้สั่ง")
    status = models.CharField("สถานะ", max_length=10, choices=STATUS_CHOICES, default=QUEUED)
    done = models.PositiveIntegerField("ทำแล้ว", default=0)
    total = models.PositiveIntegerField("ทั้งหมด", default=0)
    message = models.CharField("ข้อความ", max_length=300, blank=True)
    filename = models.CharField("ชื่อไฟล์", max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField("ไฟล์", null=True, blank=True)
    created_at = models.DateTimeField("สั่งเมื่อ", auto_now_add=True)
    updated_at = models.DateTimeField("ปรับปรุงเมื่อ", auto_now=True)

    class Meta:
        verbose_name = "งานส่งออก"
        verbose_name_plural = "งานส่งออก"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def percent(self):
        if self.status == self.DONE:
            return 100
        return min(99, int(100 * self.done / self.total)) if self.total else 0
