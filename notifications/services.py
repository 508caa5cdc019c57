from functools import partial

from django.db import transaction
from django.utils import timezone

from notifications.models import Notification
from notifications.sms import send_sms
from registry.models import InsuredPerson


def notify(*, person: InsuredPerson, title: str, body: str, link: str = "", sms: bool = True) -> Notification:
    """An in-site message now, and an SMS to the person's registered mobile once the transaction commits."""
    notification = Notification.objects.create(recipient=person, title=str(title)[:200], body=str(body), link=link)
    if sms and person.mobile:
        transaction.on_commit(partial(send_sms, person.mobile, f"【共济通】{title}：{body}", region=person.region_id))
    return notification


def notifications_mark_read(*, person: InsuredPerson, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, all) of the person's messages read. Returns how many changed."""
    unread = Notification.objects.filter(recipient=person, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
