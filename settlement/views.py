"""Spending details (支出明细): what the authorizer's account paid for each family member, and the
member's view of what each authorizer paid for them. Citizens only; nobody sees another's payments."""

import csv

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import citizen_required
from settlement import selectors
from settlement.forms import SpendingFilterForm
from settlement.models import Payment
from sharing.models import Binding


def _filters(request, *, people, who_label=None):
    form = SpendingFilterForm(request.GET or None, people=people, who_label=who_label)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["who"] or None, form.cleaned_data["period"]
    return form, None, None


def _cursor(request) -> int | None:
    value = request.GET.get("before", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def _members_of(person) -> list[tuple[str, str]]:
    """Everyone this person has ever bound (ended bindings too: their payments stay in the records)."""
    seen = {}
    for member_id, name in (Binding.objects.filter(authorizer=person).order_by("created_at")
                            .values_list("member_id", "member__name")):
        seen.setdefault(str(member_id), name)
    return list(seen.items())


def _authorizers_of(person) -> list[tuple[str, str]]:
    seen = {}
    for authorizer_id, name in (Binding.objects.filter(member=person).order_by("created_at")
                                .values_list("authorizer_id", "authorizer__name")):
        seen.setdefault(str(authorizer_id), name)
    return list(seen.items())


@citizen_required
@require_GET
def spending(request):
    person = request.user.person
    form, who, period = _filters(request, people=_members_of(person))
    qs = selectors.payments(payer=person, source=Payment.Source.SHARED, counterpart_id=who, period=period)
    rows, next_cursor = selectors.page(qs, before=_cursor(request))
    series = selectors.monthly(qs)
    return render(request, "settlement/spending.html", {
        "form": form, "rows": rows, "next_cursor": next_cursor, "totals": selectors.totals_by(qs, "member"),
        "series": series, "bars": selectors.chart_bars(series), "chart": _chart_size(),
        "query": _query_without_cursor(request),
    })


@citizen_required
@require_GET
def spending_csv(request):
    person = request.user.person
    _form, who, period = _filters(request, people=_members_of(person))
    qs = selectors.payments(payer=person, source=Payment.Source.SHARED, counterpart_id=who, period=period)
    filename = f"spending-{timezone.localdate():%Y%m%d}.csv"
    response = StreamingHttpResponse(_csv_rows(qs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@citizen_required
@require_GET
def paid_for_me(request):
    person = request.user.person
    form, who, period = _filters(request, people=_authorizers_of(person), who_label=_("Authorizer"))
    qs = selectors.payments(member=person, source=Payment.Source.SHARED, counterpart_id=who, period=period)
    rows, next_cursor = selectors.page(qs, before=_cursor(request))
    return render(request, "settlement/paid_for_me.html", {
        "form": form, "rows": rows, "next_cursor": next_cursor, "totals": selectors.totals_by(qs, "payer"),
        "query": _query_without_cursor(request),
    })


class _Echo:
    def write(self, value):
        return value


def _csv_rows(qs):
    writer = csv.writer(_Echo())
    # The BOM lets Excel open UTF-8 with Chinese names correctly.
    yield "\ufeff" + writer.writerow([_("Date"), _("Family member"), _("Institution"), _("Category"),
                                      _("Amount (yuan)"), _("Refunded (yuan)"), _("Net (yuan)")])
    for payment in qs.select_related("member", "institution").iterator(chunk_size=2000):
        yield writer.writerow([
            timezone.localtime(payment.created_at).strftime("%Y-%m-%d %H:%M"), payment.member.name,
            payment.institution.name, payment.get_category_display(), f"{payment.amount:.2f}",
            f"{payment.refunded:.2f}", f"{payment.net:.2f}",
        ])


def _chart_size() -> dict:
    return {"width": selectors.CHART_WIDTH, "height": selectors.CHART_HEIGHT, "bottom": selectors.CHART_BOTTOM,
            "left": selectors.CHART_LEFT, "right": selectors.CHART_WIDTH - selectors.CHART_LEFT}


def _query_without_cursor(request) -> str:
    query = request.GET.copy()
    query.pop("before", None)
    return query.urlencode()


