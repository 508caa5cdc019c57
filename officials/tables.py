"""The statistics page's tables (each downloadable as CSV) and charts (each drawn from one of these tables)."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from audit.models import RefusalEntry
from core.reasons import Reason
from hall import reasons as hall_reasons
from officials import selectors
from officials.charts import Chart, bar_chart
from settlement import reasons as api_reasons
from sharing import reasons as sharing_reasons


@dataclass
class Table:
    key: str
    title: str
    description: str
    headers: list[str]
    rows: list[list]
    chart: Chart | None = None
    numeric_from: int = 1  # columns from this one on are figures (right-aligned)
    extra: dict = field(default_factory=dict)


def reason_text(code: str) -> str:
    """The plain explanation of a reason code, from the catalogues of the channels that give it."""
    for catalogue in (sharing_reasons, api_reasons, hall_reasons):
        reason = getattr(catalogue, "ALL", {}).get(code) or getattr(catalogue, code, None)
        if isinstance(reason, Reason):
            return re.sub(r"%\((\w+)\)[sd]", "…", str(reason.message))  # details differ per case
    return ""


TABLE_KEYS = ["bindings_by_relation", "bindings_by_region", "bindings_per_month", "money_shared",
              "settlements_per_month", "top_refusals", "refusals_per_month", "premiums_per_month"]


def build(key: str | None, regions, start, end) -> list[Table]:
    """All tables, or only the one named `key` (for its CSV)."""
    tables = []
    months = selectors.months_between(start, end)
    if key in (None, "bindings_by_relation", "bindings_by_region"):
        by_relation, by_region, statuses = selectors.bindings_by_status(regions)
        tables.append(Table("bindings_by_relation", _("Bindings by relationship and status"),
                            _("How many bindings there are today for each relationship, by status."),
                            [_("Relationship"), *statuses, _("Total")], by_relation))
        tables.append(Table("bindings_by_region", _("Bindings by region and status"),
                            _("How many bindings there are today in each pooling region (the authorizer's), by "
                              "status."), [_("Pooling region"), *statuses, _("Total")], by_region))
    if key in (None, "bindings_per_month"):
        rows = selectors.bindings_per_month(regions, start, end)
        chart = bar_chart("bindings_per_month", _("New bindings and endings per month"),
                          _("Bar chart: for each month, bindings signed (first bar) and bindings ended (second "
                            "bar); the same figures are in the table below."), months,
                          [(_("New"), [r[1] for r in rows]), (_("Ended"), [r[2] for r in rows])])
        tables.append(Table("bindings_per_month", _("New bindings and endings per month"),
                            _("Bindings signed and bindings ended in each month."),
                            [_("Month"), _("New"), _("Ended")], rows, chart))
    if key in (None, "money_shared"):
        rows = selectors.money_shared(regions, start, end)
        totals = {m: sum((r[4] for r in rows if r[0] == m), start=selectors.ZERO) for m in months}
        chart = bar_chart("money_shared", _("Money shared per month"),
                          _("Bar chart of the net amount paid from authorizers' accounts for family members in each "
                            "month; the table below gives each flow from the authorizer's region to the member's."),
                          months, [(_("Net amount (yuan)"), [totals[m] for m in months])])
        tables.append(Table("money_shared", _("Money shared per month, authorizer's region → member's region"),
                            _("Net amounts (payments less refunds) paid from authorizers' accounts for members, per "
                              "month and flow; a flow between provinces is what they clear with each other."),
                            [_("Month"), _("Authorizer's region"), _("Member's region"), _("Payments"),
                             _("Net amount (yuan)")], rows, chart, numeric_from=3))
    if key in (None, "settlements_per_month"):
        rows = selectors.settlements_per_month(regions, start, end)
        chart = bar_chart("settlements_per_month", _("Settlements and refunds per month"),
                          _("Bar chart: for each month, the amount settled (first bar) and the amount refunded "
                            "(second bar), in yuan; the same figures are in the table below."), months,
                          [(_("Settled (yuan)"), [r[2] for r in rows]), (_("Refunded (yuan)"), [r[5] for r in rows])])
        tables.append(Table("settlements_per_month", _("Settlements and refunds per month"),
                            _("Settlements at institutions in scope, and their refunds, per month."),
                            [_("Month"), _("Settlements"), _("Amount (yuan)"), _("From shared accounts (yuan)"),
                             _("Refunds"), _("Refunded (yuan)")], rows, chart))
    cube = selectors.refusal_cube(regions, start, end) if key in (None, "top_refusals", "refusals_per_month") else []
    if key in (None, "top_refusals"):
        channels = [c.label for c in RefusalEntry.Channel]
        rows = [[row[0], reason_text(row[0]), *row[1:]] for row in selectors.top_refusals(cube)]
        tables.append(Table("top_refusals", _("Top refusal reasons and their channels"),
                            _("The most frequent reason codes over the period, counted per channel."),
                            [_("Reason code"), _("What it means"), *channels, _("Total")], rows, numeric_from=2))
    if key in (None, "refusals_per_month"):
        totals = selectors.refusal_totals_per_month(cube)
        chart = bar_chart("refusals_per_month", _("Refusals per month"),
                          _("Bar chart of the number of refusal reasons recorded in each month, all channels; the "
                            "table below lists the top reason codes per month."), months,
                          [(_("Refusal reasons"), [totals.get(m, 0) for m in months])])
        tables.append(Table("refusals_per_month", _("Top refusal reasons per month"),
                            _("For each month, how often each of the period's top reason codes was given."),
                            [_("Month"), _("Reason code"), _("Count")],
                            selectors.refusals_per_month(cube), chart, numeric_from=2))
    if key in (None, "premiums_per_month"):
        tables.append(Table("premiums_per_month", _("Premiums paid from personal accounts per month"),
                            _("Resident-insurance and long-term-care premiums paid from personal accounts, per month "
                              "and kind, in the pooling region of the premium."),
                            [_("Month"), _("Premium"), _("Payments"), _("Amount (yuan)")],
                            selectors.premiums_per_month(regions, start, end), numeric_from=2))
    return tables
