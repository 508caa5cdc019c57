"""Pluggable SMS senders, chosen by settings.SMS_BACKEND (like EMAIL_BACKEND).

Callers use `send_sms()`; the bureau's gateway is one more class with a
`send(mobile, text)` method.
"""

import datetime
import sys
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


def send_sms(mobile: str, text: str) -> None:
    import_string(settings.SMS_BACKEND)().send(mobile, text)
