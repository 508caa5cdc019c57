import datetime
import uuid

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_for
from registry.models import InsuredPerson
from sharing.selectors import awaiting_answer

# Placeholders the navigation query is compiled with once per process; each request substitutes its own values.
_PERSON = uuid.UUID("0e0e0e0e-9182-4736-8455-000000000000")
_NOW = datetime.datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=datetime.UTC)
_compiled: list = []


def _count(queryset, group_field: str):
    """A scalar subquery counting `queryset`'s rows (0 when there are none)."""
    counted = queryset.order_by().values(group_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def counts_query(person_id, now):
    """Unread messages and waiting spouse requests of one person, in one query: each app's condition is written
    once, in its selectors."""
    return InsuredPerson.objects.filter(pk=person_id).values_list(
        _count(unread_for(OuterRef("pk")), "recipient_id"),
        _count(awaiting_answer(OuterRef("pk"), now=now), "member_id"),
    )


def _sql_and_params(person_id, now) -> tuple[str, list]:
    """counts_query's SQL, compiled by the ORM once per process (it costs ten times the query itself)."""
    if not _compiled:
        sql, params = counts_query(_PERSON, _NOW).query.get_compiler(connection=connection).as_sql()
        if list(params).count(_PERSON) != 1 or list(params).count(_NOW) != 1:
            raise RuntimeError(f"navigation query placeholders not found once each in {params!r}")
        _compiled.append((sql, list(params)))
    sql, params = _compiled[0]
    return sql, [person_id if p == _PERSON else now if p == _NOW else p for p in params]


def nav_counts(request):
    """Unread messages and waiting spouse requests for the navigation: one query, run only if a page shows them.

    It lives here, above notifications, because it combines both apps' conditions (each written once, in their
    selectors)."""
    user = getattr(request, "user", None)
    person_id = getattr(user, "person_id", None) if user is not None and user.is_authenticated else None
    if person_id is None:
        return {}

    def counts():
        sql, params = _sql_and_params(person_id, timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return row or (0, 0)

    both = SimpleLazyObject(lambda: list(counts()))
    return {"nav_unread_count": lambda: both[0], "nav_consent_count": lambda: both[1],
            "nav_waiting_count": lambda: both[0] + both[1]}
