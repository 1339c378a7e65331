"""The daily retention run on the task queue. django-tasks has no schedule of its own, so
the task, once run, queues its next run a day later (`run_after`); `schedule_retention`
(run by `make run`) queues the first one unless one is already waiting."""
from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from .retention import purge_expired

EVERY = timedelta(days=1)


@task()
def daily_retention() -> int:
    try:
        return purge_expired()
    finally:  # a failed run still keeps the schedule
        daily_retention.using(run_after=timezone.now() + EVERY).enqueue()


def schedule(first_run=None) -> bool:
    """Queue the daily run unless one is waiting or running; True when queued now."""
    waiting = DBTaskResult.objects.filter(task_path=daily_retention.module_path, status__in=["READY", "RUNNING"])
    if waiting.exists():
        return False
    daily_retention.using(run_after=first_run or timezone.now()).enqueue()
    return True
