"""The daily review reminders on the task queue: once run, the task queues its next run a day
later; `schedule_review_reminders` (run by `make run`) queues the first unless one is waiting."""
from datetime import timedelta

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from .reminders import send_reminders

EVERY = timedelta(days=1)


@task()
def daily_review_reminders() -> int:
    try:
        return send_reminders()
    finally:  # a failed run still keeps the schedule
        daily_review_reminders.using(run_after=timezone.now() + EVERY).enqueue()


def schedule(first_run=None) -> bool:
    """Queue the daily run unless one is waiting or running; True when queued now."""
    waiting = DBTaskResult.objects.filter(task_path=daily_review_reminders.module_path,
                                          status__in=["READY", "RUNNING"])
    if waiting.exists():
        return False
    daily_review_reminders.using(run_after=first_run or timezone.now()).enqueue()
    return True
