from functools import lru_cache

from crispy_forms.layout import Div, Layout
from django import forms
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from core.forms import PortalForm
from spending.selectors import Period

FIRST_YEAR = 2021  # family sharing of the personal account began nationally in 2021
_LAYOUT = Layout(Div("who", "year", "month", css_class="filter-fields"))  # read, never changed, by each form


@lru_cache(maxsize=32)
def _choices(language: str, this_year: int) -> tuple[tuple, tuple, tuple]:
    """The fixed choices (first line of the people list, years, months) as text in `language`, the active one: built
    and translated once per language and year instead of at every page (and each label's text read again when the
    rendered form is looked up in its cache). The fields copy them (ChoiceField.choices)."""
    return ((("", str(_("All"))),),
            (("", str(_("All years"))),) + tuple((str(year), str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)),
            (("", str(_("Whole year"))),) + tuple((f"{number:02d}", str(name)) for number, name in MONTHS.items()))


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
        everyone, years, months = _choices(translation.get_language(), timezone.localdate().year)
        self.fields["who"].choices = everyone + tuple(people)
        self.fields["year"].choices = years
        self.fields["month"].choices = months
        if who_label:
            self.fields["who"].label = who_label
        self.helper.form_method = "get"
        self.helper.layout = _LAYOUT
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


class FirstShown:
    """The filter form as a page first shows it (nothing in the address), built only when its rendering is not
    remembered yet (core.templatetags.render_once.crispy_cached): building a form copies its fields and lists for
    every page, and only the first visit in a language, year and people list needs that. Unbound: no data, no errors."""

    is_bound = False
    errors: dict = {}

    def __init__(self, *, people: list[tuple[str, str]], who_label=None):
        self._people, self._who_label = people, who_label

    def render_key(self) -> tuple:
        """What the rendering depends on: the language, this year (the years list), the people list, the label."""
        return (translation.get_language(), timezone.localdate().year, tuple(self._people),
                str(self._who_label or ""))

    def form(self) -> SpendingFilterForm:
        return SpendingFilterForm(None, people=self._people, who_label=self._who_label)
