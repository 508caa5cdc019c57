"""Spending details (支出明细): what the authorizer's account paid for each family member, and the
member's view of what each authorizer paid for them. Citizens only; nobody sees another's payments."""

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.csv_export import RowWriter
from core.decorators import citizen_required
from sharing import selectors as sharing_selectors
from spending import reads, selectors
from spending.forms import FirstShown, SpendingFilterForm


def _filters(request, *, people, who_label=None):
    """(form, who, period); the form has errors when the filters are invalid: then nothing may be listed
    (an unfiltered list would look like the answer to the filter)."""
    form = SpendingFilterForm(request.GET or None, people=people, who_label=who_label)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["who"] or None, form.cleaned_data.get("period")
    return form, None, None


def _invalid(form) -> bool:
    return form.is_bound and not form.is_valid()


def _grand_total(totals: list[dict]) -> dict | None:
    if not totals:
        return None
    return {key: sum(row[key] for row in totals) for key in ("paid", "refunded", "net", "count")}


def _cursor(request) -> int | None:
    value = request.GET.get("before", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def _as_choices(people) -> list[tuple[str, str]]:
    """(id, name) pairs as the filter form's choices (the id as text)."""
    return [(str(pk), name) for pk, name in people]


def _members_of(person) -> list[tuple[str, str]]:
    """Everyone this person has ever bound (ended bindings too: their payments stay in the records)."""
    return _as_choices(sharing_selectors.members_ever_bound_names(person))


def _authorizers_of(person) -> list[tuple[str, str]]:
    return _as_choices(sharing_selectors.authorizers_ever_names(person))


@citizen_required
@require_GET
def spending(request):
    person = request.user.person
    # Every read is compiled once per process (spending.reads), filtered or not.
    if not request.GET:  # as first opened: the people of the filter, the totals, the chart and the page in one statement
        people, totals, series, (rows, next_cursor) = reads.first_shown("payer", person, "member")
        people = _as_choices(people)
        form, who, period = FirstShown(people=people), None, None
    else:
        people = _members_of(person)
        form, who, period = _filters(request, people=people)
        if _invalid(form):
            return render(request, "spending/spending.html", {"form": form, "invalid": True, "person": person})
        filters = {"counterpart_id": who, "period": period}
        rows, next_cursor = reads.page("payer", person, before=_cursor(request), names=dict(people), **filters)
        totals, series = reads.totals_and_monthly("payer", person, "member", **filters)
    return render(request, "spending/spending.html", {
        "form": form, "rows": rows, "next_cursor": next_cursor, "totals": totals, "grand_total": _grand_total(totals),
        "series": series, "bars": selectors.chart_bars(series), "chart": _chart_size(),
        "query": _query_without_cursor(request), "filtered": bool(who or period), "period": period,
        "person": person, "who_name": dict(people).get(who),
    })


@citizen_required
@require_GET
def spending_csv(request):
    person = request.user.person
    form, who, period = _filters(request, people=_members_of(person))
    if _invalid(form):
        # Never the unfiltered list under a filter that was not understood.
        errors = [str(error) for errors in form.errors.values() for error in errors]
        return HttpResponseBadRequest("\n".join(errors) + "\n", content_type="text/plain; charset=utf-8")
    qs = selectors.payments(payer=person, source=selectors.SHARING, counterpart_id=who, period=period)
    filename = f"spending-{timezone.localdate():%Y%m%d}.csv"
    response = StreamingHttpResponse(_csv_rows(qs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@citizen_required
@require_GET
def paid_for_me(request):
    person = request.user.person
    if not request.GET:  # as first opened: the people of the filter, the totals and the page in one statement
        people, totals, _series, (rows, next_cursor) = reads.first_shown("member", person, "payer", monthly=False)
        people = _as_choices(people)
        form, who, period = FirstShown(people=people, who_label=_("Authorizer")), None, None
    else:
        people = _authorizers_of(person)
        form, who, period = _filters(request, people=people, who_label=_("Authorizer"))
        if _invalid(form):
            return render(request, "spending/paid_for_me.html", {"form": form, "invalid": True, "person": person})
        filters = {"counterpart_id": who, "period": period}
        rows, next_cursor = reads.page("member", person, who="payer", before=_cursor(request), names=dict(people),
                                       **filters)
        totals = reads.totals("member", person, "payer", **filters)
    return render(request, "spending/paid_for_me.html", {
        "form": form, "rows": rows, "next_cursor": next_cursor, "totals": totals, "grand_total": _grand_total(totals),
        "query": _query_without_cursor(request), "filtered": bool(who or period), "period": period,
        "person": person, "who_name": dict(people).get(who),
    })


def _csv_rows(qs):
    writer = RowWriter()
    # The BOM lets Excel open UTF-8 with Chinese names correctly.
    yield "\ufeff" + writer.writerow([_("Date"), _("Family member"), _("Institution"), _("Category"),
                                      _("Amount (yuan)"), _("Refunded (yuan)"), _("Net (yuan)"), _("Paid from")])
    for payment in qs.select_related("member", "institution").iterator(chunk_size=2000):
        yield writer.writerow([
            timezone.localtime(payment.created_at).strftime("%Y-%m-%d %H:%M"), payment.member.name,
            payment.institution.name, payment.get_category_display(), f"{payment.amount:.2f}",
            f"{payment.refunded:.2f}", f"{payment.net:.2f}", payment.get_source_display(),
        ])


def _chart_size() -> dict:
    return {"width": selectors.CHART_WIDTH, "height": selectors.CHART_HEIGHT, "bottom": selectors.CHART_BOTTOM,
            "left": selectors.CHART_LEFT, "right": selectors.CHART_WIDTH - selectors.CHART_LEFT}


def _query_without_cursor(request) -> str:
    query = request.GET.copy()
    query.pop("before", None)
    return query.urlencode()


