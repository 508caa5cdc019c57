"""SMS go out from the task worker, not from the request: a slow gateway never slows a page, and a failed
send is retried and then shown to officials."""

import datetime
import re
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from notifications.models import SmsMessage
from notifications.tests.test_http_gateway import Stub

pytestmark = pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection


@pytest.fixture
def queued(settings):
    """The production set-up: tasks in the database, the HTTP gateway as the sender."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.SMS_BACKEND = "notifications.sms.HttpGatewaySender"
    settings.SMS_GATEWAY_TOKEN, settings.SMS_GATEWAY_RETRIES, settings.SMS_GATEWAY_BACKOFF = "t", 0, 0.01
    settings.SMS_TASK_ATTEMPTS, settings.SMS_TASK_RETRY_SECONDS = 2, 0
    stubs = []

    def gateway(statuses=(), delay=0.0):
        stub = Stub(statuses, delay)
        stubs.append(stub)
        settings.SMS_GATEWAY_URL = stub.url
        return stub

    yield gateway
    for stub in stubs:
        stub.close()


def work():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


def test_a_slow_gateway_does_not_slow_the_registration_page(client, make_person, queued):
    stub = queued(delay=1.5)
    person = make_person(name="钱二妮", birth=datetime.date(1990, 2, 2), sex="F", mobile="13700000009")
    started = time.monotonic()
    response = client.post(reverse("accounts:register"),
                           {"name": person.name, "certno": person.certno, "mobile": person.mobile})
    assert response.status_code == 302 and time.monotonic() - started < 1.0
    assert stub.requests == [] and SmsMessage.objects.get().status == "pending"
    work()
    headers, body = stub.requests[0]
    assert body["mobile"] == "13700000009" and re.search(r"\d{6}", body["text"])
    message = SmsMessage.objects.get()
    assert message.status == "sent" and message.text == "" and message.sent_at


def test_a_failed_send_is_retried_and_then_shown_to_officials(admin_client, queued):
    from notifications.sms import send_sms

    queued(statuses=[503, 503, 503])
    send_sms("13700000009", "【共济通】test")
    work()  # first try fails and schedules a retry (due at once here)
    message = SmsMessage.objects.get()
    assert message.attempts >= 1
    work()
    message.refresh_from_db()
    assert (message.status, message.attempts, message.text) == ("failed", 2, "")
    assert "503" in message.last_error
    page = admin_client.get("/admin/notifications/smsmessage/")
    assert page.status_code == 200 and "137****0009" in page.text and "503" in page.text


def test_a_retry_that_succeeds_marks_the_message_sent(queued):
    from notifications.sms import send_sms

    stub = queued(statuses=[503])
    send_sms("13700000009", "hello")
    work()
    work()
    assert SmsMessage.objects.get().status == "sent" and len(stub.requests) == 2
