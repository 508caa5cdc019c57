"""Floors, caps and one-authorizer-per-settlement come from the policy of the AUTHORIZER's region."""

import datetime
from decimal import Decimal

import pytest

from registry.models import SharingPolicy


@pytest.fixture
def shanxi_worker(make_citizen):
    return make_citizen(name="王磊", birth=datetime.date(1983, 9, 9), address="140105", region="140100",
                        balance="1200.00", mobile="13700000021")


@pytest.fixture
def shanxi_child(make_person):
    return make_person(name="王小", birth=datetime.date(2012, 3, 3), address="140105", region="140100",
                       insutype="390")


def test_only_the_balance_above_the_floor_is_shared(api, shanxi_worker, shanxi_child, bind):
    bind(shanxi_worker, shanxi_child)
    status, body = api.settle(shanxi_child, "300.00")
    assert body["acct_mulaid_pay"] == "200.00" and body["cash_pay"] == "100.00"
    # The floor is what kept the account from paying the rest: the reply says so.
    assert [n["code"] for n in body["notes"]] == ["SHARED_BALANCE_BELOW_FLOOR"]
    status, body = api.settle(shanxi_child, "10.00", request_id="r-2")
    assert body["acct_mulaid_pay"] == "0.00"
    assert [n["code"] for n in body["notes"]] == ["SHARED_BALANCE_BELOW_FLOOR"]
    assert "1000.00" in body["notes"][0]["message"]


def test_a_payment_is_capped_per_member(api, make_citizen, shanxi_child, bind):
    rich = make_citizen(name="王富", birth=datetime.date(1980, 1, 1), address="140105", region="140100",
                        balance="5000.00", mobile="13700000022")
    bind(rich, shanxi_child)
    status, body = api.settle(shanxi_child, "800.00")
    assert body["acct_mulaid_pay"] == "500.00" and body["cash_pay"] == "300.00"
    assert [n["code"] for n in body["notes"]] == ["SHARED_CAP_REACHED"]
    status, body = api.settle(shanxi_child, "400.00", request_id="r-2")
    assert body["acct_mulaid_pay"] == "400.00" and body["notes"] == []


def test_one_settlement_draws_on_one_authorizer_only(api, make_citizen, shanxi_child, bind):
    a = make_citizen(name="王甲", birth=datetime.date(1980, 1, 1), address="140105", region="140100",
                     balance="1100.00", mobile="13700000023")
    b = make_citizen(name="李乙", birth=datetime.date(1981, 1, 1), address="140105", region="140100",
                     balance="5000.00", mobile="13700000024", sex="F")
    bind(a, shanxi_child)
    bind(b, shanxi_child, "child")
    status, body = api.settle(shanxi_child, "300.00")
    assert [p["amount"] for p in body["payers"]] == ["100.00"] and body["cash_pay"] == "200.00"
    assert "SINGLE_AUTHORIZER" in [n["code"] for n in body["notes"]]


def test_the_authorizers_region_sets_the_policy_not_the_patients(api, make_citizen, shanxi_child, bind):
    """A Beijing worker (2026 rules: cross-province, no floor, through a quota) pays for a member in Shanxi in full,
    although Shanxi's own policy has a floor and a cap."""
    from sharing.quotas import quota_add

    beijing = make_citizen(name="孙立", birth=datetime.date(1980, 5, 5), address="110105", region="110000",
                           balance="3000.00", mobile="13700000025")
    quota_add(binding=bind(beijing, shanxi_child), amount=Decimal("2999.00"), actor=beijing)
    status, body = api.settle(shanxi_child, "2999.00")
    assert body["acct_mulaid_pay"] == "2999.00" and body["notes"] == []
    beijing.person.account.refresh_from_db()
    assert beijing.person.account.balance == Decimal("1.00")


def test_a_binding_the_rules_no_longer_allow_pays_nothing_and_says_why(api, alice, make_person, bind):
    """Jiangsu does not allow sharing across provinces: binding_still_holds refuses, the reply names the code."""
    member = make_person(name="张外", birth=datetime.date(2012, 1, 1), address="140105", region="140100",
                         insutype="390")
    bind(alice, member, direct=True)  # Jiangsu would refuse it today
    status, body = api.settle(member, "10.00")
    assert body["cash_pay"] == "10.00" and "CROSS_PROVINCE_NOT_ALLOWED" in [n["code"] for n in body["notes"]]


def test_outside_the_validity_period_a_binding_pays_nothing(api, alice, charlie, bind):
    today = datetime.date.today()
    bind(alice, charlie, valid_from=today + datetime.timedelta(days=3), valid_until=today + datetime.timedelta(days=30))
    status, body = api.settle(charlie, "10.00")
    assert body["cash_pay"] == "10.00" and "OUTSIDE_VALIDITY" in [n["code"] for n in body["notes"]]


@pytest.fixture
def shanxi_several_authorizers(shanxi_policy):
    """A later Shanxi version with the same floor and cap but several authorizers per settlement."""
    version = SharingPolicy.objects.get(pk=shanxi_policy.pk)
    version.pk = None
    version.effective_from = datetime.date(2024, 1, 1)
    version.title = "山西 多人共济"
    version.single_authorizer_per_settlement = False
    version.save()
    return version


def _shanxi_worker(make_citizen, name, balance, mobile, sex="M"):
    return make_citizen(name=name, birth=datetime.date(1980, 1, 1), address="140105", region="140100",
                        balance=balance, mobile=mobile, sex=sex)


def test_the_cap_counts_every_shared_account_of_one_settlement_together(api, make_citizen, shanxi_child, bind,
                                                                         shanxi_several_authorizers):
    """Cap ¥500 per payment per member: two rich authorizers together still pay ¥500, not ¥500 each."""
    first = _shanxi_worker(make_citizen, "王甲", "5000.00", "13700000031")
    second = _shanxi_worker(make_citizen, "李乙", "5000.00", "13700000032", sex="F")
    bind(first, shanxi_child)
    bind(second, shanxi_child)
    status, body = api.get(f"patients/{shanxi_child.certno}")
    assert body["mulaid_balc"] == "500.00"
    status, body = api.settle(shanxi_child, "800.00")
    assert [p["amount"] for p in body["payers"]] == ["500.00"]
    assert (body["acct_mulaid_pay"], body["cash_pay"]) == ("500.00", "300.00")
    assert [n["code"] for n in body["notes"]] == ["SHARED_CAP_REACHED"]
    assert "500.00" in body["notes"][0]["message"]
    second.person.account.refresh_from_db()
    assert second.person.account.balance == Decimal("5000.00")


def test_the_reply_names_the_floor_and_the_cap_when_both_limited(api, make_citizen, shanxi_child, bind,
                                                                  shanxi_several_authorizers):
    """The first account has ¥200 above the floor; the second may add only what is left of the ¥500 cap."""
    first = _shanxi_worker(make_citizen, "王甲", "1200.00", "13700000033")
    second = _shanxi_worker(make_citizen, "李乙", "5000.00", "13700000034", sex="F")
    bind(first, shanxi_child)
    bind(second, shanxi_child)
    status, body = api.settle(shanxi_child, "800.00")
    assert [p["amount"] for p in body["payers"]] == ["200.00", "300.00"]
    assert (body["acct_mulaid_pay"], body["cash_pay"]) == ("500.00", "300.00")
    assert [n["code"] for n in body["notes"]] == ["SHARED_BALANCE_BELOW_FLOOR", "SHARED_CAP_REACHED"]
    assert "1000.00" in body["notes"][0]["message"]
