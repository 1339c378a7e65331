"""Exports that take a while run on the task queue (django-tasks, database backend): the
request records an ExportJob and enqueues it in one transaction, and a worker process
(`volunteerkm db_worker`) builds the file. Their state (progress, the finished file, the
error) is kept in the ExportJob row, so any app process answers the progress poll and
serves the file, and restarting or killing a web worker does not touch a running export.

A queued job waits for a worker however long that takes. A running job whose worker died
stops updating; after STALE seconds without news it is shown as stopped and may be
ordered again.
"""
from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from assessments.models import TrainingSession
from volunteerkm.thai import thai_digits

from .models import ExportJob

log = logging.getLogger(__name__)
STALE = 300
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def start(user, kind, params, title) -> ExportJob:
    """Record a job and put it on the queue, both or neither."""
    with transaction.atomic():
        job = ExportJob.objects.create(user=user, kind=kind, params=params, title=title)
        export.enqueue(str(job.pk))
    return job


@task()
def export(job_id: str) -> None:
    """The queued export, as the worker runs it."""
    run(job_id)


class Progress:
    """Writes progress to the job row at most twice a second."""

    def __init__(self, job_id):
        self.job_id = job_id
        self.last = 0.0

    def __call__(self, done, total=None):
        now = time.monotonic()
        if now - self.last < 0.5:
            return
        self.last = now
        values = {"done": int(done), "updated_at": timezone.now()}
        if total is not None:
            values["total"] = int(total)
        ExportJob.objects.filter(pk=self.job_id).update(**values)


def run(job_id):
    updated = ExportJob.objects.filter(pk=job_id, status=ExportJob.QUEUED).update(
        status=ExportJob.RUNNING, updated_at=timezone.now())
    if not updated:
        return  # already taken
    job = ExportJob.objects.get(pk=job_id)
    try:
        data, filename, content_type = build(job, Progress(job_id))
    except Exception as exc:  # the job records the failure; the page shows it
        log.exception("export %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(status=ExportJob.FAILED, updated_at=timezone.now(),
                                                   message=f"สร้างไฟล์ไม่สำเร็จ ({type(exc).__name__})")
        return
    ExportJob.objects.filter(pk=job_id).update(status=ExportJob.DONE, content=data, filename=filename,
                                               content_type=content_type, updated_at=timezone.now(),
                                               done=job.total or 1, total=job.total or 1,
                                               message=f"เสร็จแล้ว ขนาด {thai_digits(f'{len(data) / 1024:,.0f}')} KB")


def build(job, progress):
    from . import certificates, pdf, xlsx
    from .dashboards import province_report, sessions_in
    from .periods import Period
    from .provinces import province_key
    from .session_report import session_report

    p = job.params
    scope = p.get("scope")
    if job.kind == "certificates":
        session = TrainingSession.objects.select_related("unit").get(pk=p["session"])
        certs = certificates.issue(session)
        data = certificates.certificates_pdf(certs, progress, p.get("site_url", ""))
        return data, f"certificates-{session.pk}.pdf", "application/pdf"
    if scope == "session":
        session = TrainingSession.objects.select_related("unit").get(pk=p["session"])
        if job.kind == "xlsx":
            return xlsx.session_workbook(session, progress), f"session-{session.pk}.xlsx", XLSX
        return pdf.session_pdf(session_report(session)), f"session-{session.pk}.pdf", "application/pdf"
    period = Period.from_params(p.get("period") or {})
    if scope == "province":
        units = p.get("units")  # absent: every unit of the province
        if job.kind == "xlsx":
            qs = sessions_in(period, unit_ids=units, province=province_key(p["province"]))
            title = f"จังหวัด{p['province']}" + (" (เฉพาะหน่วยงานที่ผู้ส่งออกมีสิทธิ์ดู)" if units is not None else "")
            return (xlsx.set_workbook(title, period.label, qs, progress),
                    "province.xlsx", XLSX)
        return (pdf.province_pdf(province_report(p["province"], period, unit_ids=units)), "province.pdf",
                "application/pdf")
    if scope == "national":
        qs = sessions_in(period, region=p.get("region") or None)
        title = "ทั้งประเทศ" + (f" {p['region']}" if p.get("region") else "")
        return xlsx.set_workbook(title, period.label, qs, progress), "national.xlsx", XLSX
    raise ValueError(f"unknown export {job.kind}/{scope}")


def is_stale(job) -> bool:
    return job.status == ExportJob.RUNNING and job.updated_at < timezone.now() - timedelta(seconds=STALE)
