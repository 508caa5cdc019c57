import uuid

from django import template

from core.compiled import compiled
from core.texts import choice_labels, minute_text, money_text
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
    rows = _own_payments(person_id=person.pk) if person else []
    categories, money = choice_labels(Payment._meta.get_field("category").choices), money_text()
    for payment in rows:  # what the table shows, computed once per page (core.texts)
        payment.when, payment.category_label = minute_text(payment.created_at), categories.get(
            payment.category, payment.category)
        payment.amount_text = money(payment.amount)
        payment.refunded_text = money(payment.refunded) if payment.refunded else "—"
    return {"rows": rows}
