"""Pluggable SMS senders, chosen by settings.SMS_BACKEND (like EMAIL_BACKEND).

Callers use `send_sms()`; the bureau's gateway is one more class with a
`send(mobile, text)` method.
"""

import datetime
import json
import logging
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

# Messages sent through LocmemSender, for tests (like django.core.mail.outbox).
outbox: list[tuple[str, str]] = []


class ConsoleSender:
    def send(self, mobile: str, text: str) -> None:
        print(f"[SMS to {mobile}] {text}", file=sys.stdout, flush=True)


class FileSender:
    """Appends to SMS_FILE_PATH, where a developer reads the codes (`make sms`)."""

    def send(self, mobile: str, text: str) -> None:
        path = Path(settings.SMS_FILE_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        stamp = datetime.datetime.now().isoformat(timespec="seconds")
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"{stamp}\t{mobile}\t{text}\n")


class LocmemSender:
    def send(self, mobile: str, text: str) -> None:
        outbox.append((mobile, text))


class SmsDeliveryFailed(Exception):
    pass


class HttpGatewaySender:
    """The bureau's SMS gateway over HTTPS: POST {"mobile", "text"} as JSON to SMS_GATEWAY_URL with
    `Authorization: Bearer SMS_GATEWAY_TOKEN` (both from the environment). Each try has a timeout; a network
    error, a timeout, 429 or 5xx is retried with exponential back-off; any other answer, or the last failure,
    raises SmsDeliveryFailed (never with the text, which may hold a code)."""

    log = logging.getLogger("notifications.sms")

    def send(self, mobile: str, text: str) -> None:
        if not settings.SMS_GATEWAY_URL:
            raise SmsDeliveryFailed("SMS_GATEWAY_URL is not set")
        body = json.dumps({"mobile": mobile, "text": text}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if settings.SMS_GATEWAY_TOKEN:
            headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_TOKEN}"
        tries = settings.SMS_GATEWAY_RETRIES + 1
        problem = ""
        for attempt in range(tries):
            request = urllib.request.Request(settings.SMS_GATEWAY_URL, data=body, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as response:
                    response.read()
                    return
            except urllib.error.HTTPError as exc:
                problem = f"HTTP {exc.code}"
                if exc.code != 429 and exc.code < 500:
                    raise SmsDeliveryFailed(f"gateway refused the message: {problem}") from None
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                problem = type(getattr(exc, "reason", exc)).__name__
            self.log.warning("SMS gateway try %d of %d failed: %s", attempt + 1, tries, problem)
            if attempt + 1 < tries:
                time.sleep(settings.SMS_GATEWAY_BACKOFF * 2**attempt)
        raise SmsDeliveryFailed(f"gateway unreachable after {tries} tries: {problem}")


def send_sms(mobile: str, text: str, *, region: str | None = None) -> None:
    """Queue an SMS: a row in the outbox and a task for the worker, so a slow gateway never slows a page.
    `region` is the recipient's pooling region (officials' scope); without it, the region of the insured person
    registered with that mobile number, if exactly one region has it."""
    from notifications.models import SmsMessage
    from notifications.tasks import deliver_sms
    from registry.models import InsuredPerson

    if region is None:
        regions = set(InsuredPerson.objects.filter(mobile=mobile).values_list("region_id", flat=True)[:5])
        region = regions.pop() if len(regions) == 1 else None
    message = SmsMessage.objects.create(mobile=mobile, text=text, region_id=region)
    deliver_sms.enqueue(message.pk)


def sms_deliver(message_id: int) -> str:
    """Run by the worker: send one queued SMS with the configured sender; on failure try again later
    (SMS_TASK_ATTEMPTS tries, the wait doubling from SMS_TASK_RETRY_SECONDS), then mark it failed for officials."""
    from django.utils import timezone

    from notifications.models import SmsMessage
    from notifications.tasks import deliver_sms

    S = SmsMessage.Status
    message = SmsMessage.objects.filter(pk=message_id, status__in=[S.PENDING, S.RETRYING]).first()
    if message is None:
        return "nothing to send"
    message.attempts += 1
    try:
        import_string(settings.SMS_BACKEND)().send(message.mobile, message.text)
    except Exception as exc:  # noqa: BLE001 - any sender failure is retried, and recorded without the text
        message.last_error = f"{type(exc).__name__}: {exc}"[:200]
        if message.attempts < settings.SMS_TASK_ATTEMPTS:
            message.status = S.RETRYING
            message.save(update_fields=["attempts", "last_error", "status"])
            wait = settings.SMS_TASK_RETRY_SECONDS * 2 ** (message.attempts - 1)
            retry = deliver_sms.using(run_after=timezone.now() + datetime.timedelta(seconds=wait)) \
                if deliver_sms.get_backend().supports_defer else deliver_sms
            retry.enqueue(message.pk)
            return "retrying"
        message.status, message.text = S.FAILED, ""
        message.save(update_fields=["attempts", "last_error", "status", "text"])
        return "failed"
    message.status, message.text, message.sent_at = S.SENT, "", timezone.now()
    message.save(update_fields=["attempts", "status", "text", "sent_at"])
    return "sent"
