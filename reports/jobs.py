"""Exports that take a while run in a background thread of the app process that took the
request; their state (progress, the finished file, the error) is kept in ExportJob rows,
so with several app processes any of them answers the progress poll and serves the file.

A job whose process died stops updating; after STALE seconds without news it is shown as
failed and may be ordered again.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from assessments.models import TrainingSession

from .models import ExportJob

log = logging.getLogger(__name__)
STALE = 300
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def start(user, kind, params, title, run_now=False) -> ExportJob:
    """Record a job and run it after the transaction commits (in a thread, or right here
    with ``run_now``)."""
    job = ExportJob.objects.create(user=user, kind=kind, params=params, title=title)
    if run_now:
        run(job.pk)
    else:
        transaction.on_commit(lambda: threading.Thread(target=_thread, args=(job.pk,), daemon=True,
                                                       name=f"export-{job.pk}").start())
    return job


def _thread(job_id):
    close_old_connections()
    try:
        run(job_id)
    finally:
        connection.close()


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
                                               message=f"เสร็จแล้ว ขนาด {len(data) / 1024:,.0f} KB")


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
        if job.kind == "xlsx":
            qs = sessions_in(period, province=province_key(p["province"]))
            return (xlsx.set_workbook(f"จังหวัด{p['province']}", period.label, qs, progress),
                    "province.xlsx", XLSX)
        return pdf.province_pdf(province_report(p["province"], period)), "province.pdf", "application/pdf"
    if scope == "national":
        qs = sessions_in(period, region=p.get("region") or None)
        title = "ทั้งประเทศ" + (f" {p['region']}" if p.get("region") else "")
        return xlsx.set_workbook(title, period.label, qs, progress), "national.xlsx", XLSX
    raise ValueError(f"unknown export {job.kind}/{scope}")


def is_stale(job) -> bool:
    return job.status in (ExportJob.QUEUED, ExportJob.RUNNING) and \
        job.updated_at < timezone.now() - timedelta(seconds=STALE)
