"""Figures for officials' statistics, aggregated in SQL and limited to the official's scope.

Every function takes `regions` (the pooling-region codes in scope, None for national) and a month range as aware
datetimes [start, end) of the current time zone, and returns plain rows for tables, charts and CSV.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from audit.models import RefusalEntry
from officials.models import (
    BindingMonthly,
    BindingSummary,
    MoneyMonthly,
    RefusalMonthly,
    SettlementMonthly,
    SummaryRefresh,
)
from registry.models import InsuredPerson, PoolingRegion, PremiumDue, Relation
from settlement.models import Payment, Refund, RefundLine, Settlement
from sharing.models import Binding, PremiumPayment

ZERO = Decimal("0.00")
TOP_REASONS = 10


def month_label(value) -> str:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m")


def months_between(start: datetime.datetime, end: datetime.datetime) -> list[str]:
    labels, day = [], start.date().replace(day=1)
    while day < end.date():
        labels.append(day.strftime("%Y-%m"))
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return labels


def region_names(codes=None) -> dict[str, str]:
    queryset = PoolingRegion.objects.all() if codes is None else PoolingRegion.objects.filter(code__in=codes)
    return dict(queryset.values_list("code", "name"))


def bindings_by_status(regions):
    """(relation × status matrix, region × status matrix, statuses) of the bindings in scope."""
    summary = BindingSummary.objects.order_by()
    if regions is not None:
        summary = summary.filter(region__in=regions)
    rows = list(summary.values("region", "status", "relation").annotate(n=Sum("n")))
    statuses = [s for s in Binding.Status if any(r["status"] == s for r in rows)]
    by_relation, by_region = {}, {}
    for r in rows:
        by_relation.setdefault(r["relation"], {}).setdefault(r["status"], 0)
        by_relation[r["relation"]][r["status"]] += r["n"]
        by_region.setdefault(r["region"], {}).setdefault(r["status"], 0)
        by_region[r["region"]][r["status"]] += r["n"]
    names = region_names(by_region)
    relation_rows = [[Relation(rel).label, *[counts.get(s, 0) for s in statuses], sum(counts.values())]
                     for rel, counts in sorted(by_relation.items())]
    region_rows = [[names.get(code, code), *[counts.get(s, 0) for s in statuses], sum(counts.values())]
                   for code, counts in sorted(by_region.items())]
    return relation_rows, region_rows, [s.label for s in statuses]


def bindings_per_month(regions, start, end) -> list[list]:
    summary = BindingMonthly.objects.order_by().filter(month__gte=start.date(), month__lt=end.date())
    if regions is not None:
        summary = summary.filter(region__in=regions)
    found = {month_label(r["month"]): r for r in summary.values("month").annotate(new=Sum("new"), ended=Sum("ended"))}
    return [[m, found.get(m, {}).get("new", 0), found.get(m, {}).get("ended", 0)] for m in months_between(start, end)]


# A payment is written in its settlement's transaction: its time is within this of the settlement's.
SAME_TRANSACTION = datetime.timedelta(hours=1)
MONEY_SOURCES = (Payment.Source.SHARED, Payment.Source.QUOTA)
RECENT = datetime.timedelta(days=7)  # a live part up to this long is grouped by person (recent_payment_flows)


def summary_cut() -> datetime.datetime | None:
    """Where the money and settlement summaries end and live figures begin: the cut of the last refresh (a full
    hour; see summary.statistics_cut). None before the first refresh (everything is then read live)."""
    cut = SummaryRefresh.objects.order_by("-refreshed_at").values_list("covered_until", flat=True).first()
    return timezone.localtime(cut) if cut else None  # local: its .date() picks the summary months


def _split(start, end, cut):
    """([start, cut) from the summaries, [cut, end) live), either possibly empty."""
    cut = start if cut is None else min(max(cut, start), end)
    return (start, cut), (cut, end)


def _summary_months(queryset, start, end):
    """The summary rows of every month that [start, end) reaches into. `end` is the refresh's cut, mostly inside a
    month: on the 1st at 06:00 the current month's row holds what was made since midnight (`month < end.date()`
    would drop it)."""
    last_day = timezone.localtime(end - datetime.timedelta(microseconds=1)).date()
    return queryset.filter(month__gte=start.date(), month__lte=last_day)


def _flows(queryset, prefix=""):
    return queryset.annotate(month=TruncMonth(f"{prefix}created_at"), payer_region=F(f"{prefix}payer__region"),
                             member_region=F(f"{prefix}member__region")).values("month", "payer_region",
                                                                                "member_region")


def _in_scope(queryset, regions, prefix=""):
    if regions is None:
        return queryset
    return queryset.filter(Q(**{f"{prefix}payer__region__in": regions}) | Q(**{f"{prefix}member__region__in": regions}))


def _payment_parts(start, end):
    # From an authorizer's live balance or from a quota they set aside (共济额度): both are money shared. Shared
    # payments are found through their partial creation-time index, quota payments (no index of their own on the
    # time) through their settlement's.
    base = Payment.objects.order_by().filter(created_at__gte=start, created_at__lt=end)
    return (base.filter(source=Payment.Source.SHARED),
            base.filter(source=Payment.Source.QUOTA, settlement__created_at__gte=start - SAME_TRANSACTION,
                        settlement__created_at__lt=end + SAME_TRANSACTION))


def payment_flows(regions, start, end) -> list[dict]:
    """Payments from authorizers' accounts made in [start, end), per month and region flow: how many, their amount
    (`gross`) and what has been refunded of them so far (`refunded`), read from the payments themselves. For long
    periods (the refresh): the regions are joined in SQL."""
    return [row for part in _payment_parts(start, end)
            for row in _flows(_in_scope(part, regions)).annotate(n=Count("id"), gross=Sum("amount"),
                                                                 refunded=Sum("refunded"))]


def _region_of(field: str) -> Subquery:
    return Subquery(InsuredPerson.objects.order_by().filter(pk=OuterRef(field)).values("region_id")[:1])


def recent_payment_flows(regions, start, end) -> list[dict]:
    """payment_flows for a short period (since the refresh's cut: an hour or two). Joined to the registry, the
    planner may hash the whole registry for a few thousand payments (83–158 ms for a day's on the bench); each
    payment's regions read by primary key instead (a subquery per row), the cost follows the payments."""
    rows = []
    for part in _payment_parts(start, end):
        part = part.annotate(month=TruncMonth("created_at"), payer_region=_region_of("payer_id"),
                             member_region=_region_of("member_id"))
        if regions is not None:
            part = part.filter(Q(payer_region__in=regions) | Q(member_region__in=regions))
        rows += part.values("month", "payer_region", "member_region").annotate(
            n=Count("id"), gross=Sum("amount"), refunded=Sum("refunded"))
    return rows


def refund_line_flows(regions, *, paid_from, paid_until, refunded_from=None, refunded_until=None) -> list[dict]:
    """What was refunded (`back`), by refunds made in [refunded_from, refunded_until), of payments made in
    [paid_from, paid_until), per month of the payment and region flow."""
    lines = RefundLine.objects.order_by().filter(payment__source__in=MONEY_SOURCES,
                                                 payment__created_at__gte=paid_from, payment__created_at__lt=paid_until)
    if refunded_from is not None:
        lines = lines.filter(refund__created_at__gte=refunded_from)
    if refunded_until is not None:
        lines = lines.filter(refund__created_at__lt=refunded_until)
    return list(_flows(_in_scope(lines, regions, "payment__"), "payment__").annotate(back=Sum("amount")))


def money_shared(regions, start, end) -> list[list]:
    """Net amounts paid from authorizers' accounts for members per month, by authorizer region → member region
    (cross-city and cross-province flows, and what provinces clear with each other).

    Exact and fast: payments and refunds made before the last refresh's cut (a full hour) come from MoneyMonthly,
    refreshed hourly; payments made since are read live (an hour or two of them, through an index); refunds made
    since of earlier payments are taken off their month (a few rows, through the refunds' time index)."""
    cut = summary_cut()
    (s_start, s_end), (l_start, l_end) = _split(start, end, cut)
    flows: dict[tuple, list] = {}

    def add(month, payer_region, member_region, n, net):
        flow = flows.setdefault((month_label(month), payer_region, member_region), [0, ZERO])
        flow[0] += n
        flow[1] += net or ZERO

    if s_start < s_end:
        summary = _summary_months(MoneyMonthly.objects.order_by(), s_start, s_end)
        if regions is not None:
            summary = summary.filter(Q(payer_region__in=regions) | Q(member_region__in=regions))
        for r in summary.values_list("month", "payer_region", "member_region", "n", "net"):
            add(*r)
        for r in refund_line_flows(regions, paid_from=s_start, paid_until=s_end, refunded_from=cut):
            add(r["month"], r["payer_region"], r["member_region"], 0, -r["back"])
    if l_start < l_end:
        # Since a late refresh's cut (the worker down for days) or before the first refresh: the SQL join.
        flows_since = recent_payment_flows if min(l_end, timezone.now()) - l_start <= RECENT else payment_flows
        for r in flows_since(regions, l_start, l_end):
            add(r["month"], r["payer_region"], r["member_region"], r["n"], r["gross"] - r["refunded"])
    names = region_names({key[1] for key in flows} | {key[2] for key in flows})
    return [[month, names.get(payer, payer), names.get(member, member), n, net]
            for (month, payer, member), (n, net) in sorted(flows.items())]


def settlements_live(regions, start, end, *, by_region: bool = False) -> tuple[list[dict], list[dict]]:
    """Settlements and refunds made in [start, end) per month (and, with by_region, per institution region), read
    live through their creation-time indexes."""
    def scoped(queryset):
        queryset = queryset.order_by().filter(created_at__gte=start, created_at__lt=end)
        queryset = queryset if regions is None else queryset.filter(institution__region__in=regions)
        return queryset.annotate(month=TruncMonth("created_at"), region=F("institution__region"))

    keys = ("month", "region") if by_region else ("month",)
    settled = list(scoped(Settlement.objects).values(*keys)
                   .annotate(n=Count("id"), amount=Sum("amount"), shared=Sum("acct_mulaid_pay")))
    refunded = list(scoped(Refund.objects).values(*keys).annotate(n=Count("id"), amount=Sum("amount")))
    return settled, refunded


def settlements_per_month(regions, start, end) -> list[list]:
    """Per month: settlements (count, amount, of which from shared accounts) and refunds (count, amount), by the
    institution's region. Those made before the last refresh's cut come from SettlementMonthly (refreshed hourly),
    those made since (an hour or two) live."""
    (s_start, s_end), (l_start, l_end) = _split(start, end, summary_cut())
    totals: dict[str, list] = {}

    def add(month, n=0, amount=ZERO, shared=ZERO, refunds=0, refunded=ZERO):
        row = totals.setdefault(month_label(month), [0, ZERO, ZERO, 0, ZERO])
        for i, value in enumerate((n, amount or ZERO, shared or ZERO, refunds, refunded or ZERO)):
            row[i] += value

    if s_start < s_end:
        summary = _summary_months(SettlementMonthly.objects.order_by(), s_start, s_end)
        if regions is not None:
            summary = summary.filter(region__in=regions)
        for r in summary:
            add(r.month, r.settlements, r.amount, r.shared, r.refunds, r.refunded)
    if l_start < l_end:
        settled, refunded = settlements_live(regions, l_start, l_end)
        for r in settled:
            add(r["month"], n=r["n"], amount=r["amount"], shared=r["shared"])
        for r in refunded:
            add(r["month"], refunds=r["n"], refunded=r["amount"])
    return [[m, *totals.get(m, [0, ZERO, ZERO, 0, ZERO])] for m in months_between(start, end)]


def refusal_cube(regions, start, end) -> list[tuple[str, str, str, int]]:
    """(month, channel, code, count) of the refusal log, from its monthly summary; the refusal tables are all cut
    from it."""
    summary = RefusalMonthly.objects.order_by().filter(month__gte=start.date(), month__lt=end.date())
    if regions is not None:
        summary = summary.filter(region__in=regions)
    rows = summary.values("month", "channel", "code").annotate(total=Sum("n"))
    return [(month_label(r["month"]), r["channel"], r["code"], r["total"]) for r in rows]


def _top_codes(cube) -> list[tuple[str, int]]:
    totals = {}
    for _month, _channel, code, n in cube:
        totals[code] = totals.get(code, 0) + n
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:TOP_REASONS]


def top_refusals(cube) -> list[list]:
    """The most frequent reason codes over the period, with their count per channel."""
    per_channel = {}
    for _month, channel, code, n in cube:
        per_channel[(code, channel)] = per_channel.get((code, channel), 0) + n
    channels = list(RefusalEntry.Channel)
    return [[code, *[per_channel.get((code, c), 0) for c in channels], total] for code, total in _top_codes(cube)]


def refusals_per_month(cube) -> list[list]:
    """Per month and reason code (the top codes of the period), how many refusals."""
    top = [code for code, _n in _top_codes(cube)]
    counts = {}
    for month, _channel, code, n in cube:
        if code in top:
            counts[(month, code)] = counts.get((month, code), 0) + n
    return [[month, code, n] for (month, code), n in sorted(counts.items(), key=lambda i: (i[0][0], -i[1], i[0][1]))]


def refusal_totals_per_month(cube) -> dict[str, int]:
    totals = {}
    for month, _channel, _code, n in cube:
        totals[month] = totals.get(month, 0) + n
    return totals


def premiums_per_month(regions, start, end) -> list[list]:
    """Premiums paid from personal accounts per month and kind (resident, long-term care), by the due's region:
    how many and how much (rules.md, "Premiums")."""
    queryset = PremiumPayment.objects.order_by().filter(created_at__gte=start, created_at__lt=end)
    if regions is not None:
        queryset = queryset.filter(due__region__in=regions)
    rows = (queryset.annotate(month=TruncMonth("created_at"), kind=F("due__kind")).values("month", "kind")
            .annotate(n=Count("id"), amount=Sum("amount")).order_by("month", "kind"))
    labels = dict(PremiumDue.Kind.choices)
    return [[month_label(r["month"]), labels.get(r["kind"], r["kind"]), r["n"], r["amount"]] for r in rows]
