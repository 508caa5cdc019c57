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


@transaction.atomic
def statistics_refresh() -> dict:
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
    # Money and settlements of every completed month (the current one is read live by the page).
    cut = selectors.this_month_start()
    begin = timezone.make_aware(datetime.datetime(2000, 1, 1))
    MoneyMonthly.objects.bulk_create(
        MoneyMonthly(month=_local_month(r["month"]), payer_region_id=r["payer_region"],
                     member_region_id=r["member_region"], n=r["n"], net=r["net"] or 0)
        for r in selectors.money_flows_live(None, begin, cut))
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
    SummaryRefresh.objects.create(refreshed_at=timezone.now())
    return {"refusal_rows": RefusalMonthly.objects.count(), "binding_rows": BindingSummary.objects.count(),
            "binding_month_rows": len(months)}


def refreshed_at():
    last = SummaryRefresh.objects.order_by("-refreshed_at").first()
    return last.refreshed_at if last else None
