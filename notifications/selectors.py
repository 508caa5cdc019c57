"""Reads of in-site messages."""

from django.db.models import QuerySet

from notifications.models import Notification


def unread_for(person_id) -> QuerySet:
    """The person's unread messages (`person_id` may be an OuterRef, for a count in the navigation)."""
    return Notification.objects.filter(recipient_id=person_id, read_at__isnull=True)
