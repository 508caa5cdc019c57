"""What is left of a binding's quota (共济额度), and its return when the binding ends.

Kept apart from sharing.quotas (the grant, top-up and reduce services) so that sharing.changes, through which
every ending of a binding passes, can return the quota in the same transaction.
"""

import datetime
import uuid
from decimal import Decimal

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.compiled import compiled
from ledger.models import LedgerEntry, PersonalAccount, Reserve
from ledger.services import reserve_move
from notifications.services import notify
from sharing.models import Binding

ZERO = Decimal("0.00")


def reserve_lock(binding) -> tuple[PersonalAccount | None, Reserve | None]:
    """Lock the authorizer's account, then the binding's quota (the binding is locked by the caller first)."""
    account = PersonalAccount.objects.select_for_update().filter(person_id=binding.authorizer_id).first()
    reserve = Reserve.objects.select_for_update().filter(binding_ref=binding.pk).first()
    if reserve is not None and account is not None:
        reserve.account = account
    return account, reserve


def quota_figures(reserve: Reserve | None) -> dict:
    """Granted (net of reductions and returns), used (net of refunds into it) and left, from its entries."""
    if reserve is None:
        return {"granted": ZERO, "used": ZERO, "left": ZERO}
    granted = used = ZERO
    for kind, amount in reserve.entries.values_list("kind", "amount"):
        if kind == LedgerEntry.Kind.QUOTA:
            granted += amount
        else:
            used -= amount
    return {"granted": granted, "used": used, "left": reserve.balance}


def quota_summary(binding) -> dict | None:
    """The quota of one binding as pages show it (granted, used, left), or None if it never had one."""
    reserve = Reserve.objects.filter(binding_ref=binding.pk).first()
    return None if reserve is None else {**quota_figures(reserve), "closed": reserve.closed_at is not None}


def quotas_for(bindings) -> dict:
    """binding id -> its quota's figures (granted, used, left, closed), for the bindings that have one; two
    queries whatever the number of bindings."""
    reserves = {r.pk: r for r in Reserve.objects.filter(binding_ref__in=[b.pk for b in bindings])}
    figures = {pk: {"granted": ZERO, "used": ZERO, "left": r.balance, "closed": r.closed_at is not None}
               for pk, r in reserves.items()}
    rows = (LedgerEntry.objects.filter(reserve_id__in=reserves).order_by().values("reserve_id", "kind")
            .annotate(total=Sum("amount")).values_list("reserve_id", "kind", "total"))
    for reserve_id, kind, total in rows:
        if kind == LedgerEntry.Kind.QUOTA:
            figures[reserve_id]["granted"] += total
        else:
            figures[reserve_id]["used"] -= total
    return {reserves[pk].binding_ref: f for pk, f in figures.items()}


def quotas_of_authorizer_query(person_id):
    """The quotas of every binding `person_id` gave, each with the sums quotas_for adds up: one statement."""
    given = Binding.objects.filter(authorizer_id=person_id).values("pk")
    quota = Q(entries__kind=LedgerEntry.Kind.QUOTA)
    return (Reserve.objects.filter(binding_ref__in=given).order_by()
            .annotate(quota_total=Sum("entries__amount", filter=quota), other_total=Sum("entries__amount", filter=~quota))
            .values_list("binding_ref", "balance", "closed_at", "quota_total", "other_total"))


_PERSON = uuid.UUID("0e0e0e0e-5e1e-4c70-8a11-000000000006")  # placeholder (core.compiled); no person has it
_quotas_of_authorizer = compiled(quotas_of_authorizer_query, person_id=_PERSON)


def quotas_of_authorizer(person) -> dict:
    """quotas_for(every binding `person` gave), in one statement compiled once per process (the records page)."""
    return {binding_ref: {"granted": ZERO + (granted or ZERO), "used": ZERO - (other or ZERO), "left": balance,
                          "closed": closed_at is not None}
            for binding_ref, balance, closed_at, granted, other in _quotas_of_authorizer(person_id=person.pk)}


def quota_return(binding, now: datetime.datetime, actor=None) -> Decimal:
    """The binding (locked by the caller) has ended: what is left of its quota goes back to the authorizer's
    account and the quota closes, in the caller's transaction; both sides are told. Returns the amount."""
    if not Reserve.objects.filter(binding_ref=binding.pk, closed_at__isnull=True).exists():
        return ZERO
    _account, reserve = reserve_lock(binding)
    left = reserve.balance
    if left > 0:
        reserve_move(reserve=reserve, amount=-left, memo=_("Quota returned: binding %(ref)s ended")
                     % {"ref": binding.reference}, reference=binding.reference)
    Reserve.objects.filter(pk=reserve.pk).update(closed_at=now)
    audit_record(actor=actor, subject=binding, event="quota.returned", before={"left": f"{left:.2f}"},
                 after={"left": "0.00", "returned": f"{left:.2f}"})
    if left > 0:
        params = {"amount": f"{left:.2f}", "ref": binding.reference, "name": binding.member.name,
                  "authorizer": binding.authorizer.name}
        notify(person=binding.authorizer, title=_("Quota returned to your account"),
               body=_("Binding %(ref)s with %(name)s has ended: the unused quota of ¥%(amount)s is back in your "
                      "personal account.") % params, link=reverse("sharing:binding_detail", args=[binding.pk]))
        notify(person=binding.member, title=_("Quota ended"),
               body=_("Binding %(ref)s from %(authorizer)s has ended: its quota (¥%(amount)s left) went back to "
                      "them.") % params, link=reverse("sharing:my_authorizers"))
    return left
