import datetime
import uuid

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts.sessions import also_read, also_read_value
from core.compiled import compiled
from notifications.selectors import unread_for
from registry.models import InsuredPerson
from sharing.selectors import awaiting_answer

# Placeholders the navigation query is compiled with once per process (core.compiled); each request runs it with
# its own values.
_PERSON = uuid.UUID("0e0e0e0e-9182-4736-8455-000000000000")
_NOW = datetime.datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=datetime.UTC)


def _count(queryset, group_field: str):
    """A scalar subquery counting `queryset`'s rows (0 when there are none)."""
    counted = queryset.order_by().values(group_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def counts_query(person_id, now):
    """Unread messages and waiting spouse requests of one person, in one query: each app's condition is written
    once, in its selectors."""
    return InsuredPerson.objects.filter(pk=person_id).order_by().values_list(
        _count(unread_for(OuterRef("pk")), "recipient_id"),
        _count(awaiting_answer(OuterRef("pk"), now=now), "member_id"),
    )


# counts_query's SQL, compiled by the ORM once per process (it costs ten times the query itself).
_counts = compiled(counts_query, person_id=_PERSON, now=_NOW)


def read_with_the_session():
    """Have the counts read in the session's statement of GET pages (SharingConfig.ready; accounts.sessions)."""
    also_read("nav_counts", _counts, person="person_id", columns=2, values=lambda now: {"now": now})


def nav_counts(request):
    """Unread messages and waiting spouse requests for the navigation: read with the session on a GET page, else
    one query, run only if a page shows them.

    It lives here, above notifications, because it combines both apps' conditions (each written once, in their
    selectors)."""
    user = getattr(request, "user", None)
    person_id = getattr(user, "person_id", None) if user is not None and user.is_authenticated else None
    if person_id is None:
        return {}

    def counts():
        read = also_read_value(request, "nav_counts")
        if read is not None:
            return read
        rows = _counts(person_id=person_id, now=timezone.now())
        return rows[0] if rows else (0, 0)

    both = SimpleLazyObject(lambda: list(counts()))
    return {"nav_unread_count": lambda: both[0], "nav_consent_count": lambda: both[1],
            "nav_waiting_count": lambda: both[0] + both[1]}
