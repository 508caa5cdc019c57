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
    assert set(done.return_value) == {"expire_bindings", "purge_insurance_codes", "purge_rate_counters"}
    assert not RateCounter.objects.filter(pk=old.pk).exists()
    following = DBTaskResult.objects.get(task_path="core.periodic.periodic_jobs", status="READY")
    assert following.run_after > timezone.now() + datetime.timedelta(minutes=55)
