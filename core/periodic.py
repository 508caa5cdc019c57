"""Periodic jobs inside the task worker: one task runs the hourly jobs, then schedules itself again an hour later;
another runs the daily jobs, then schedules itself for shortly after the next local midnight.

`manage.py schedule_periodic_jobs` (run by `make run` and `make serve` before the worker starts) puts the first
of each in the queue unless one is already waiting, so restarts never double the schedule. The jobs are the same
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
    ("refresh_statistics", []),  # officials' statistics: the summary tables
]
PERIOD = datetime.timedelta(hours=1)
# Once a day, shortly after local midnight: validity periods end with the day (the re-evaluation of date-based
# ends, and of every rule against the policy in force that day).
DAILY_JOBS = [
    ("reevaluate_bindings", []),
    ("verify_audit", []),  # a broken audit chain is logged as an error (and kept in the task's result)
    ("clearsessions", []),  # Django's own: deletes expired sessions (the session table would only grow)
]
DAILY_AT = datetime.time(0, 15)
log = logging.getLogger("core.periodic")


def _run(jobs) -> dict:
    results = {}
    for name, args in jobs:
        out = io.StringIO()
        try:
            call_command(name, *args, stdout=out)
            results[name] = out.getvalue().strip()
        except Exception as exc:  # noqa: BLE001 - one failing job must not stop the others or the schedule
            log.exception("periodic job %s failed", name)
            results[name] = f"failed: {type(exc).__name__}: {exc}"
    return results


@task
def periodic_jobs() -> dict:
    try:
        return _run(JOBS)
    finally:
        periodic_jobs.using(run_after=timezone.now() + PERIOD).enqueue()


def next_daily_run(now: datetime.datetime | None = None) -> datetime.datetime:
    """DAILY_AT local time on the day after `now`'s local date (or later today, if that is still to come)."""
    local = timezone.localtime(now or timezone.now())
    today = timezone.make_aware(datetime.datetime.combine(local.date(), DAILY_AT))
    return today if today > local else timezone.make_aware(
        datetime.datetime.combine(local.date() + datetime.timedelta(days=1), DAILY_AT))


@task
def daily_jobs() -> dict:
    try:
        return _run(DAILY_JOBS)
    finally:
        daily_jobs.using(run_after=next_daily_run()).enqueue()


def schedule_first_run() -> bool:
    """Queue each periodic task now unless one is already waiting or running. True when one was queued."""
    from django_tasks_db.models import DBTaskResult

    queued = False
    for periodic in (periodic_jobs, daily_jobs):
        waiting = DBTaskResult.objects.filter(task_path=periodic.module_path,
                                              status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
        if not waiting.exists():
            periodic.enqueue()
            queued = True
    return queued
