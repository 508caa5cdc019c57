"""Reads of in-site messages."""

import uuid

from django.db.models import Count, QuerySet

from core.compiled import compiled
from notifications.models import Notification


def unread_for(person_id) -> QuerySet:
    """The person's unread messages (`person_id` may be an OuterRef, for a count in the navigation)."""
    return Notification.objects.filter(recipient_id=person_id, read_at__isnull=True)


_PERSON = uuid.UUID("0e0e0e0e-5e1e-4c70-8a11-0000000000a1")  # a placeholder no person has (core.compiled)
COMPILED_PAGES = 5  # the first pages of the inbox run compiled SQL; later ones, rare, the ORM


def inbox_query(person_id) -> QuerySet:
    return Notification.objects.filter(recipient_id=person_id)


_count = compiled(lambda person_id: inbox_query(person_id).values("recipient_id").annotate(n=Count("id"))
                  .values_list("n", flat=True), person_id=_PERSON)
_slices: dict[tuple[int, int], object] = {}


class Inbox:
    """A person's messages, newest first, for Django's Paginator: its count and the slices it asks for run SQL
    compiled once per process (and prepared per connection) instead of a queryset built per page."""

    ordered = True

    def __init__(self, person_id):
        self.person_id = person_id

    def count(self) -> int:
        return next(iter(_count(person_id=self.person_id)), 0)

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        if stop is None or stop - start <= 0 or start >= COMPILED_PAGES * (stop - start):
            return list(inbox_query(self.person_id)[window])
        key = (start, stop)
        if key not in _slices:
            _slices[key] = compiled(lambda person_id: inbox_query(person_id)[start:stop], person_id=_PERSON)
        return _slices[key](person_id=self.person_id)
