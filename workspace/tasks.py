"""The daily review reminders on the task queue (volunteerkm/daily.py);
`schedule_review_reminders` (run by `make run`) queues the first one."""
from django_tasks import task

from volunteerkm import daily

from .reminders import send_reminders


@task()
def daily_review_reminders() -> int:
    return daily.run_then_requeue(daily_review_reminders, send_reminders)


def schedule(first_run=None) -> bool:
    return daily.schedule(daily_review_reminders, first_run)
