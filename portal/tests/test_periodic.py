"""The periodic jobs run inside the task worker on an hourly schedule that restarts never double."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_worker_runs_the_periodic_jobs_and_schedules_the_next_run_an_hour_later(database_tasks):
    from django_tasks_db.models import DBTaskResult

    from accounts.models import RateCounter

    old = RateCounter.objects.create(scope="t", key_hash="old", window_start=timezone.now() - datetime.timedelta(days=9))
    call_command("schedule_periodic_jobs")
    call_command("schedule_periodic_jobs")  # a restart: still one in the queue
    assert DBTaskResult.objects.filter(task_path="core.periodic.periodic_jobs").count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    done = DBTaskResult.objects.get(task_path="core.periodic.periodic_jobs", status="SUCCESSFUL")
    assert set(done.return_value) == {"expire_bindings", "purge_insurance_codes", "purge_rate_counters",
                                      "refresh_statistics"}
    assert not RateCounter.objects.filter(pk=old.pk).exists()
    following = DBTaskResult.objects.get(task_path="core.periodic.periodic_jobs", status="READY")
    assert following.run_after > timezone.now() + datetime.timedelta(minutes=55)


def test_the_worker_reevaluates_bindings_daily_shortly_after_midnight(database_tasks, alice, charlie, bind):
    from unittest import mock

    from django_tasks_db.models import DBTaskResult

    from accounts.models import Session
    from accounts.sessions import SessionStore
    from core.periodic import DAILY_AT
    from sharing.models import Binding

    today = timezone.localdate()
    binding = bind(alice, charlie, valid_from=today, valid_until=today + datetime.timedelta(days=1))
    session = SessionStore()
    session["kept"] = "until it expires"
    session.set_expiry(60 * 60)  # expires within the two days the clock moves on
    session.save()
    call_command("schedule_periodic_jobs")
    call_command("schedule_periodic_jobs")  # a restart: still one daily task in the queue
    assert DBTaskResult.objects.filter(task_path="core.periodic.daily_jobs").count() == 1
    two_days_later = timezone.now() + datetime.timedelta(days=2)
    with mock.patch("django.utils.timezone.now", return_value=two_days_later):  # the clock: the outside world
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    done = DBTaskResult.objects.get(task_path="core.periodic.daily_jobs", status="SUCCESSFUL")
    assert done.return_value["reevaluate_bindings"] == "1 binding(s) changed."
    assert done.return_value["verify_audit"].startswith("OK: ")
    assert "clearsessions" in done.return_value and not Session.objects.filter(pk=session.session_key).exists()
    binding.refresh_from_db()
    assert binding.status == Binding.Status.ENDED
    following = DBTaskResult.objects.get(task_path="core.periodic.daily_jobs", status="READY")
    local = timezone.localtime(following.run_after)
    assert local.time() == DAILY_AT and local.date() == timezone.localdate(two_days_later) + datetime.timedelta(days=1)


def test_the_next_daily_run_is_today_until_the_hour_has_come():
    from core.periodic import next_daily_run

    tz = timezone.get_current_timezone()
    assert next_daily_run(datetime.datetime(2026, 5, 1, 0, 5, tzinfo=tz)) == datetime.datetime(2026, 5, 1, 0, 15, tzinfo=tz)
    assert next_daily_run(datetime.datetime(2026, 5, 1, 0, 15, tzinfo=tz)) == datetime.datetime(2026, 5, 2, 0, 15,
                                                                                                 tzinfo=tz)
    assert next_daily_run(datetime.datetime(2026, 12, 31, 23, 0, tzinfo=tz)) == datetime.datetime(2027, 1, 1, 0, 15,
                                                                                                   tzinfo=tz)


def test_the_readme_lists_every_scheduled_job_with_its_schedule():
    from pathlib import Path

    from core.periodic import DAILY_JOBS, JOBS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Periodic jobs", 1)[1].split("\n## ", 1)[0]
    rows = {line.split("|")[1].strip(): line.split("|")[2].strip() for line in table.splitlines()
            if line.startswith("| `./manage.py")}
    for jobs, often in ((JOBS, "hourly"), (DAILY_JOBS, "daily")):
        for name, args in jobs:
            command = f"`./manage.py {' '.join([name, *args])}`"
            assert command in rows, f"README's Periodic jobs table lacks {command}"
            assert rows[command].startswith(often), f"{command} runs {often}, README says {rows[command]}"


def test_a_broken_audit_chain_fails_the_daily_check_loudly(caplog):
    from django.db import connection

    from audit.services import audit_record
    from core.periodic import DAILY_JOBS, _run

    events = [audit_record(actor=None, subject=("test", n), event="test") for n in range(3)]
    with connection.cursor() as cursor:  # the owner, past the append-only trigger
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only")
    results = _run([job for job in DAILY_JOBS if job[0] == "verify_audit"])
    assert results["verify_audit"].startswith("failed: CommandError") and "break" in results["verify_audit"]
    assert any(r.levelname == "ERROR" and "verify_audit" in r.getMessage() for r in caplog.records)
