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


def notification_values(person: InsuredPerson, title, body) -> tuple:
    """(person, title, body, message) of an in-site message as `notify` keeps it, for a caller that writes the rows
    in a statement of its own (the settlement's single write, settlement/writers.py)."""
    message = {key: as_json(value) for key, value in (("title", title), ("body", body))
               if not isinstance(as_json(value), str)}
    return person, str(title)[:200], str(body), message


def notifications_mark_read(*, person: InsuredPerson, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, all) of the person's messages read. Returns how many changed."""
    unread = Notification.objects.filter(recipient=person, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
