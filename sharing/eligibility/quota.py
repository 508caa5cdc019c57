"""Granting, topping up and reducing a sharing quota (共济额度; rules.md, "Quotas"), as pure functions.

The quota service (sharing/quotas.py) reads the binding, the policy and the balances under locks and asks these;
what a settlement draws from a quota is decided with the other paying rules (payment.py).
"""

from decimal import Decimal

from sharing import reasons

ZERO = Decimal("0.00")


def quota_add_findings(*, uses_quota: bool, active: bool, amount: Decimal, balance: Decimal,
                       floor: Decimal | None) -> list:
    """Why `amount` may not be set aside (granted or topped up) for a binding: the binding must be active and share
    through a quota, and the amount must come from what the account may share now (its balance above the floor)."""
    found = []
    if not uses_quota:
        found.append(reasons.QUOTA_NOT_USED)
    if not active:
        found.append(reasons.QUOTA_BINDING_NOT_ACTIVE)
    if amount <= 0:
        found.append(reasons.QUOTA_AMOUNT_NOT_POSITIVE)
    elif amount > quota_available(balance=balance, floor=floor):
        found.append(reasons.QUOTA_OVER_BALANCE.with_detail(
            available=f"{quota_available(balance=balance, floor=floor):.2f}"))
    return found


def quota_available(*, balance: Decimal, floor: Decimal | None) -> Decimal:
    """What the authorizer may set aside now: the spendable balance above the policy's floor."""
    return max(balance - (floor or ZERO), ZERO)


def quota_reduce_findings(*, amount: Decimal, left: Decimal) -> list:
    """Only the unused part of a quota comes back."""
    if amount <= 0:
        return [reasons.QUOTA_AMOUNT_NOT_POSITIVE]
    if amount > left:
        return [reasons.QUOTA_REDUCE_OVER_LEFT.with_detail(left=f"{left:.2f}")]
    return []
