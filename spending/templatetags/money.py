import uuid

from django import template

from core.compiled import compiled
from settlement.models import Payment

register = template.Library()

_PERSON = uuid.UUID("0e0e0e0e-5e1e-4c70-8a11-000000000002")  # placeholder (core.compiled); no person has it
OWN_SHOWN = 5


def own_payments_query(person_id, limit: int = OWN_SHOWN):
    return (Payment.objects.filter(payer_id=person_id, source=Payment.Source.OWN).select_related("institution")
            .order_by("-id")[:limit])


_own_payments = compiled(own_payments_query, person_id=_PERSON)


@register.inclusion_tag("spending/partials/own_spending.html")
def own_spending(person):
    """The person's latest own-account payments, for "My insurance" (one query, compiled once per process)."""
    return {"rows": _own_payments(person_id=person.pk) if person else []}
