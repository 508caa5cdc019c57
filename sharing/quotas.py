"""Sharing quotas (共济额度; rules.md, "Quotas"): the authorizer grants, tops up or reduces the quota of a binding.

Each change is atomic and audited, and both sides are told. Locks: the binding, then the authorizer's account, then
the quota, the order settlements follow too (bindings, accounts, quotas), so nothing waits in a cycle. The rules
are the engine's (sharing.eligibility.quota); the database keeps the quota from going below zero.
"""

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from ledger.models import Reserve
from ledger.services import InsufficientBalance, reserve_move, to_money
from notifications.services import notify
from registry.policy import policy_in_force
from sharing.changes import BindingRefused, _lock
from sharing.eligibility.payment import shares_through_quota
from sharing.eligibility.quota import quota_add_findings, quota_available, quota_reduce_findings
from sharing.models import Binding
from sharing.reserves import quota_figures, reserve_lock
from sharing.selectors import effective_status

S = Binding.Status


def binding_uses_quota(binding: Binding) -> bool:
    """Whether the policy governing the binding (its authorizer's region) has it share through a quota."""
    policy = policy_in_force(binding.authorizer.region)
    return shares_through_quota(scope=policy.quota_scope, authorizer_region=binding.authorizer.region_id,
                                member_region=binding.member.region_id)


def quota_may_grant(binding: Binding) -> Decimal:
    """What the authorizer could set aside for this binding now (shown before the amount is asked for)."""
    policy = policy_in_force(binding.authorizer.region)
    account = getattr(binding.authorizer, "account", None)
    return quota_available(balance=account.balance if account else Decimal("0.00"), floor=policy.shared_floor)


@transaction.atomic
def quota_add(*, binding: Binding, amount: Decimal, actor, channel: str = "online") -> dict:
    """Grant a quota (the first time) or top it up: `amount` moves out of the authorizer's spendable balance into
    the binding's quota. Refused (BindingRefused) with every reason the engine gives. Returns the quota's figures."""
    amount = to_money(amount)
    now = timezone.now()
    locked = _lock(binding)
    account, reserve = reserve_lock(locked)
    policy = policy_in_force(locked.authorizer.region)
    found = quota_add_findings(
        uses_quota=shares_through_quota(scope=policy.quota_scope, authorizer_region=locked.authorizer.region_id,
                                        member_region=locked.member.region_id),
        active=effective_status(locked, now) == S.ACTIVE and account is not None,
        amount=amount, balance=account.balance if account else Decimal("0.00"), floor=policy.shared_floor)
    if found:
        raise BindingRefused(found)
    first = reserve is None
    if first:
        reserve = Reserve.objects.create(account=account, binding_ref=locked.pk)
    before = quota_figures(reserve)
    memo = _("Quota for %(name)s (%(ref)s)") % {"name": locked.member.name, "ref": locked.reference}
    try:
        reserve_move(reserve=reserve, amount=amount, memo=memo, reference=locked.reference)
    except InsufficientBalance:  # pragma: no cover - the balance was read under the account's lock
        raise BindingRefused(quota_add_findings(uses_quota=True, active=True, amount=amount,
                                                balance=Decimal("0.00"), floor=None)) from None
    reserve.refresh_from_db(fields=["balance"])
    after = quota_figures(reserve)
    audit_record(actor=actor, subject=locked, event="quota.granted" if first else "quota.topped_up",
                 before=_money(before), after={**_money(after), "amount": f"{amount:.2f}"}, channel=channel)
    params = {"amount": f"{amount:.2f}", "left": f"{after['left']:.2f}", "ref": locked.reference,
              "name": locked.member.name, "authorizer": locked.authorizer.name}
    _tell(locked,
          title=_("Quota granted") if first else _("Quota topped up"),
          authorizer_body=_("You set aside ¥%(amount)s of your personal account for %(name)s (%(ref)s); ¥%(left)s "
                            "of the quota is left to use.") % params,
          member_body=_("%(authorizer)s set aside ¥%(amount)s for you (%(ref)s); you can use ¥%(left)s of the "
                        "quota.") % params)
    return after


@transaction.atomic
def quota_reduce(*, binding: Binding, amount: Decimal, actor, channel: str = "online") -> dict:
    """Take back `amount` of the unused quota at once (to the authorizer's spendable balance)."""
    amount = to_money(amount)
    locked = _lock(binding)
    _account, reserve = reserve_lock(locked)
    left = reserve.balance if reserve is not None and reserve.closed_at is None else Decimal("0.00")
    found = quota_reduce_findings(amount=amount, left=left)
    if found:
        raise BindingRefused(found)
    before = quota_figures(reserve)
    reserve_move(reserve=reserve, amount=-amount, reference=locked.reference,
                 memo=_("Quota for %(name)s reduced (%(ref)s)") % {"name": locked.member.name, "ref": locked.reference})
    reserve.refresh_from_db(fields=["balance"])
    after = quota_figures(reserve)
    audit_record(actor=actor, subject=locked, event="quota.reduced", before=_money(before),
                 after={**_money(after), "amount": f"{amount:.2f}"}, channel=channel)
    params = {"amount": f"{amount:.2f}", "left": f"{after['left']:.2f}", "ref": locked.reference,
              "name": locked.member.name, "authorizer": locked.authorizer.name}
    _tell(locked, title=_("Quota reduced"),
          authorizer_body=_("¥%(amount)s of the quota for %(name)s (%(ref)s) is back in your personal account; "
                            "¥%(left)s is left.") % params,
          member_body=_("%(authorizer)s reduced your quota by ¥%(amount)s (%(ref)s); you can use ¥%(left)s.")
          % params)
    return after


def _money(figures: dict) -> dict:
    return {key: f"{value:.2f}" for key, value in figures.items()}


def _tell(binding: Binding, *, title: str, authorizer_body: str, member_body: str) -> None:
    # In-site only, as for payments: the records and "who shares with me" show the figures.
    notify(person=binding.authorizer, title=title, body=authorizer_body,
           link=reverse("sharing:binding_detail", args=[binding.pk]), sms=False)
    notify(person=binding.member, title=title, body=member_body, link=reverse("sharing:my_authorizers"), sms=False)
