"""Money and settlements made before the refresh's cut (the last full hour) come from summary tables (fast on the
full bench data); what was made since is read live. The figures are exactly the live ones, in scope."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from officials import selectors
from officials.models import MoneyMonthly, SettlementMonthly
from officials.summary import statistics_cut, statistics_refresh
from registry.models import InsuredPerson
from settlement.models import Payment, Settlement


def _move(body, when):
    """Test data: a settlement (and its payments) made at another time."""
    Settlement.objects.filter(pk=body["settlement_id"]).update(created_at=when)
    Payment.objects.filter(settlement_id=body["settlement_id"]).update(created_at=when)


@pytest.fixture
def settled(alice, charlie, bind, api):
    """Three settlements of 王小川's paid from 张伟's account: last month, 6 hours before the cut and now."""
    bind(alice, charlie, "child")
    cut = statistics_cut(timezone.now())
    month_start = timezone.localtime(cut).replace(day=1)
    bodies = {}
    for when, amount in (("last_month", "40.00"), ("before_cut", "25.50"), ("now", "10.00")):
        status, bodies[when] = api.settle(charlie, amount, request_id=f"s-{when}")
        assert status == 201, bodies[when]
    _move(bodies["last_month"], month_start - datetime.timedelta(days=10))
    _move(bodies["before_cut"], cut - datetime.timedelta(hours=6))
    api.bodies = bodies
    return api


def _range():
    end = (timezone.localtime() + datetime.timedelta(days=40)).replace(day=1, hour=0, minute=0, second=0,
                                                                      microsecond=0)
    return end - datetime.timedelta(days=400), end


def _figures(regions=None):
    start, end = _range()
    return selectors.money_shared(regions, start, end), selectors.settlements_per_month(regions, start, end)


def test_before_any_refresh_everything_is_read_live(settled):
    money, settlements = _figures()
    assert sum(row[3] for row in money) == 3 and sum(row[4] for row in money) == Decimal("75.50")
    assert sum(row[1] for row in settlements) == 3


def test_the_summaries_hold_what_was_made_before_the_cut_and_the_figures_equal_the_live_ones(settled):
    live = _figures()
    statistics_refresh()
    # Last month's and the one before the cut are in the summaries, the one made now is not.
    assert sum(MoneyMonthly.objects.values_list("n", flat=True)) == 2
    assert sum(SettlementMonthly.objects.values_list("settlements", flat=True)) == 2
    assert _figures() == live


def test_a_payment_made_after_the_refresh_shows_at_once(settled):
    statistics_refresh()
    status, _body = settled.settle(InsuredPerson.objects.get(name="王小川"), "7.00", request_id="s-late")
    assert status == 201
    money, settlements = _figures()
    assert sum(row[3] for row in money) == 4 and sum(row[4] for row in money) == Decimal("82.50")
    assert sum(row[1] for row in settlements) == 4


def test_a_refund_after_the_refresh_of_an_earlier_payment_is_taken_off_its_month(settled):
    statistics_refresh()
    before = _figures()
    status, _refund = settled.post(f"settlements/{settled.bodies['before_cut']['settlement_id']}/refunds",
                                   {"request_id": "rf-1", "amount": "5.50"})
    assert status == 201, _refund
    money, settlements = _figures()
    assert sum(row[4] for row in money) == sum(row[4] for row in before[0]) - Decimal("5.50")
    assert [sum(row[i] for row in settlements) for i in (4, 5)] == [1, Decimal("5.50")]  # counted when made
    statistics_refresh(now=timezone.now() + datetime.timedelta(days=1))  # tomorrow's refresh counts it in
    assert _figures() == (money, settlements)


def test_an_old_refresh_still_gives_the_live_figures(settled):
    live = _figures()
    statistics_refresh(now=timezone.now() - datetime.timedelta(days=3))
    assert _figures() == live


def test_the_summaries_keep_the_scope(settled):
    statistics_refresh()
    money, settlements = _figures(["320100"])
    assert money == [] and all(row[1] == 0 for row in settlements)  # 南京 sees nothing of 徐州's
    money, settlements = _figures(["320300"])
    assert sum(row[3] for row in money) == 3 and sum(row[1] for row in settlements) == 3


def test_the_recent_flows_grouped_by_person_equal_the_sql_join(settled, make_citizen, bind):
    other = make_citizen(name="周南", birth=datetime.date(1975, 4, 4), address="320102", region="320100",
                         balance="500.00", mobile="13800000031")
    status, _body = settled.settle(other.person, "3.00", request_id="s-own")  # own account: not money shared
    assert status == 201
    start, end = statistics_cut(timezone.now()) - datetime.timedelta(days=2), timezone.now() + datetime.timedelta(hours=1)

    def rows(fn, regions):
        return sorted((r["month"], r["payer_region"], r["member_region"], r["n"], r["gross"], r["refunded"])
                      for r in fn(regions, start, end))

    for regions in (None, ["320300"], ["320100"], ["320300", "320100"]):
        assert rows(selectors.recent_payment_flows, regions) == rows(selectors.payment_flows, regions), regions
    assert sum(r[3] for r in rows(selectors.recent_payment_flows, None)) == 2  # the one before the cut and the one now
    assert rows(selectors.recent_payment_flows, ["320100"]) == []


def test_the_cut_is_the_last_full_hour_at_least_five_minutes_ago():
    local = timezone.get_current_timezone()
    at = datetime.datetime(2026, 12, 1, 14, 3, tzinfo=local)
    assert statistics_cut(at) == datetime.datetime(2026, 12, 1, 13, 0, tzinfo=local)
    assert statistics_cut(at.replace(minute=7)) == datetime.datetime(2026, 12, 1, 14, 0, tzinfo=local)
    assert statistics_cut(datetime.datetime(2026, 12, 1, 0, 2, tzinfo=local)) == datetime.datetime(
        2026, 11, 30, 23, 0, tzinfo=local)


def test_on_the_first_of_a_month_what_was_summarised_since_midnight_counts(alice, charlie, bind, api):
    # The cut (06:00 on the 1st) lies inside the month whose summary row holds the payment of 03:00: the page must
    # read that row, not stop at the months before the cut's date.
    bind(alice, charlie, "child")
    first = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    status, body = api.settle(charlie, "12.00", request_id="s-first")
    assert status == 201, body
    _move(body, first + datetime.timedelta(hours=3))
    live = _figures()
    statistics_refresh(now=first + datetime.timedelta(hours=6, minutes=10))
    assert sum(MoneyMonthly.objects.values_list("n", flat=True)) == 1
    assert sum(SettlementMonthly.objects.values_list("settlements", flat=True)) == 1
    assert _figures() == live
    assert sum(row[4] for row in live[0]) == Decimal("12.00")
