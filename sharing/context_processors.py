from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_for
from registry.models import InsuredPerson
from sharing.selectors import awaiting_answer


def _count(queryset, group_field: str):
    """A scalar subquery counting `queryset`'s rows (0 when there are none)."""
    counted = queryset.order_by().values(group_field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def nav_counts(request):
    """Unread messages and waiting spouse requests for the navigation: one query, run only if a page shows them.

    It lives here, above notifications, because it combines both apps' conditions (each written once, in their
    selectors)."""
    user = getattr(request, "user", None)
    person_id = getattr(user, "person_id", None) if user is not None and user.is_authenticated else None
    if person_id is None:
        return {}

    def counts():
        return InsuredPerson.objects.filter(pk=person_id).values_list(
            _count(unread_for(OuterRef("pk")), "recipient_id"), _count(awaiting_answer(OuterRef("pk")), "member_id"),
        ).first() or (0, 0)

    both = SimpleLazyObject(lambda: list(counts()))
    return {"nav_unread_count": lambda: both[0], "nav_consent_count": lambda: both[1]}
