"""The daily retention run on the task queue (volunteerkm/daily.py); `schedule_retention`
(run by `make run`) queues the first one."""
from django_tasks import task

from volunteerkm import daily

from .retention import purge_expired


@task()
def daily_retention() -> int:
    return daily.run_then_requeue(daily_retention, purge_expired)


def schedule(first_run=None) -> bool:
    return daily.schedule(daily_retention, first_run)
