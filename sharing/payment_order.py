"""The member's paying order (rules.md, "Paying"): which authorizer's account pays first for them.

Kept apart from sharing/services.py: it changes no binding's state, only the member's preference. The order
itself is decided by the engine (sharing.eligibility.payment.payment_order); this service only stores places.
"""

from django.db import transaction

from audit.services import audit_record
from registry.models import InsuredPerson
from sharing import reasons
from sharing.eligibility.payment import payment_order
from sharing.models import Binding
from sharing.selectors import active_bindings_for_member
from sharing.services import BindingRefused

UP, DOWN = "up", "down"


@transaction.atomic
def payment_order_move(*, member: InsuredPerson, binding_id, direction: str, actor) -> list[Binding]:
    """Move one of the member's active bindings one place up or down in their paying order; returns the new order.

    The member's active bindings are locked in the order a settlement locks them (settlement.loaders: by id), so
    a settlement for this member either sees the old order or the new one, never half of each, and the two never
    wait on each other in a cycle (locking them in paying order deadlocked with a settlement once the order had
    been changed). Every binding gets its place written (1 pays first), so the order no longer depends on
    activation dates."""
    if direction not in (UP, DOWN):
        raise ValueError(direction)
    locked = list(active_bindings_for_member(member).order_by("pk").select_for_update(of=("self",)))
    bindings = payment_order(locked)
    index = next((i for i, b in enumerate(bindings) if str(b.pk) == str(binding_id)), None)
    if index is None:
        raise BindingRefused([reasons.BINDING_STATE_CHANGED.with_detail(status=_status_label(binding_id))])
    other = index - 1 if direction == UP else index + 1
    if not 0 <= other < len(bindings):
        return bindings  # already first (or last): nothing changes
    before = [b.reference for b in bindings]
    new = list(bindings)
    new[index], new[other] = new[other], new[index]
    for place, binding in enumerate(new, start=1):
        if binding.payment_priority != place:
            binding.payment_priority = place
            binding.save(update_fields=["payment_priority", "updated_at"])
    audit_record(actor=actor, subject=bindings[index], event="binding.payment_order",
                 before={"order": before}, after={"order": [b.reference for b in new]})
    return new


def _status_label(binding_id) -> str:
    binding = Binding.objects.filter(pk=binding_id).only("status").first()
    return Binding.Status(binding.status).label if binding else "—"
