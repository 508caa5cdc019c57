"""Settling and refunding through sharing quotas (共济额度, rules.md "Quotas"): the member's quotas pay after the own
account and before the live-balance bindings, never beyond what is left; refunds go back into a live quota, else to
the authorizer's account; the reply says which payments came from a quota."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from ledger.models import PersonalAccount, Reserve
from settlement.models import Payment
from sharing.quotas import quota_add, quota_reduce
from sharing.services import binding_unbind


@pytest.fixture
def son(make_citizen):
    return make_citizen(name="孙立", birth=datetime.date(1980, 5, 5), address="110105", region="110000",
                        balance="2000.00", mobile="13800000011")


@pytest.fixture
def daughter(make_citizen):
    """A second child in the father's own city: a live-balance binding (same province)."""
    return make_citizen(name="孙梅", birth=datetime.date(1978, 2, 2), address="130102", region="130100",
                        balance="1000.00", mobile="13800000013", sex="F")


@pytest.fixture
def father(make_person):
    """Resident-insured in 石家庄: no own account, so every bill goes to the bindings."""
    return make_person(name="孙德明", birth=datetime.date(1952, 3, 1), address="130102", region="130100",
                       insutype="390")


@pytest.fixture
def quota(bind, son, father):
    binding = bind(son, father, "parent")
    quota_add(binding=binding, amount=Decimal("300.00"), actor=son)
    return binding


def balance(user) -> Decimal:
    return PersonalAccount.objects.get(person=user.person).balance


def left(binding) -> Decimal:
    return Reserve.objects.get(binding_ref=binding.pk).balance


def test_a_settlement_draws_on_the_quota_and_the_reply_says_so(api, quota, son, father):
    status, body = api.settle(father, "120.00")
    assert status == 201
    assert body["acct_mulaid_pay"] == "120.00" and body["cash_pay"] == "0.00"
    assert [(p["source"], p["amount"]) for p in body["payers"]] == [("quota", "120.00")]
    assert left(quota) == Decimal("180.00")
    assert balance(son) == Decimal("1700.00")  # the spendable balance did not move: the quota was set aside
    payment = Payment.objects.get()
    assert payment.source == "quota" and payment.ledger_entry.reserve_id is not None
    call_command("verify_ledger")


def test_never_beyond_the_quota_the_rest_in_cash_and_exhausted_explained(api, quota, son, father):
    status, body = api.settle(father, "500.00")
    assert (body["acct_mulaid_pay"], body["cash_pay"]) == ("300.00", "200.00")
    assert left(quota) == Decimal("0.00") and balance(son) == Decimal("1700.00")
    status, body = api.settle(father, "10.00", request_id="r-2")
    assert (body["acct_mulaid_pay"], body["cash_pay"]) == ("0.00", "10.00")
    assert "QUOTA_EXHAUSTED" in [n["code"] for n in body["notes"]]


def test_quotas_pay_before_live_balance_bindings_whatever_the_member_order(api, bind, quota, daughter, father):
    live = bind(daughter, father, "parent")
    # The member put the live-balance binding first; the quota still pays first (rules.md, "Quotas").
    type(live).objects.filter(pk=live.pk).update(payment_priority=1)
    type(quota).objects.filter(pk=quota.pk).update(payment_priority=2)
    status, body = api.settle(father, "350.00")
    assert [(p["source"], p["name"][:1], p["amount"]) for p in body["payers"]] == [
        ("quota", "孙", "300.00"), ("shared", "孙", "50.00")]
    assert balance(daughter) == Decimal("950.00")


def test_the_patient_enquiry_shows_what_is_left_of_the_quota(api, quota, father):
    status, body = api.get(f"patients/{father.certno}?mdtrt_cert_type=02")
    assert status == 200
    assert body["mulaid_balc"] == "300.00"
    assert [a["payable"] for a in body["authorizers"]] == ["300.00"]


def test_a_refund_goes_back_into_a_live_quota(api, quota, son, father):
    _status, body = api.settle(father, "100.00")
    status, refund = api.post(f"settlements/{body['settlement_id']}/refunds", {"request_id": "f-1", "amount": "40.00"})
    assert status == 201 and refund["acct_mulaid_refund"] == "40.00"
    assert [p["source"] for p in refund["payers"]] == ["quota"]
    assert left(quota) == Decimal("240.00") and balance(son) == Decimal("1700.00")
    call_command("verify_ledger")


def test_a_refund_after_the_binding_ended_goes_to_the_authorizers_account(api, quota, son, father):
    _status, body = api.settle(father, "100.00")
    binding_unbind(binding=quota, actor=son)  # the 200.00 left comes back at once
    assert balance(son) == Decimal("1900.00")
    status, refund = api.post(f"settlements/{body['settlement_id']}/refunds", {"request_id": "f-1", "amount": "100.00"})
    assert status == 201
    assert balance(son) == Decimal("2000.00") and left(quota) == Decimal("0.00")
    call_command("verify_ledger")


def test_the_authorizer_cannot_spend_the_reserved_money(api, quota, son):
    status, body = api.settle(son.person, "1750.00")
    assert (body["acct_pay"], body["cash_pay"]) == ("1700.00", "50.00")
    assert left(quota) == Decimal("300.00")


def test_a_reduction_takes_back_only_what_the_settlements_left(api, quota, son, father):
    api.settle(father, "250.00")
    quota_reduce(binding=quota, amount=Decimal("50.00"), actor=son)
    assert left(quota) == Decimal("0.00") and balance(son) == Decimal("1750.00")


def test_the_cap_applies_to_a_quota(api, bind, make_citizen, father):
    """A Beijing version with a cap of ¥80 per payment: the quota pays at most the cap (floors apply when granting)."""
    from registry.models import SharingPolicy

    SharingPolicy.objects.create(province_id="11", effective_from=datetime.date(2026, 2, 1), title="封顶",
                                 allowed_relations=["parent", "child"], cross_city_allowed=True,
                                 cross_province_allowed=True, per_payment_cap=Decimal("80.00"))
    son = make_citizen(name="孙立", birth=datetime.date(1980, 5, 5), address="110105", region="110000",
                       balance="2000.00")
    binding = bind(son, father, "parent")
    quota_add(binding=binding, amount=Decimal("300.00"), actor=son)
    _status, body = api.settle(father, "100.00")
    assert (body["acct_mulaid_pay"], body["cash_pay"]) == ("80.00", "20.00")
    assert "SHARED_CAP_REACHED" in [n["code"] for n in body["notes"]]


def test_the_quota_reply_matches_the_openapi_document(client, api, quota, father):
    from openapi_schema_validator import OAS31Validator

    spec = client.get("/api/v1/openapi.json").json()
    _status, body = api.settle(father, "10.00")
    declared = spec["paths"]["/settlements"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    OAS31Validator({**declared, "components": spec["components"]}).validate(body)
    assert "quota" in spec["components"]["schemas"]["Payer"]["properties"]["source"]["enum"]


def test_verify_ledger_finds_a_quota_payment_not_drawn_from_its_quota(api, quota, father):
    from django.core.management.base import CommandError

    api.settle(father, "10.00")
    call_command("verify_ledger")
    Payment.objects.update(source="shared")
    with pytest.raises(CommandError):
        call_command("verify_ledger")
