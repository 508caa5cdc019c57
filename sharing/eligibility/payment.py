"""What a settlement may draw from each account: the paying rules of rules.md, as pure functions.

No database access here: callers pass balances read under row locks, the policy in force for each
authorizer's pooling region and the reasons a binding no longer holds. The settlement service, the
patient lookup of the API and the self-check all call `plan_payment`.

Order (rules.md, "Paying"): the patient's own account first, then each active binding's authorizer,
earliest binding first, each up to what it may pay now; the rest is cash.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sharing import reasons

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class SharedSource:
    """One active binding in which the patient is the member, with its authorizer's balance now."""

    binding: Any
    balance: Decimal
    # From the policy in force in the authorizer's pooling region.
    floor: Decimal | None = None
    cap: Decimal | None = None
    single_authorizer: bool = False
    # binding_still_holds() at payment time: any reason means this binding pays nothing.
    broken: tuple = ()


@dataclass
class PaymentPlan:
    amount: Decimal
    own: Decimal = ZERO
    shared: list[tuple[SharedSource, Decimal]] = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def shared_total(self) -> Decimal:
        return sum((pay for _source, pay in self.shared), ZERO)

    @property
    def cash(self) -> Decimal:
        return self.amount - self.own - self.shared_total


def shareable_now(source: SharedSource) -> tuple[Decimal, list]:
    """What this authorizer may pay for the member in one payment, and why it is less than the balance."""
    if source.broken:
        return ZERO, list(source.broken)
    if source.balance <= 0:
        return ZERO, [reasons.SHARED_BALANCE_ZERO]
    available = source.balance
    notes = []
    if source.floor is not None:
        available = source.balance - source.floor
        if available <= 0:
            return ZERO, [reasons.SHARED_BALANCE_BELOW_FLOOR.with_detail(floor=source.floor)]
    if source.cap is not None and source.cap < available:
        available = source.cap
        notes.append(reasons.SHARED_CAP_REACHED.with_detail(cap=source.cap))
    return max(available, ZERO), notes


def plan_payment(*, amount: Decimal, own_balance: Decimal | None, sources: list[SharedSource],
                 family_account_only: bool = False, suspended: bool = False,
                 patient_enrolled: bool = True) -> PaymentPlan:
    """Split `amount` between the own account, the shared accounts in order, and cash.

    `own_balance` is None when the patient has no usable personal account (resident insurance, or not
    enrolled). `family_account_only` is true when someone holds the patient in a family account without a
    sharing binding: nothing is paid from that person, and the reply says so. `suspended` is true when the
    patient is the member of a suspended binding: that authorizer pays nothing (BINDING_SUSPENDED).
    Without any active binding, a patient who owes cash is told NOT_BOUND, unless one of those two notes
    already says why no shared account paid (one clear note, not three). A patient whose own enrollment is
    not active is told PATIENT_NOT_ENROLLED instead: that is why nothing pays.
    """
    plan = PaymentPlan(amount=amount)
    remaining = amount
    if own_balance is not None and own_balance > 0:
        plan.own = min(own_balance, remaining)
        remaining -= plan.own
    drawn_single = False  # an authorizer under a one-authorizer policy has paid
    drawn_any = False
    for source in sources:
        if remaining <= 0:
            break
        if drawn_any and (drawn_single or source.single_authorizer):
            plan.notes.append(reasons.SINGLE_AUTHORIZER)
            break
        payable, notes = shareable_now(source)
        pay = min(payable, remaining)
        # The cap only matters when it actually limited this payment.
        plan.notes.extend(n for n in notes if n.code != "SHARED_CAP_REACHED" or pay < remaining)
        if pay > 0:
            plan.shared.append((source, pay))
            remaining -= pay
            drawn_any = True
            drawn_single = drawn_single or source.single_authorizer
    if family_account_only:
        plan.notes.append(reasons.FAMILY_ACCOUNT_ONLY)
    if suspended:
        plan.notes.append(reasons.BINDING_SUSPENDED)
    if not patient_enrolled:
        plan.notes.insert(0, reasons.PATIENT_NOT_ENROLLED)
    elif not sources and remaining > 0 and not (family_account_only or suspended):
        plan.notes.append(reasons.NOT_BOUND)
    return plan


UNLIMITED = Decimal("1e12")


def family_account_only(*, patient_id: int, holder_ids: Iterable[int], authorizer_ids: set[int]) -> bool:
    """FAMILY_ACCOUNT_ONLY: someone holds the patient in their family account without a sharing binding from them,
    so their account pays nothing for the patient (the article's reason 2)."""
    return any(holder not in authorizer_ids and holder != patient_id for holder in holder_ids)
