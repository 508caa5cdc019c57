"""Background tasks of the registry, run by the task worker (`manage.py db_worker`, started by `make run`)."""

from django.tasks import task


@task
def apply_registry_upload(job_id: str) -> str:
    from registry.import_jobs import import_job_run

    return import_job_run(job_id)
