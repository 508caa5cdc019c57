"""Reads of in-site messages."""

import uuid

from django.db.models import Count, QuerySet, Window

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


_first_pages: dict[int, object] = {}


def first_page_query(person_id, size: int) -> QuerySet:
    """The newest `size` messages, each with the number of all the person's messages (`total`)."""
    return inbox_query(person_id).annotate(total=Window(Count("id")))[:size]


class Inbox:
    """A person's messages, newest first, for Django's Paginator: its count and the slices it asks for run SQL
    compiled once per process (and prepared per connection) instead of a queryset built per page. With
    `first_page=N` (the paginator's page size), the count is read with the first page's messages, in one statement
    (`COUNT(*) OVER ()`), and a request for that page is answered from them."""

    ordered = True

    def __init__(self, person_id, *, first_page: int | None = None):
        self.person_id = person_id
        self._first_page = first_page
        self._first_rows = None

    def count(self) -> int:
        if self._first_page:
            size = self._first_page
            if size not in _first_pages:
                _first_pages[size] = compiled(lambda person_id: first_page_query(person_id, size), person_id=_PERSON)
            self._first_rows = _first_pages[size](person_id=self.person_id)
            return self._first_rows[0].total if self._first_rows else 0
        return next(iter(_count(person_id=self.person_id)), 0)

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        if self._first_rows is not None and start == 0 and stop is not None and stop <= self._first_page:
            return self._first_rows[:stop]  # the paginator asks for [0:count] when the count is under a page
        if stop is None or stop - start <= 0 or start >= COMPILED_PAGES * (stop - start):
            return list(inbox_query(self.person_id)[window])
        key = (start, stop)
        if key not in _slices:
            _slices[key] = compiled(lambda person_id: inbox_query(person_id)[start:stop], person_id=_PERSON)
        return _slices[key](person_id=self.person_id)
