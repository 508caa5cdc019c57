"""Reads for the spending pages (支出明细). Keyset pagination on (payer|member, source, -id) indexes. The pages run
these querysets through spending.reads (compiled once per process)."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.texts import choice_labels, minute_texter, money_text
from registry.models import InsuredPerson
from settlement.models import Payment
from spending.models import PaymentMonth

PAGE_SIZE = 50
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Period:
    """A calendar year ("2026") or month ("2026-05"), as local dates [start, end)."""

    label: str
    start: datetime.date
    end: datetime.date

    @classmethod
    def parse(cls, value: str) -> "Period | None":
        if not re.fullmatch(r"[0-9]{4}(-[0-9]{2})?", value, re.ASCII):
            return None
        try:
            year = int(value[:4])
            if len(value) == 4:
                return cls(value, datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))
            month = int(value[5:7])
            start = datetime.date(year, month, 1)
            end = datetime.date(year + (month == 12), month % 12 + 1, 1)
        except ValueError:  # month 13, or year 9999's December running past the calendar
            return None
        return cls(value, start, end)


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


# What a family member's account paid: from its live balance (shared) or from a quota set aside (quota).
SHARING = (Payment.Source.SHARED, Payment.Source.QUOTA)


def payments(*, payer: InsuredPerson | None = None, member: InsuredPerson | None = None, source: str | tuple,
             counterpart_id=None, period: Period | None = None):
    """Payments made by `payer` (or for `member`), filtered; ordered newest first by id (index order). `source`
    is one source or a tuple of them (SHARING)."""
    qs = Payment.objects.filter(source__in=source) if isinstance(source, tuple) else Payment.objects.filter(source=source)
    if payer is not None:
        qs = qs.filter(payer=payer)
        if counterpart_id:
            qs = qs.filter(member_id=counterpart_id)
    if member is not None:
        qs = qs.filter(member=member)
        if counterpart_id:
            qs = qs.filter(payer_id=counterpart_id)
    if period is not None:
        qs = qs.filter(created_at__gte=_aware(period.start), created_at__lt=_aware(period.end))
    return qs.order_by("-id")


class PaymentRow(dict):
    """One line of the payments table, ready to show: a dict (the template engine's fastest lookup) whose keys also
    read as attributes (`row.pk`, `row.amount`) in Python."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


_ROW_FIELDS = ("id", "created_at", "member__name", "payer__name", "institution__name", "category", "source",
               "amount", "refunded")


_labels, _money_text = choice_labels, money_text


def page_statement(*, side: str, person_id, counterpart_id=None, since: datetime.datetime | None = None,
                   until: datetime.datetime | None = None, before: int | None = None):
    """One page of the sharing payments made by (`side="payer"`) or for (`side="member"`) a person, newest first:
    PAGE_SIZE + 1 rows (the extra one says whether there is a next page) as ONE statement that reads only those rows
    (spending/tests/test_summary.py checks the plan):

        (SELECT … WHERE payer_id >= %s AND payer_id <= %s AND source = 'shared' [filters] ORDER BY payer_id, id DESC LIMIT 51)
        UNION ALL (… source = 'quota' …) ORDER BY payer_id, id DESC LIMIT 51

    - One branch per source, each walking the (payer|member, source, -id) index in order, merged by PostgreSQL
      (Merge Append): rows are pulled until 51 are out. `source IN (…) ORDER BY id DESC` has no index order at all.
    - `>= x AND <= x` with `ORDER BY payer_id, id DESC`, not `= x` with `ORDER BY id DESC`: the same rows, but with
      an equality the planner drops payer_id from the order, and when one payer has most of the table's rows (the
      bench's 10,000-payment authorizer) it walks the primary key backwards instead, filtering out every newer
      payment of everybody else (20,000 rows read for 51 on the bench database). Only the index gives this order.

    Rows are plain values (`_PAGE_FIELDS`: the other party's id, not their name; then the person's id), not model
    instances; spending.reads names the other party and `page_rows` makes them rows. Only the institution is joined:
    with the two persons joined as well, planning the statement (it is planned at each call, spending.reads.page) took
    1.36 ms instead of 0.44."""
    other = "member" if side == "payer" else "payer"
    branches = []
    for source in SHARING:
        qs = Payment.objects.filter(**{f"{side}__gte": person_id, f"{side}__lte": person_id}, source=source)
        if counterpart_id is not None:
            qs = qs.filter(**{f"{other}_id": counterpart_id})
        if since is not None:
            qs = qs.filter(created_at__gte=since, created_at__lt=until)
        if before is not None:
            qs = qs.filter(id__lt=before)
        branches.append(qs.order_by(f"{side}_id", "-id").values_list(*_page_fields(other), f"{side}_id")[
            : PAGE_SIZE + 1])
    return branches[0].union(*branches[1:], all=True).order_by(f"{side}_id", "-id")[: PAGE_SIZE + 1]


def _page_fields(other: str) -> tuple:
    return ("id", "created_at", f"{other}_id", "institution__name", "category", "source", "amount", "refunded")


def window(period: Period | None) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """The period as aware datetimes [since, until) (local midnights), or (None, None)."""
    return (_aware(period.start), _aware(period.end)) if period is not None else (None, None)


def page_rows(found, who: str = "member") -> tuple[list[PaymentRow], int | None]:
    """Rows of `_ROW_FIELDS` (`page_statement`'s, named by spending.reads) ready to show, and the cursor of the next
    page, if any. `who` names the other side shown in each row ("member" or "payer"). Shown values are computed once
    per page (core.texts)."""
    more = len(found) > PAGE_SIZE
    categories, sources = _labels(Payment._meta.get_field("category").choices), _labels(Payment.Source.choices)
    money, minute_text = _money_text(), minute_texter()
    rows = [PaymentRow(pk=pk, when=minute_text(created_at), member_name=member,
                       payer_name=payer, who_name=payer if who == "payer" else member,
                       institution_name=institution, category=category,
                       category_label=categories.get(category, category), source=source,
                       source_label=sources.get(source, source), amount=amount, refunded=refunded,
                       amount_text=money(amount), refunded_text=money(refunded) if refunded else "—")
            for pk, created_at, member, payer, institution, category, source, amount, refunded, *_walk
            in found[:PAGE_SIZE]]
    return rows, (rows[-1].pk if more else None)


def totals_by(qs, person_field: str) -> list[dict]:
    """Totals per member (or per authorizer): paid, refunded, net, count."""
    rows = (qs.order_by().values(f"{person_field}_id", f"{person_field}__name")
            .annotate(paid=Sum("amount"), refunded=Sum("refunded"), count=Count("id"))
            .order_by(f"{person_field}__name"))
    return [{"id": r[f"{person_field}_id"], "name": r[f"{person_field}__name"], "paid": r["paid"],
             "refunded": r["refunded"], "net": r["paid"] - r["refunded"], "count": r["count"]} for r in rows]


def summary(*, payer: InsuredPerson | None = None, member: InsuredPerson | None = None, counterpart_id=None,
            period: Period | None = None):
    """The monthly sums (PaymentMonth) of the sharing payments that `payments(…, source=SHARING)` lists."""
    qs = PaymentMonth.objects.filter(source__in=SHARING, count__gt=0)
    if payer is not None:
        qs = qs.filter(payer=payer, **({"member_id": counterpart_id} if counterpart_id else {}))
    if member is not None:
        qs = qs.filter(member=member, **({"payer_id": counterpart_id} if counterpart_id else {}))
    if period is not None:
        qs = qs.filter(month__gte=period.start, month__lt=period.end)
    return qs


def summary_totals_by(qs, person_field: str) -> list[dict]:
    """totals_by from the monthly sums: the same rows, read from a table that grows with months, not payments."""
    return _summary_totals(_summary_totals_query(qs, person_field), person_field)


def _summary_totals_query(qs, person_field: str):
    return (qs.order_by().values(f"{person_field}_id", f"{person_field}__name")
            .annotate(paid=Sum("paid"), refunded=Sum("refunded"), count=Sum("count"))
            .order_by(f"{person_field}__name"))


def _summary_totals(rows, person_field: str) -> list[dict]:
    return [{"id": r[f"{person_field}_id"], "name": r[f"{person_field}__name"], "paid": r["paid"],
             "refunded": r["refunded"], "net": r["paid"] - r["refunded"], "count": r["count"]} for r in rows]


def summary_monthly(qs, *, months: int = 12) -> list[tuple[str, Decimal]]:
    """monthly from the monthly sums."""
    return _summary_monthly(_summary_monthly_query(qs, months))


def _summary_monthly_query(qs, months: int):
    return qs.order_by().values("month").annotate(net=Sum(F("paid") - F("refunded"))).order_by("-month")[:months]


def _summary_monthly(rows) -> list[tuple[str, Decimal]]:
    return [(r["month"].strftime("%Y-%m"), r["net"]) for r in reversed(list(rows))]


@dataclass(frozen=True)
class Bar:
    month: str
    amount: Decimal
    x: int
    y: int
    width: int
    height: int
    label_x: int


CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM, CHART_LEFT = 720, 240, 24, 200, 16


def monthly(qs, *, months: int = 12) -> list[tuple[str, Decimal]]:
    """Net spending per month, oldest first: the months of the filter, or the last `months` months."""
    rows = (qs.order_by().annotate(month=TruncMonth("created_at")).values("month")
            .annotate(net=Sum(F("amount") - F("refunded"))).order_by("-month")[:months])
    return [(timezone.localtime(r["month"]).strftime("%Y-%m") if timezone.is_aware(r["month"])
             else r["month"].strftime("%Y-%m"), r["net"]) for r in reversed(list(rows))]


def chart_bars(series: list[tuple[str, Decimal]]) -> list[Bar]:
    """Geometry of a server-rendered SVG bar chart (no JavaScript)."""
    if not series:
        return []
    top = max((amount for _m, amount in series), default=ZERO) or Decimal("1")
    slot = (CHART_WIDTH - CHART_LEFT * 2) // max(len(series), 1)
    width = max(slot * 2 // 3, 4)
    bars = []
    for i, (month, amount) in enumerate(series):
        height = int((CHART_BOTTOM - CHART_TOP) * max(amount, ZERO) / top)
        x = CHART_LEFT + i * slot + (slot - width) // 2
        bars.append(Bar(month=month, amount=amount, x=x, y=CHART_BOTTOM - height, width=width, height=height,
                        label_x=x + width // 2))
    return bars
