"""What a settlement would pay for a patient now, through the settlement's own wiring and the paying rules.

The self-check never re-implements a paying rule: it reads who could pay through the settlement's own
public reader (`sharing.payers`) and asks sharing.eligibility.payment for the plan.

A `Preview` holds everybody's figures and never reaches a template: `shown_to` cuts it down to what the
viewing user may see (the rules are in selfcheck.diagnosis's docstring).
"""

from dataclasses import dataclass
from decimal import Decimal

from family.selectors import family_account_holder_ids
from registry.models import InsuredPerson
from sharing.eligibility.payment import PaymentPlan, SharedSource, shareable_now
from sharing.payers import payers_for

SAMPLE_BILL = Decimal("100.00")


@dataclass
class SourceNow:
    source: SharedSource
    payable: Decimal
    notes: list
    would_pay: Decimal = Decimal("0.00")


@dataclass
class Preview:
    patient: InsuredPerson
    own_balance: Decimal | None
    sources: list[SourceNow]
    plan: PaymentPlan


def payment_preview(patient: InsuredPerson, *, amount: Decimal = SAMPLE_BILL) -> Preview:
    payers = payers_for(patient, family_holder_ids=family_account_holder_ids(patient))
    sources = payers.sources()
    own_balance = payers.own.balance if payers.own else None
    plan = payers.plan(amount=amount, sources=sources)
    paid = {id(source): pay for source, pay in plan.shared}
    # The rules that limited each account in this plan (floor, cap across all accounts); for an account the plan
    # did not reach, why it could not pay at all.
    now = [SourceNow(source=s, payable=payable, notes=plan.limits.get(id(s), notes),
                     would_pay=paid.get(id(s), Decimal("0.00")))
           for s in sources for payable, notes in [shareable_now(s)]]
    return Preview(patient=patient, own_balance=own_balance, sources=now, plan=plan)


def source_for(preview: Preview, binding_id) -> SourceNow | None:
    return next((s for s in preview.sources if s.source.binding.pk == binding_id), None)


@dataclass
class PreviewShown:
    """The part of a Preview one user may see.

    As the patient: their own account's balance and part, the total family sharing would pay (one sum,
    never split by authorizer) and the cash part. As an authorizer: only their own account's row.
    """

    patient: InsuredPerson
    amount: Decimal
    viewer_is_patient: bool
    # Whether the patient's own personal account pays first (employee insurance, active): a resident-insured
    # patient is never told, nor is their authorizer, that "their own account" pays.
    own_account_pays: bool = False
    own_balance: Decimal | None = None     # the patient's own account (only to the patient)
    own_pay: Decimal | None = None
    shared_total: Decimal | None = None    # all sharing together (only to the patient)
    cash: Decimal | None = None
    mine: SourceNow | None = None          # the viewer's own sharing account (only to that authorizer)

    @property
    def my_can_pay(self) -> Decimal | None:
        return self.mine.payable if self.mine else None

    @property
    def my_would_pay(self) -> Decimal | None:
        return self.mine.would_pay if self.mine else None


def shown_to(viewer: InsuredPerson, preview: Preview) -> PreviewShown:
    """What `viewer` may see of `preview`: their own figures only."""
    plan = preview.plan
    own_account_pays = preview.own_balance is not None
    if preview.patient.pk == viewer.pk:
        return PreviewShown(patient=preview.patient, amount=plan.amount, viewer_is_patient=True,
                            own_account_pays=own_account_pays, own_balance=preview.own_balance, own_pay=plan.own,
                            shared_total=plan.shared_total, cash=plan.cash)
    mine = next((s for s in preview.sources if s.source.binding.authorizer_id == viewer.pk), None)
    return PreviewShown(patient=preview.patient, amount=plan.amount, viewer_is_patient=False,
                        own_account_pays=own_account_pays, mine=mine)
