"""What a settlement would pay for a patient now, through the settlement's own wiring and the paying rules.

The self-check never re-implements a paying rule: it reads who could pay through the settlement's own
public reader (`settlement.payers`) and asks sharing.eligibility.payment for the plan.
"""

from dataclasses import dataclass
from decimal import Decimal

from registry.models import InsuredPerson
from settlement.payers import payers_for
from sharing.eligibility.payment import PaymentPlan, SharedSource, shareable_now

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
    payers = payers_for(patient)
    sources = payers.sources()
    own_balance = payers.own.balance if payers.own else None
    plan = payers.plan(amount=amount, sources=sources)
    paid = {id(source): pay for source, pay in plan.shared}
    now = [SourceNow(source=s, payable=payable, notes=notes, would_pay=paid.get(id(s), Decimal("0.00")))
           for s in sources for payable, notes in [shareable_now(s)]]
    return Preview(patient=patient, own_balance=own_balance, sources=now, plan=plan)


def source_for(preview: Preview, binding_id) -> SourceNow | None:
    return next((s for s in preview.sources if s.source.binding.pk == binding_id), None)
