from crispy_forms.layout import Div, Layout
from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from core.forms import PortalForm
from spending.selectors import Period

FIRST_YEAR = 2021  # family sharing of the personal account began nationally in 2021


class SpendingFilterForm(PortalForm):
    """GET filters of the spending pages: whom (member or authorizer) and when (a whole year or one month),
    chosen from lists (no typing, no JavaScript). A `period=2026` or `period=2026-05` in the address (older
    links) is still understood."""

    who = forms.ChoiceField(label=_("Family member"), required=False)
    year = forms.ChoiceField(label=_("Year"), required=False)
    month = forms.ChoiceField(label=_("Month"), required=False,
                              help_text=_("Leave “Whole year” to see the whole year."))

    def __init__(self, *args, people: list[tuple[str, str]], who_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].choices = [("", _("All"))] + people
        this_year = timezone.localdate().year
        self.fields["year"].choices = [("", _("All years"))] + [
            (str(year), str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)]
        self.fields["month"].choices = [("", _("Whole year"))] + [
            (f"{number:02d}", name) for number, name in MONTHS.items()]
        if who_label:
            self.fields["who"].label = who_label
        self.helper.form_method = "get"
        self.helper.layout = Layout(Div("who", "year", "month", css_class="filter-fields"))
        legacy = (self.data.get("period") or "").strip() if self.is_bound else ""
        self.legacy_period = Period.parse(legacy) if legacy else None
        self.legacy_invalid = bool(legacy) and self.legacy_period is None
        if self.legacy_period and not self.data.get("year"):
            # Show the period of an older link in the lists.
            self.data = self.data.copy()
            self.data["year"] = legacy[:4]
            self.data["month"] = legacy[5:7]
            if legacy[:4] not in dict(self.fields["year"].choices):
                self.fields["year"].choices.append((legacy[:4], legacy[:4]))

    def clean(self):
        data = super().clean()
        year, month = data.get("year"), data.get("month")
        if self.legacy_invalid and not year:
            self.add_error("year", forms.ValidationError(
                _("Enter a year or a month, for example 2026 or 2026-05."), code="period"))
            return data
        if month and not year:
            self.add_error("year", forms.ValidationError(_("Choose the year of that month."), code="period_year"))
            return data
        data["period"] = Period.parse(f"{year}-{month}" if month else year) if year else None
        return data
