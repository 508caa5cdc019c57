from django import template

from settlement.models import Payment

register = template.Library()


@register.inclusion_tag("spending/partials/own_spending.html")
def own_spending(person, limit: int = 5):
    """The person's latest own-account payments, for "My insurance" (one query)."""
    rows = list(Payment.objects.filter(payer=person, source=Payment.Source.OWN).select_related("institution")
                .order_by("-id")[:limit]) if person else []
    return {"rows": rows}
