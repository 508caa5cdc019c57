"""The paying rules as pure functions: no database, plain inputs (sharing.eligibility.payment)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from sharing.eligibility.payment import SharedSource, payment_order, plan_payment, resettle

D = Decimal


def source(balance, *, floor=None, cap=None, single=False, name="a"):
    return SharedSource(binding=SimpleNamespace(pk=name), balance=D(balance), floor=D(floor) if floor else None,
                        cap=D(cap) if cap else None, single_authorizer=single)


def codes(plan):
    return [n.code for n in plan.notes]


def test_the_cap_is_per_settlement_per_member_across_every_shared_account():
    plan = plan_payment(amount=D("800"), own_balance=None,
                        sources=[source("5000", cap="500", name="a"), source("5000", cap="500", name="b")])
    assert [pay for _s, pay in plan.shared] == [D("500")] and plan.cash == D("300")
    assert codes(plan) == ["SHARED_CAP_REACHED"]


def test_an_account_under_a_cap_pays_only_what_the_accounts_before_it_left_of_that_cap():
    """An uncapped account (another province's policy) paid ¥300 first; a ¥500 cap leaves ¥200."""
    plan = plan_payment(amount=D("800"), own_balance=None, sources=[source("300", name="a"),
                                                                      source("5000", cap="500", name="b")])
    assert [pay for _s, pay in plan.shared] == [D("300"), D("200")]
    assert codes(plan) == ["SHARED_CAP_REACHED"]


def test_the_floor_is_named_when_it_limited_a_payment():
    plan = plan_payment(amount=D("300"), own_balance=None, sources=[source("1200", floor="1000")])
    assert plan.shared_total == D("200") and codes(plan) == ["SHARED_BALANCE_BELOW_FLOOR"]
    assert "1000" in str(plan.notes[0].message)


def test_neither_floor_nor_cap_is_named_when_the_bill_was_paid_in_full():
    plan = plan_payment(amount=D("100"), own_balance=None, sources=[source("5000", floor="1000", cap="500")])
    assert plan.cash == 0 and codes(plan) == []


def test_the_limits_per_source_are_kept_for_the_self_check():
    a, b = source("1200", floor="1000", name="a"), source("800", floor="1000", name="b")
    plan = plan_payment(amount=D("300"), own_balance=None, sources=[a, b])
    assert [n.code for n in plan.limits[id(a)]] == ["SHARED_BALANCE_BELOW_FLOOR"]
    assert [n.code for n in plan.limits[id(b)]] == ["SHARED_BALANCE_BELOW_FLOOR"]


def test_resettling_a_smaller_bill_takes_off_cash_then_the_last_accounts_first():
    paid = [D("50"), D("3000"), D("500")]  # own, then two shared accounts; cash 50 of a 3600 bill
    assert resettle(paid, D("3550")) == [D("50"), D("3000"), D("500")]   # ¥50 cash back
    assert resettle(paid, D("3500")) == [D("50"), D("3000"), D("450")]
    assert resettle(paid, D("2000")) == [D("50"), D("1950"), D("0")]
    assert resettle(paid, D("30")) == [D("30"), D("0"), D("0")]
    assert resettle(paid, D("0")) == [D("0"), D("0"), D("0")]


def test_resettling_equals_planning_the_smaller_bill_against_the_same_balances():
    sources = [source("120", name="a"), source("5000", cap="500", name="b"), source("900", name="c")]
    for bill, smaller in [(D("800"), D("300")), (D("1500"), D("700")), (D("700"), D("20"))]:
        big = plan_payment(amount=bill, own_balance=D("50"), sources=sources)
        small = plan_payment(amount=smaller, own_balance=D("50"), sources=sources)
        kept = resettle([big.own] + [pay for _s, pay in big.shared], smaller)
        paid_small = [small.own] + [pay for _s, pay in small.shared]
        assert kept[:len(paid_small)] == paid_small and not any(kept[len(paid_small):])


def test_the_paying_order_is_the_members_then_earliest_activation():
    t = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)

    def binding(name, days, priority=None):
        return SimpleNamespace(pk=name, payment_priority=priority, activated_at=t + datetime.timedelta(days=days),
                               created_at=t)

    early, late, newest = binding("early", 1), binding("late", 2), binding("newest", 3)
    assert [b.pk for b in payment_order([newest, late, early])] == ["early", "late", "newest"]
    late.payment_priority, early.payment_priority = 1, 2
    assert [b.pk for b in payment_order([newest, late, early])] == ["late", "early", "newest"]
