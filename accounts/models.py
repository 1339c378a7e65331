"""Organisation units (the division, regional and province offices …), who belongs to
which unit in which role, and an audit log of the actions that matter.

A unit is where a training is run and where results are counted: a training session
belongs to one unit, and every attempt records the unit, so dashboards can be cut by
unit, by province and by region straight from these tables.
"""
from django.conf import settings
from django.db import models

from volunteerkm.thai import thai_datetime


class Unit(models.Model):
    """An organisation unit: กอส. itself, a regional office, a province office (พมจ.),
    or any other office that runs trainings.

    `province` is the Thai province name for units inside one province (blank for
    national units), so results group by province even when a province has several
    units; `parent` gives the hierarchy (province office → region → division).
    """

    NATIONAL, REGION, PROVINCE, DISTRICT, OTHER = "national", "region", "province", "district", "other"
    KIND_CHOICES = [
        (NATIONAL, "ส่วนกลาง"),
        (REGION, "ภาค/เขต"),
        (PROVINCE, "จังหวัด"),
        (DISTRICT, "อำเภอ/เขต กทม."),
        (OTHER, "หน่วยงานอื่น"),
    ]

    code = models.SlugField("รหัสหน่วยงาน", unique=True, help_text="อักษรอังกฤษตัวเล็ก ตัวเลข และขีด เช่น pmj-chiangmai")
    name = models.CharField("ชื่อหน่วยงาน", max_length=200)
    short_name = models.CharField("ชื่อย่อ", max_length=60, blank=True, help_text="เช่น พมจ.เชียงใหม่")
    kind = models.CharField("ประเภท", max_length=10, choices=KIND_CHOICES, default=PROVINCE)
    province = models.CharField("จังหวัด", max_length=60, blank=True, db_index=True)
    region = models.CharField("ภาค", max_length=60, blank=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name="สังกัด")

    class Meta:
        verbose_name = "หน่วยงาน"
        verbose_name_plural = "หน่วยงาน"
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name


class Membership(models.Model):
    """A user's role in a unit. A trainer sees and runs only the sessions of the units
    they belong to; a user may belong to more than one unit."""

    TRAINER, STAFF, EXECUTIVE, MANAGER = "trainer", "staff", "executive", "manager"
    # The KM workspace: a unit's KM team writes, its executive approves, the division's KM
    # administrators see every unit's pipeline.
    KM_EDITOR, KM_REVIEWER, KM_ADMIN = "km_editor", "km_review", "km_admin"
    ROLE_CHOICES = [
        (TRAINER, "ผู้จัดอบรม"),
        (STAFF, "เจ้าหน้าที่"),
        (EXECUTIVE, "ผู้บริหาร"),
        (MANAGER, "ผู้ดูแลหน่วยงาน"),
        (KM_EDITOR, "ทีม KM (ผู้เขียน)"),
        (KM_REVIEWER, "ผู้บริหารผู้อนุมัติ KM"),
        (KM_ADMIN, "ผู้ดูแล KM ระดับกอง"),
    ]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name="ผู้ใช้")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name="หน่วยงาน")
    role = models.CharField("บทบาท", max_length=10, choices=ROLE_CHOICES, default=TRAINER)

    class Meta:
        verbose_name = "สมาชิกหน่วยงาน"
        verbose_name_plural = "สมาชิกหน่วยงาน"
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership")]

    def __str__(self):
        return f"{self.user} · {self.unit} ({self.get_role_display()})"


def units_of(user):
    """The units a user works in (all units for a superuser)."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    return Unit.objects.filter(memberships__user=user).distinct()


class AuditEvent(models.Model):
    """One recorded action: who did what to which record, when, with what detail.

    Written for actions that change results or who may see them: opening and closing
    a test phase, merging or fixing a pre/post pair, regrading a question, importing
    the question bank.
    """

    at = models.DateTimeField("เวลา", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name="ผู้กระทำ")
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name="หน่วยงาน")
    action = models.CharField("การกระทำ", max_length=60, db_index=True)
    target = models.CharField("รายการ", max_length=200, blank=True, help_text="เช่น assessments.TrainingSession:12")
    message = models.TextField("รายละเอียด", blank=True)
    data = models.JSONField("ข้อมูลประกอบ", default=dict, blank=True)

    class Meta:
        verbose_name = "บันทึกการใช้งาน"
        verbose_name_plural = "บันทึกการใช้งาน"
        ordering = ["-at"]

    def __str__(self):
        return f"{thai_datetime(self.at)} {self.action} {self.target}".strip()


def audit(action, *, actor=None, unit=None, target=None, message="", **data):
    """Record an AuditEvent; `target` may be a model instance."""
    if target is not None and not isinstance(target, str):
        target = f"{target._meta.label}:{target.pk}"
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(action=action, actor=actor, unit=unit, target=target or "", message=message,
                                     data=data)
