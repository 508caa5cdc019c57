"""What a settlement may draw from each account: the paying rules of rules.md, as pure functions.

No database access here: callers pass balances read under row locks, the policy in force for each
authorizer's pooling region and the reasons a binding no longer holds. The settlement service, the
patient lookup of the API and the self-check all call `plan_payment`.

Order (rules.md, "Paying"): the patient's own account first, then each active binding's authorizer in the
order the member set on "who shares with me" (`payment_order`; earliest activation first by default), each up
to what it may pay now; the rest is cash. A partial refund re-settles the smaller bill (`resettle`).
"""

import datetime
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
    # The binding shares through a quota (shares_through_quota): `balance` is what is left of the quota, the
    # authorizer's live balance is not drawn on, and the floor does not apply (it applied when the quota was set
    # aside, sharing.eligibility.quota).
    quota: bool = False


@dataclass
class PaymentPlan:
    amount: Decimal
    own: Decimal = ZERO
    shared: list[tuple[SharedSource, Decimal]] = field(default_factory=list)
    notes: list = field(default_factory=list)
    # id(source) -> the rules that limited what that source paid (only for the sources the plan looked at)
    limits: dict = field(default_factory=dict)

    @property
    def shared_total(self) -> Decimal:
        return sum((pay for _source, pay in self.shared), ZERO)

    @property
    def cash(self) -> Decimal:
        return self.amount - self.own - self.shared_total


def payment_order(bindings: list) -> list:
    """The member's active bindings in paying order: the order the member set (payment_priority, 1 first), then
    those without a place, earliest activation first."""
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)

    def key(binding):
        priority = binding.payment_priority
        return (priority is None, priority or 0, binding.activated_at or far, binding.created_at or far,
                str(binding.pk))

    return sorted(bindings, key=key)


def resettle(paid: list[Decimal], amount: Decimal) -> list[Decimal]:
    """A partial refund as a reversal and a new settlement of the smaller bill `amount` (全额冲销 + 重新结算).

    `paid` is what each account has paid for the bill so far (after earlier refunds), in paying order (own account
    first, then the shared accounts). Every account's limit in the settlement was at least what it paid, and an
    account paid less than its limit only when the bill was covered, so settling a smaller bill against the same
    balances pays the same accounts in the same order, each up to what it paid: the first accounts keep their
    part, and what is taken off comes back from cash first, then from the last shared account backwards, then
    from the patient's own account. Returns what each account pays in the re-settled bill (never more than it
    has paid, so a refund never returns more than was paid)."""
    left = amount
    kept = []
    for pay in paid:
        part = min(pay, max(left, ZERO))
        kept.append(part)
        left -= part
    return kept


def shareable_now(source: SharedSource) -> tuple[Decimal, list]:
    """What this authorizer alone may pay for the member in one payment, and the reasons it pays nothing at all.

    Floor and cap are applied to the amount; they are *notes* only when they limit a real payment, which
    plan_payment decides (it also counts the cap across all shared accounts of one settlement)."""
    if source.broken:
        return ZERO, list(source.broken)
    if source.quota and source.balance <= 0:
        return ZERO, [reasons.QUOTA_EXHAUSTED]
    if source.balance <= 0:
        return ZERO, [reasons.SHARED_BALANCE_ZERO]
    available = source.balance
    if source.floor is not None and not source.quota:
        available = source.balance - source.floor
        if available <= 0:
            return ZERO, [_below_floor(source)]
    if source.cap is not None:
        available = min(available, source.cap)
    return max(available, ZERO), []


def limits_in_force(source: SharedSource) -> list:
    """The paying limits the policy governing this binding sets, with their amounts, whether or not they limit a
    given bill (the self-check states them): floor, cap per settlement per member, one authorizer per settlement."""
    limits = []
    if source.floor is not None and not source.quota:
        limits.append(_below_floor(source))
    if source.cap is not None:
        limits.append(_cap_reached(source))
    if source.single_authorizer:
        limits.append(reasons.SINGLE_AUTHORIZER)
    return limits


def _below_floor(source: SharedSource):
    return reasons.SHARED_BALANCE_BELOW_FLOOR.with_detail(floor=source.floor)


def _cap_reached(source: SharedSource):
    return reasons.SHARED_CAP_REACHED.with_detail(cap=source.cap)


def source_pays(source: SharedSource, *, remaining: Decimal, shared_so_far: Decimal) -> tuple[Decimal, list]:
    """What `source` pays of `remaining` when the shared accounts before it in this settlement already paid
    `shared_so_far`, and the rules that limited it (rules.md, "Paying").

    The cap is per settlement per member across all shared accounts together: a source under a cap pays at most
    what is left of that cap after the accounts before it. The floor and the cap are named only when they are
    what kept this source from paying the rest of the bill."""
    payable, notes = shareable_now(source)
    if notes:
        return ZERO, notes
    cap_left = None
    if source.cap is not None:
        cap_left = max(source.cap - shared_so_far, ZERO)
        if cap_left <= 0:
            return ZERO, [_cap_reached(source)]
    above_floor = source.balance - source.floor if source.floor is not None and not source.quota else None
    pay = min(payable, remaining)
    if cap_left is not None:
        pay = min(pay, cap_left)
    limited = []
    if pay < remaining:
        if cap_left is not None and pay == cap_left:
            limited.append(_cap_reached(source))
        if above_floor is not None and pay == above_floor:
            limited.append(_below_floor(source))
    return pay, limited


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

    `sources` must already be in paying order (`payment_order`); the quotas among them pay first (rules.md,
    "Quotas"), each group keeping that order. `plan.limits` keeps, per source the plan looked at, the rules that
    limited it (the self-check shows them per authorizer).
    """
    sources = quotas_first(sources)
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
        pay, notes = source_pays(source, remaining=remaining, shared_so_far=plan.shared_total)
        plan.limits[id(source)] = notes
        plan.notes.extend(n for n in notes if n not in plan.notes)
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


def quotas_first(sources: list[SharedSource]) -> list[SharedSource]:
    """The member's quotas first, then the live-balance bindings, each group in the member's order."""
    return sorted(sources, key=lambda source: not source.quota)


def shares_through_quota(*, scope: str | None, authorizer_region: str, member_region: str) -> bool:
    """Whether a binding shares through a quota under the policy governing it: `scope` is the policy's quota_scope
    (none, cross_province or all); regions are pooling-region codes, whose first two digits are the province."""
    if scope == "all":
        return True
    if scope == "cross_province":
        return authorizer_region[:2] != member_region[:2]
    return False


def family_account_only(*, patient_id: int, holder_ids: Iterable[int], authorizer_ids: set[int]) -> bool:
    """FAMILY_ACCOUNT_ONLY: someone holds the patient in their family account without a sharing binding from them,
    so their account pays nothing for the patient (the article's reason 2)."""
    return any(holder not in authorizer_ids and holder != patient_id for holder in holder_ids)


def own_account_may_pay(*, is_employee: bool, is_active: bool) -> bool:
    """The patient's own personal account pays first, but only an active employee-insured person's."""
    return is_employee and is_active


def patient_findings(*, is_active: bool) -> list:
    """A patient whose own insurance is not active: nothing pays (PATIENT_NOT_ENROLLED), and as a member no binding
    can work for them (MEMBER_NOT_ENROLLED)."""
    return [] if is_active else [reasons.PATIENT_NOT_ENROLLED, reasons.MEMBER_NOT_ENROLLED]


def single_authorizer_findings(plan: PaymentPlan, *, binding_id, payable: Decimal) -> list:
    """SINGLE_AUTHORIZER for one binding: it could pay, but one authorizer per settlement and an earlier one paid,
    so it was not drawn on."""
    skipped = (any(note.code == "SINGLE_AUTHORIZER" for note in plan.notes) and payable > 0
               and all(source.binding.pk != binding_id for source, _pay in plan.shared))
    return [reasons.SINGLE_AUTHORIZER] if skipped else []


def family_account_findings(*, patient_id: int, holder_ids: Iterable[int], authorizer_ids: set[int]) -> list:
    """FAMILY_ACCOUNT_ONLY as a finding (see family_account_only)."""
    only = family_account_only(patient_id=patient_id, holder_ids=holder_ids, authorizer_ids=authorizer_ids)
    return [reasons.FAMILY_ACCOUNT_ONLY] if only else []
