"""Small rules of the engine that pages and services ask instead of deciding themselves (no database)."""

from decimal import Decimal
from types import SimpleNamespace

from sharing import reasons
from sharing.eligibility.binding import constraint_findings, overridable_by_documents
from sharing.eligibility.life import may_end, may_withdraw
from sharing.eligibility.payment import (
    PaymentPlan,
    SharedSource,
    family_account_findings,
    own_account_may_pay,
    patient_findings,
    single_authorizer_findings,
)


def test_either_side_may_end_an_active_or_suspended_binding_only():
    assert may_end("active") and may_end("suspended")
    assert not any(may_end(s) for s in ["awaiting_consent", "ended", "refused", "withdrawn", "expired"])


def test_only_a_waiting_request_may_be_withdrawn():
    assert may_withdraw("awaiting_consent") and not may_withdraw("active")


def test_staff_may_override_only_an_implausible_relationship_alone():
    assert overridable_by_documents([reasons.RELATION_IMPLAUSIBLE])
    assert not overridable_by_documents([])
    assert not overridable_by_documents([reasons.RELATION_IMPLAUSIBLE, reasons.MEMBER_NOT_ENROLLED])
    assert not overridable_by_documents([reasons.CROSS_PROVINCE_NOT_ALLOWED])


def test_a_raced_constraint_names_its_rule():
    assert constraint_findings('violates "one_live_spouse_per_person"') == [reasons.SECOND_SPOUSE]
    assert constraint_findings('violates "one_live_binding_per_pair"') == [reasons.ALREADY_BOUND]


def test_only_an_active_employee_own_account_pays():
    assert own_account_may_pay(is_employee=True, is_active=True)
    assert not own_account_may_pay(is_employee=False, is_active=True)
    assert not own_account_may_pay(is_employee=True, is_active=False)


def test_a_patient_not_enrolled_is_told_both_sides():
    assert [r.code for r in patient_findings(is_active=False)] == ["PATIENT_NOT_ENROLLED", "MEMBER_NOT_ENROLLED"]
    assert patient_findings(is_active=True) == []


def test_family_account_only_when_the_holder_is_not_also_an_authorizer():
    assert family_account_findings(patient_id=1, holder_ids=[2], authorizer_ids=set()) == [reasons.FAMILY_ACCOUNT_ONLY]
    assert family_account_findings(patient_id=1, holder_ids=[2], authorizer_ids={2}) == []
    assert family_account_findings(patient_id=1, holder_ids=[1], authorizer_ids=set()) == []


def test_a_binding_not_drawn_on_because_one_authorizer_already_paid():
    first, second = SimpleNamespace(pk=1), SimpleNamespace(pk=2)
    paid = SharedSource(binding=first, balance=Decimal("500.00"), single_authorizer=True)
    plan = PaymentPlan(amount=Decimal("800.00"), shared=[(paid, Decimal("500.00"))], notes=[reasons.SINGLE_AUTHORIZER])
    assert single_authorizer_findings(plan, binding_id=second.pk, payable=Decimal("100.00")) == [reasons.SINGLE_AUTHORIZER]
    assert single_authorizer_findings(plan, binding_id=first.pk, payable=Decimal("100.00")) == []
    assert single_authorizer_findings(plan, binding_id=second.pk, payable=Decimal("0.00")) == []
