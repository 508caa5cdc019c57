"""Background tasks of notifications, run by the task worker (`manage.py db_worker`, started by `make run`)."""

from django.tasks import task


@task
def deliver_sms(message_id: int) -> str:
    from notifications.sms import sms_deliver

    return sms_deliver(message_id)
