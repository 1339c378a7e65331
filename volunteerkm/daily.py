"""Daily tasks on the task queue. django-tasks has no schedule of its own, so a daily task,
once run, queues its next run a day later (`run_after`), and a command run by `make run`
queues the first one unless one is already waiting or running."""
from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

EVERY = timedelta(days=1)


def run_then_requeue(task, work):
    """`work()`, then `task` queued again a day later, even when `work` failed."""
    try:
        return work()
    finally:
        task.using(run_after=timezone.now() + EVERY).enqueue()


def schedule(task, first_run=None) -> bool:
    """Queue `task`'s daily run unless one is waiting or running; True when queued now."""
    waiting = DBTaskResult.objects.filter(task_path=task.module_path, status__in=["READY", "RUNNING"])
    if waiting.exists():
        return False
    task.using(run_after=first_run or timezone.now()).enqueue()
    return True
