from functools import partial

from django.db import transaction
from django.utils import timezone

from notifications.messages import as_json
from notifications.models import Notification
from notifications.sms import send_sms
from registry.models import InsuredPerson


def notify(*, person: InsuredPerson, title: str, body: str, link: str = "", sms: bool = True) -> Notification:
    """An in-site message now, and an SMS to the person's registered mobile once the transaction commits.

    `title` and `body` are best notifications.messages texts: they are kept as msgid and parameters and shown in
    the reader's language; the text in the language of the moment is kept beside them (and sent by SMS)."""
    message = {key: as_json(value) for key, value in (("title", title), ("body", body))
               if not isinstance(as_json(value), str)}
    title, body = str(title), str(body)
    notification = Notification.objects.create(recipient=person, title=title[:200], body=body, link=link,
                                               message=message)
    if sms and person.mobile:
        transaction.on_commit(partial(send_sms, person.mobile, f"【共济通】{title}：{body}", region=person.region_id))
    return notification


def notify_many(messages: list[tuple[InsuredPerson, str, str]], *, link: str = "") -> list[Notification]:
    """In-site messages only (no SMS), one INSERT for all: (person, title, body) each, as `notify` keeps them."""
    rows = []
    for person, title, body in messages:
        message = {key: as_json(value) for key, value in (("title", title), ("body", body))
                   if not isinstance(as_json(value), str)}
        rows.append(Notification(recipient=person, title=str(title)[:200], body=str(body), link=link,
                                 message=message))
    return Notification.objects.bulk_create(rows) if rows else []


def notifications_mark_read(*, person: InsuredPerson, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, all) of the person's messages read. Returns how many changed."""
    unread = Notification.objects.filter(recipient=person, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
