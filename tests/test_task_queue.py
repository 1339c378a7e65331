"""Exports run on the task queue (django-tasks, database backend): ordering one records the
job and its task together; the worker (`volunteerkm db_worker`) builds the file; killing
the web workers in the middle of an export does not stop it, and its progress still shows."""
import io
import os
import signal
import time
from pathlib import Path

import pytest
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from reports.models import ExportJob

from .helpers import TRAINER_PASSWORD, screenshot


@pytest.mark.django_db
def test_ordering_an_export_queues_it_and_the_worker_builds_it(client, known, km_team):
    response = client.post("/reports/exports/", {"kind": "xlsx", "scope": "session", "session": known["s1"].pk})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.status == ExportJob.QUEUED
    task = DBTaskResult.objects.get()
    assert task.task_path == "reports.jobs.export" and task.args_kwargs["args"] == [str(job.pk)]
    assert task.status == "READY"

    # The worker's own code runs the task; `db_worker` would first lock the queue with a
    # BEGIN EXCLUSIVE, which SQLite refuses inside the test's transaction (the real
    # command in its own process is driven by the next tests, against the real server).
    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=1, worker_id="test-worker", excluded_queue_names=[])
    ready = DBTaskResult.objects.ready().get()
    ready.claim("test-worker")
    worker.run_task(ready)

    job.refresh_from_db()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and job.status == ExportJob.DONE
    wb = load_workbook(io.BytesIO(client.get(f"/reports/exports/{job.pk}/file").content))
    assert "คะแนนรายบุคคล" in wb.sheetnames


@pytest.mark.django_db
def test_a_refused_order_queues_nothing(client, known):
    client.force_login(known["s1"].trainer)
    assert client.post("/reports/exports/", {"kind": "xlsx", "scope": "session",
                                             "session": known["s2"].pk}).status_code == 403
    assert not ExportJob.objects.exists() and not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_a_queued_job_is_never_shown_as_stopped_however_long_it_waits(client, km_team):
    job = ExportJob.objects.create(user=km_team, kind="xlsx", params={}, title="รอคิว")
    ExportJob.objects.filter(pk=job.pk).update(updated_at=job.updated_at.replace(year=2020))
    html = client.get(f"/reports/exports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "รอเริ่มงาน" in html and 'hx-trigger="every 1s"' in html


def gunicorn_workers(master_pid):
    """The pids of the gunicorn master's worker processes (Linux /proc)."""
    workers = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == master_pid:
                workers.append(int(entry.name))
    return workers


@pytest.mark.browser
def test_killing_the_web_workers_during_an_export_does_not_stop_it(real_server, phone_page, committed,
                                                                   django_db_blocker):
    url, gunicorn, _ = real_server
    s = committed["session"]
    phone_page.goto(f"{url}/accounts/login/?next=/reports/sessions/{s.pk}/")
    phone_page.fill("input[name=username]", "rb-trainer")
    phone_page.fill("input[name=password]", TRAINER_PASSWORD)
    phone_page.click("button[type=submit]")
    phone_page.wait_for_url(f"**/reports/sessions/{s.pk}/")

    phone_page.get_by_role("button", name="Excel").click()
    phone_page.locator(".job").first.wait_for()
    with django_db_blocker.unblock():
        job = ExportJob.objects.filter(user=committed["trainer"]).latest("created_at")
        assert job.status in (ExportJob.QUEUED, ExportJob.RUNNING)  # ordered, not finished yet
    killed = gunicorn_workers(gunicorn.pid)
    assert len(killed) == 2
    for pid in killed:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while set(gunicorn_workers(gunicorn.pid)) & set(killed) or len(gunicorn_workers(gunicorn.pid)) < 2:
        assert time.monotonic() < deadline, "gunicorn did not replace its workers"
        time.sleep(0.1)

    # The page keeps polling the new workers; the worker finishes the file.
    link = phone_page.get_by_role("link", name="ดาวน์โหลด")
    link.wait_for(timeout=60_000)
    screenshot(phone_page, "export-after-web-workers-killed-phone")
    with phone_page.expect_download() as info:
        link.click()
    with open(info.value.path(), "rb") as downloaded:
        wb = load_workbook(io.BytesIO(downloaded.read()))
    assert len(list(wb["คะแนนรายบุคคล"].iter_rows())) == 31
    with django_db_blocker.unblock():
        job.refresh_from_db()
        assert job.status == ExportJob.DONE
        task = next(t for t in DBTaskResult.objects.all() if t.args_kwargs["args"] == [str(job.pk)])
        assert task.status == "SUCCESSFUL"
