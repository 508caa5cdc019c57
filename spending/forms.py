from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalForm
from spending.selectors import Period


class SpendingFilterForm(PortalForm):
    """GET filters of the spending pages: whom (member or authorizer) and when (a year or a month)."""

    who = forms.ChoiceField(label=_("Family member"), required=False)
    period = forms.CharField(
        label=_("Period"), required=False, max_length=7,
        help_text=_("A year or a month, for example 2026 or 2026-05. Leave empty for all."),
    )

    def __init__(self, *args, people: list[tuple[str, str]], who_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].choices = [("", _("All"))] + people
        if who_label:
            self.fields["who"].label = who_label
        self.helper.form_method = "get"

    def clean_period(self):
        value = self.cleaned_data["period"].strip()
        if not value:
            return None
        period = Period.parse(value)
        if period is None:
            raise forms.ValidationError(_("Enter a year or a month, for example 2026 or 2026-05."), code="period")
        return period
