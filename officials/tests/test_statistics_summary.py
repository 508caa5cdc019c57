"""Money and settlements of completed months come from summary tables (fast on the full bench data); the current
month is read live. The summaries hold exactly what the live aggregates say."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from officials import selectors
from officials.models import MoneyMonthly, SettlementMonthly
from officials.summary import statistics_refresh


@pytest.fixture
def settled(alice, charlie, bind, api):
    bind(alice, charlie, "child")
    for i, amount in enumerate(["40.00", "25.50"]):
        status, body = api.settle(charlie, amount, request_id=f"s-{i}")
        assert status == 201, body
    return api


def _range():
    end = selectors.this_month_start() + datetime.timedelta(days=40)
    return end - datetime.timedelta(days=400), end.replace(day=1)


def test_the_current_month_is_read_live(settled):
    start, end = _range()
    [flow] = selectors.money_shared(None, start, end)
    assert flow[3:] == [2, Decimal("65.50")]
    month = {row[0]: row for row in selectors.settlements_per_month(None, start, end)}[
        selectors.month_label(timezone.localtime())]
    assert month[1:] == [2, Decimal("65.50"), Decimal("65.50"), 0, Decimal("0.00")]


def test_completed_months_come_from_the_summaries_and_equal_the_live_figures(settled, monkeypatch):
    start, end = _range()
    live_money = selectors.money_shared(None, start, end)
    live_settlements = selectors.settlements_per_month(None, start, end)
    # Next month: everything so far is a completed month, counted by the hourly refresh.
    monkeypatch.setattr(selectors, "this_month_start", lambda: end)
    statistics_refresh()
    assert MoneyMonthly.objects.count() == 1 and SettlementMonthly.objects.count() == 1
    assert selectors.money_shared(None, start, end) == live_money
    assert selectors.settlements_per_month(None, start, end) == live_settlements
    # Read from the summary: a settlement after the refresh shows only after the next one.
    settled.settle(settled_patient(), "10.00", request_id="s-late")
    assert selectors.money_shared(None, start, end) == live_money
    statistics_refresh()
    assert selectors.money_shared(None, start, end)[0][3] == 3


def test_the_summaries_keep_the_scope(settled, monkeypatch):
    start, end = _range()
    monkeypatch.setattr(selectors, "this_month_start", lambda: end)
    statistics_refresh()
    assert selectors.money_shared(["320100"], start, end) == []  # 南京 sees nothing of 徐州's
    assert all(row[1] == 0 for row in selectors.settlements_per_month(["320100"], start, end))
    assert selectors.money_shared(["320300"], start, end)[0][3] == 2


def settled_patient():
    from registry.models import InsuredPerson

    return InsuredPerson.objects.get(name="王小川")
