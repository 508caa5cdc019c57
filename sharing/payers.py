"""Who could pay for a patient now: their own personal account, then the authorizers of their active bindings.

The one place that reads the registry, the bindings and the policy in force into the inputs of the paying
rules (sharing.eligibility.payment), so that the settlement, the API's patient enquiry and the self-check
build them the same way. Nothing here decides a rule or writes anything:

- the settlement service calls `payers_for`, locks `Payers.account_ids()` and passes the balances it read
  under those locks to `Payers.sources()`;
- the patient enquiry and the self-check call the same functions without locks (balances as read), to preview.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ledger.models import PersonalAccount, Reserve
from registry.models import InsuredPerson
from registry.policy import NoPolicy, policy_in_force
from sharing import selectors
from sharing.eligibility.binding import binding_still_holds
from sharing.eligibility.payment import (
    PaymentPlan,
    SharedSource,
    family_account_only,
    own_account_may_pay,
    payment_order,
    plan_payment,
    shares_through_quota,
)


def own_account(patient: InsuredPerson) -> PersonalAccount | None:
    """The patient's own personal account if it may pay now: only an active employee-insured person's."""
    if not own_account_may_pay(is_employee=patient.is_employee, is_active=patient.is_active):
        return None
    return getattr(patient, "account", None)  # loaded with the patient if it was selected with it


def active_bindings(patient: InsuredPerson, *, lock: bool = False) -> list:
    """The active bindings in which the patient is the member, in paying order (the engine's payment_order).

    With `lock`, the binding rows are locked (FOR UPDATE OF the bindings only, before any account), so an
    unbind or suspension that commits first is seen: its binding no longer matches and pays nothing. They are
    locked by id, as settlement.loaders and a paying-order move lock them (never in a cycle with either)."""
    queryset = selectors.active_bindings_for_member(patient)
    if lock:
        queryset = queryset.order_by("pk").select_for_update(of=("self",))
    bindings = payment_order(list(queryset))
    for binding in bindings:
        binding.member = patient  # the same person: binding_still_holds need not load them again
    return bindings


def open_reserves(bindings: list) -> dict:
    """binding id -> what is left of its quota (its open reserve), as read now (no locks)."""
    return dict(Reserve.objects.filter(binding_ref__in=[b.pk for b in bindings], closed_at__isnull=True)
                .values_list("binding_ref", "balance"))


def shared_sources(bindings: list, balances: dict[int, Decimal] | None = None,
                   on: datetime.date | None = None, reserves: dict | None = None,
                   policies: dict | None = None) -> list[SharedSource]:
    """One SharedSource per binding whose authorizer has an account: the balance (from `balances`, read under
    locks, else as loaded), the policy in force in the authorizer's region, and why the binding no longer holds.

    A binding that shares through a quota (the policy's quota_scope) has what is left of its quota as its balance:
    from `reserves` (binding id -> left, read under locks), else as read now.

    `policies` (region code -> the policy in force there on `on`, as policy_in_force answers) saves reading them
    again (the settlement's loader reads them with the bindings)."""
    balances = balances or {}
    if reserves is None:
        reserves = open_reserves(bindings)
    policies = dict(policies or {})
    sources = []
    for binding in bindings:
        authorizer = binding.authorizer
        account = getattr(authorizer, "account", None)
        if account is None:
            continue
        region = authorizer.region_id
        if region not in policies:
            try:
                policies[region] = policy_in_force(authorizer.region, on)
            except NoPolicy:
                policies[region] = None
        policy = policies[region]
        quota = shares_through_quota(scope=policy.quota_scope if policy else None,
                                     authorizer_region=authorizer.region_id, member_region=binding.member.region_id)
        sources.append(SharedSource(
            binding=binding, quota=quota,
            balance=reserves.get(binding.pk, Decimal("0.00")) if quota else balances.get(account.pk, account.balance),
            floor=policy.shared_floor if policy else None, cap=policy.per_payment_cap if policy else None,
            single_authorizer=bool(policy and policy.single_authorizer_per_settlement),
            broken=tuple(binding_still_holds(binding, on, policy=policy)),
        ))
    return sources


@dataclass
class Payers:
    """Everything the paying rules need to know about one patient, read once."""

    patient: InsuredPerson
    own: PersonalAccount | None
    bindings: list
    family_account_only: bool
    suspended: bool  # the patient is the member of a suspended binding (BINDING_SUSPENDED)
    policies: dict | None = None  # region code -> policy in force today, when read with the bindings
    on: datetime.date | None = None  # the day they were read for (the rules' day; None: today)

    def account_ids(self) -> set[int]:
        """Every account that could pay: the ones a settlement locks."""
        ids = {b.authorizer.account.pk for b in self.bindings if getattr(b.authorizer, "account", None)}
        if self.own:
            ids.add(self.own.pk)
        return ids

    def binding_ids(self) -> list:
        """The bindings whose quotas a settlement locks (after the accounts)."""
        return [b.pk for b in self.bindings]

    def quota_binding_ids(self) -> list:
        """The bindings that may pay through a quota (the only ones whose open reserve a settlement reads): with
        the policies read alongside, those whose policy's quota_scope covers them; without, every binding."""
        if self.policies is None:
            return self.binding_ids()
        return [b.pk for b in self.bindings if (policy := self.policies.get(b.authorizer.region_id)) is None
                or shares_through_quota(scope=policy.quota_scope, authorizer_region=b.authorizer.region_id,
                                        member_region=b.member.region_id)]

    def sources(self, balances: dict[int, Decimal] | None = None, reserves: dict | None = None) -> list[SharedSource]:
        return shared_sources(self.bindings, balances, on=self.on, reserves=reserves, policies=self.policies)

    def plan(self, *, amount: Decimal, sources: list[SharedSource], balances: dict[int, Decimal] | None = None,
             with_own: bool = True) -> PaymentPlan:
        """The paying rules for `amount`; the own balance from `balances` if given, else as loaded.
        `with_own=False` plans the shared accounts alone (the patient enquiry's mulaid_balc and its notes)."""
        own_balance = None
        if self.own is not None and with_own:
            own_balance = (balances or {}).get(self.own.pk, self.own.balance)
        return plan_payment(amount=amount, own_balance=own_balance, sources=sources,
                            family_account_only=self.family_account_only, suspended=self.suspended,
                            patient_enrolled=self.patient.is_active)


def payers_for(patient: InsuredPerson, *, family_holder_ids: Iterable[int] = (), lock: bool = False) -> Payers:
    """Who could pay for `patient` now (no locks): own account, active bindings, and the cases in which a
    shared account pays nothing that the reply explains (family account only, suspended binding).

    `family_holder_ids` are the people who hold the patient in a family account (read by the caller from the
    family app, which sits above sharing)."""
    bindings = active_bindings(patient, lock=lock)
    return Payers(patient=patient, own=own_account(patient), bindings=bindings,
                  family_account_only=family_account_only(
                      patient_id=patient.pk, holder_ids=family_holder_ids,
                      authorizer_ids={b.authorizer_id for b in bindings}),
                  suspended=selectors.member_of_suspended_binding(patient))
