"""The live money and settlement statistics read their month range from an index on the creation time."""

import datetime

from django.db import connection
from django.utils import timezone

from officials.selectors import money_shared, settlements_per_month
from settlement.models import Payment, Refund, Settlement


def plan(queryset) -> str:
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


def test_money_and_settlements_per_month_use_the_time_indexes(db):
    end = timezone.now()
    start = end - datetime.timedelta(days=365)
    shared = Payment.objects.order_by().filter(source=Payment.Source.SHARED, created_at__gte=start,
                                               created_at__lt=end)
    assert "payment_shared_created_stats" in plan(shared.values("created_at", "amount", "refunded"))
    for model, name in ((Settlement, "settlement_created_stats"), (Refund, "refund_created_stats")):
        period = model.objects.order_by().filter(created_at__gte=start, created_at__lt=end)
        assert name in plan(period.values("created_at", "amount"))
    # The selectors still answer over an empty period.
    assert money_shared(None, start, end) == []
    assert len(settlements_per_month(None, start, end)) >= 12
