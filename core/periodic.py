"""Periodic jobs inside the task worker: one task runs every job, then schedules itself again an hour later.

`manage.py schedule_periodic_jobs` (run by `make run` and `make serve` before the worker starts) puts the first
one in the queue unless one is already waiting, so restarts never double the schedule. The jobs are the same
management commands cron could run; each is safe to run any time, any number of times.
"""

import datetime
import io
import logging

from django.core.management import call_command
from django.tasks import TaskResultStatus, task
from django.utils import timezone

JOBS = [
    ("expire_bindings", []),
    ("purge_insurance_codes", ["--older-than-hours", "24"]),
    ("purge_rate_counters", []),
]
PERIOD = datetime.timedelta(hours=1)
log = logging.getLogger("core.periodic")


@task
def periodic_jobs() -> dict:
    results = {}
    try:
        for name, args in JOBS:
            out = io.StringIO()
            try:
                call_command(name, *args, stdout=out)
                results[name] = out.getvalue().strip()
            except Exception as exc:  # noqa: BLE001 - one failing job must not stop the others or the schedule
                log.exception("periodic job %s failed", name)
                results[name] = f"failed: {type(exc).__name__}: {exc}"
    finally:
        periodic_jobs.using(run_after=timezone.now() + PERIOD).enqueue()
    return results


def schedule_first_run() -> bool:
    """Queue the periodic task now unless one is already waiting or running. True when one was queued."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=periodic_jobs.module_path,
                                          status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
    if waiting.exists():
        return False
    periodic_jobs.enqueue()
    return True
