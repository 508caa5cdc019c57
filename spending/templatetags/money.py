import html
import uuid
from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils import formats
from django.utils.safestring import mark_safe

from core.compiled import compiled
from core.texts import choice_labels, minute_texter, money_text
from settlement.models import Payment

register = template.Library()

_PERSON = uuid.UUID("0e0e0e0e-5e1e-4c70-8a11-000000000002")  # placeholder (core.compiled); no person has it
OWN_SHOWN = 5


def _escape(value) -> str:
    """What `{{ value }}` does to a value (django.utils.html.conditional_escape), without the lazy-string wrapper
    that Django's `escape` puts around every call (a page's 550 calls cost ~1 ms)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def own_payments_query(person_id, limit: int = OWN_SHOWN):
    # `>= x AND <= x` and ORDER BY payer_id, -id (as spending.selectors.page_statement): only the payer index gives
    # that order. With `= x … ORDER BY id DESC` the prepared statement's generic plan walked the primary key backwards
    # through every payment of everybody (30,000 rows, 8 ms, for the 10,000-payment authorizer's one own payment).
    return (Payment.objects.filter(payer__gte=person_id, payer__lte=person_id, source=Payment.Source.OWN)
            .order_by("payer_id", "-id").values_list(*OWN_FIELDS)[:limit])


OWN_FIELDS = ("created_at", "institution__name", "category", "amount", "refunded")
_own_payments = compiled(own_payments_query, person_id=_PERSON)


@dataclass(slots=True)
class OwnPayment:
    """A row of "My own spending": what the table shows, read as values (core.texts)."""

    when: str
    institution_name: str
    category_label: str
    amount_text: str
    refunded_text: str


@register.inclusion_tag("spending/partials/own_spending.html")
def own_spending(person):
    """The person's latest own-account payments, for "My insurance" (one query, compiled once per process)."""
    if not person:
        return {"rows": []}
    categories, money = choice_labels(Payment._meta.get_field("category").choices), money_text()
    minute_text = minute_texter()
    return {"rows": [OwnPayment(minute_text(created_at), institution, categories.get(category, category),
                                money(amount), money(refunded) if refunded else "—")
                     for created_at, institution, category, amount, refunded in _own_payments(person_id=person.pk)]}


_ROW = ('\n    <tr>\n      <td data-label="{l_date}">{when}</td>\n      <td data-label="{l_who}">{who_name}</td>\n'
        '      <td data-label="{l_institution}">{institution_name}</td>\n'
        '      <td data-label="{l_category}">{category_label}</td>\n'
        '      <td data-label="{l_source}" data-source="{source}">{source_label}</td>\n'
        '      <td class="text-end money" data-label="{l_amount}">{amount_text}</td>\n'
        '      <td class="text-end money" data-label="{l_refunded}">{refunded_text}</td>\n    </tr>\n  ')
_ROW_VALUES = ("when", "who_name", "institution_name", "category_label", "source", "source_label", "amount_text",
               "refunded_text")
_LABELS = ("l_date", "l_who", "l_institution", "l_category", "l_source", "l_amount", "l_refunded")
# The row with one `%s` per value, in _ROW_VALUES' order; its only braces are the labels' (filled in per call).
_ROW_PERCENT = _ROW.replace("%", "%%")
for _name in _ROW_VALUES:
    _ROW_PERCENT = _ROW_PERCENT.replace("{" + _name + "}", "%s")
_SEPARATOR = "\x00"  # html.escape leaves it alone; PostgreSQL text never holds it (checked anyway)


def _escape_all(values: list) -> list[str]:
    """`[_escape(value) for value in values]` with one html.escape over all of them joined: the 400 values of a full
    table cost 400 calls of five str.replace each otherwise. Per value when one is safe HTML or holds the separator."""
    if values and {*map(type, values)} == {str}:  # every value plain text (not safe HTML, not a number)
        joined = _SEPARATOR.join(values)
        if joined.count(_SEPARATOR) == len(values) - 1:
            return html.escape(joined).split(_SEPARATOR)
    return [_escape(value) for value in values]


@register.simple_tag
def payment_rows(rows, l_date, l_who, l_institution, l_category, l_source, l_amount, l_refunded):
    """The payments table's rows (spending.selectors.PaymentRow), exactly as the loop
    `{% for payment in rows %}<tr><td data-label="{{ l_date }}">{{ payment.when }}</td>…{% endfor %}` rendered them,
    built in Python: on a full page those 50 × 15 template variables were most of its time. Every value is escaped
    as `{{ }}` would; spending/tests/test_reads.py compares the two."""
    row = _ROW_PERCENT.format(**{  # one pass: a label's own text is never read as a placeholder
        name: _escape(label).replace("%", "%%") for name, label in zip(
            _LABELS, (l_date, l_who, l_institution, l_category, l_source, l_amount, l_refunded), strict=True)})
    values = _escape_all([payment[name] for payment in rows for name in _ROW_VALUES])
    return mark_safe((row * len(rows)) % tuple(values))  # every value is escaped, above or here


_BAR = ('\n    <g>\n      <rect x="{x}" y="{y}" width="{width}" height="{height}" fill="#0b4f9c" class="bar"><title>{month}'
        ' ¥{amount}</title></rect>\n'
        '      <text x="{label_x}" y="{amount_y}" text-anchor="middle" font-size="12" fill="#1b1f23">{amount}</text>\n'
        '      <text x="{label_x}" y="{month_y}" text-anchor="middle" font-size="12" fill="#1b1f23">{month}</text>\n'
        '    </g>\n    ')
_MONTH_ROW = '<tr><td>{month}</td><td class="text-end money">{amount}</td></tr>'


def _number_text():
    """What `{{ n }}` shows for an int (the chart's coordinates)."""
    return formats.localize if settings.USE_THOUSAND_SEPARATOR else str


@register.simple_tag
def chart_bars(bars, bottom):
    """The chart's bars (spending.selectors.Bar), exactly as the loop `{% for bar in bars %}<g><rect x="{{ bar.x }}"
    …{% endfor %}` of spending/partials/chart.html rendered them (12 bars × 12 values, each int localized by the
    template engine, were most of the chart's time); spending/tests/test_reads.py compares the two."""
    number, money = _number_text(), money_text()
    return mark_safe("".join(_BAR.format(  # every value is a number or escaped
        x=number(bar.x), y=number(bar.y), width=number(bar.width), height=number(bar.height),
        month=_escape(bar.month), amount=_escape(money(bar.amount)),
        label_x=number(bar.label_x), amount_y=number(bar.y - 4), month_y=number(bottom + 18)) for bar in bars))


@register.simple_tag
def chart_months(series):
    """The rows of the chart's data table, as `{% for month, amount in series %}<tr>…{% endfor %}` rendered them."""
    money = money_text()
    return mark_safe("".join(_MONTH_ROW.format(month=_escape(month), amount=_escape(money(amount)))
                             for month, amount in series))
