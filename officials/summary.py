"""Rebuild the statistics summary tables (officials.models) in one transaction: readers see the old or the new."""

import datetime

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from audit.models import RefusalEntry
from officials import selectors
from officials.models import (
    BindingMonthly,
    BindingSummary,
    MoneyMonthly,
    RefusalMonthly,
    SettlementMonthly,
    SummaryRefresh,
)
from sharing import selectors as binding_selectors


def _local_month(value):
    return timezone.localtime(value).date().replace(day=1) if timezone.is_aware(value) else value.replace(day=1)


# A payment or refund is committed within this of the time it carries (one short transaction).
IN_FLIGHT = datetime.timedelta(minutes=5)


def statistics_cut(now: datetime.datetime) -> datetime.datetime:
    """Money and settlements made before this moment are counted into the summaries: the last full hour (local
    time) at least IN_FLIGHT ago, so that nothing timed before it can still be committed after the refresh has
    read. With the hourly refresh the page reads at most an hour or two live."""
    return timezone.localtime(now - IN_FLIGHT).replace(minute=0, second=0, microsecond=0)


@transaction.atomic
def statistics_refresh(*, now: datetime.datetime | None = None) -> dict:
    """`now` is the refresh's time (tests pass it; the job leaves it to the clock)."""
    for model in (RefusalMonthly, BindingSummary, BindingMonthly, MoneyMonthly, SettlementMonthly, SummaryRefresh):
        model.objects.all().delete()
    refusals = (RefusalEntry.objects.order_by().annotate(month=TruncMonth("created_at"))
                .values("month", "region", "channel", "code").annotate(n=Count("id")))
    RefusalMonthly.objects.bulk_create(
        RefusalMonthly(month=_local_month(r["month"]), region_id=r["region"], channel=r["channel"], code=r["code"],
                       n=r["n"]) for r in refusals.iterator(chunk_size=5000))
    BindingSummary.objects.bulk_create(
        BindingSummary(region_id=r["region"], status=r["status"], relation=r["relation"], n=r["n"])
        for r in binding_selectors.binding_counts(None))
    months = {}
    for r in binding_selectors.binding_months_by_region():
        row = months.setdefault((_local_month(r["month"]), r["region"]), {"new": 0, "ended": 0})
        row[r["kind"]] += r["n"]
    BindingMonthly.objects.bulk_create(BindingMonthly(month=m, region_id=region, **counts)
                                       for (m, region), counts in months.items())
    # Money and settlements made before the cut (what was made since is read live by the page).
    cut = statistics_cut(now or timezone.now())
    begin = timezone.make_aware(datetime.datetime(2000, 1, 1))
    flows = {}
    for r in selectors.payment_flows(None, begin, cut):
        flow = flows.setdefault((_local_month(r["month"]), r["payer_region"], r["member_region"]), [0, 0])
        flow[0] += r["n"]
        flow[1] += r["gross"] or 0
    # Net of the refunds made before the cut only: later ones are taken off live (selectors.money_shared).
    for r in selectors.refund_line_flows(None, paid_from=begin, paid_until=cut, refunded_until=cut):
        flows[(_local_month(r["month"]), r["payer_region"], r["member_region"])][1] -= r["back"]
    MoneyMonthly.objects.bulk_create(
        MoneyMonthly(month=month, payer_region_id=payer, member_region_id=member, n=n, net=net)
        for (month, payer, member), (n, net) in flows.items())
    settled, refunded = selectors.settlements_live(None, begin, cut, by_region=True)
    cells = {}
    for r in settled:
        cell = cells.setdefault((_local_month(r["month"]), r["region"]), {})
        cell.update(settlements=r["n"], amount=r["amount"] or 0, shared=r["shared"] or 0)
    for r in refunded:
        cell = cells.setdefault((_local_month(r["month"]), r["region"]), {})
        cell.update(refunds=r["n"], refunded=r["amount"] or 0)
    SettlementMonthly.objects.bulk_create(SettlementMonthly(month=m, region_id=region, **cell)
                                          for (m, region), cell in cells.items())
    SummaryRefresh.objects.create(refreshed_at=timezone.now(), covered_until=cut)
    return {"refusal_rows": RefusalMonthly.objects.count(), "binding_rows": BindingSummary.objects.count(),
            "binding_month_rows": len(months)}


def refreshed_at():
    last = SummaryRefresh.objects.order_by("-refreshed_at").first()
    return last.refreshed_at if last else None
