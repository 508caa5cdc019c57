import csv

from django.contrib import admin
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.admin_scope import limit_to_scope
from core.csv_export import safe_cell
from core.decorators import official_required
from officials import tables as statistics_tables
from officials.forms import StatisticsFilterForm
from officials.summary import refreshed_at
from registry.models import PoolingRegion


def _scope(request):
    """(the form, the region codes to count — None for all — or False when the filter is invalid)."""
    in_scope = limit_to_scope(request.user, PoolingRegion.objects.order_by("code"))
    unscoped = request.user.is_superuser or not (request.user.scope_region_id or request.user.scope_province_id)
    form = StatisticsFilterForm(request.GET or None, regions=[(r.code, str(r)) for r in in_scope])
    if not form.is_valid():
        return form, False
    if form.cleaned_data["region"]:
        return form, [form.cleaned_data["region"]]
    return form, None if unscoped else list(in_scope.values_list("code", flat=True))


@official_required
@require_GET
def statistics(request):
    form, regions = _scope(request)
    context = {**admin.site.each_context(request), "title": _("Statistics"), "form": form,
               "query": request.GET.urlencode(), "refreshed_at": refreshed_at()}
    if regions is not False:
        context["tables"] = statistics_tables.build(None, regions, form.cleaned_data["start"],
                                                    form.cleaned_data["end"])
    return render(request, "officials/statistics.html", context)


@official_required
@require_GET
def statistics_csv(request, key):
    if key not in statistics_tables.TABLE_KEYS:
        raise Http404
    form, regions = _scope(request)
    if regions is False:
        return HttpResponse(_("Invalid filter."), status=400, content_type="text/plain; charset=utf-8")
    table = next(t for t in statistics_tables.build(key, regions, form.cleaned_data["start"],
                                                    form.cleaned_data["end"]) if t.key == key)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{key}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with Chinese correctly
    writer = csv.writer(response)
    writer.writerow([safe_cell(c) for c in table.headers])
    for row in table.rows:
        writer.writerow([safe_cell(c) for c in row])
    return response
