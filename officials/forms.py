import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
MAX_MONTHS = 60


def _first_of(label: str) -> datetime.date:
    return datetime.date(int(label[:4]), int(label[5:7]), 1)


def default_range() -> tuple[str, str]:
    today = timezone.localdate()
    start = (today.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
    return start.strftime("%Y-%m"), today.strftime("%Y-%m")


class StatisticsFilterForm(forms.Form):
    """The month range (at most five years) and, within the official's scope, one pooling region or all."""

    month_from = forms.RegexField(MONTH, label=_("From month"), help_text=_("For example 2026-01."),
                                  error_messages={"invalid": _("Enter a month as YYYY-MM, for example 2026-01.")})
    month_to = forms.RegexField(MONTH, label=_("To month (included)"), help_text=_("For example 2026-12."),
                                error_messages={"invalid": _("Enter a month as YYYY-MM, for example 2026-12.")})
    region = forms.ChoiceField(label=_("Pooling region"), required=False)

    def __init__(self, data=None, *, regions: list[tuple[str, str]]):
        start, end = default_range()
        data = data.copy() if data else {}
        data.setdefault("month_from", start)
        data.setdefault("month_to", end)
        super().__init__(data)
        self.fields["region"].choices = [("", _("All regions in my scope")), *regions]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        first, last = _first_of(cleaned["month_from"]), _first_of(cleaned["month_to"])
        if last < first:
            raise forms.ValidationError(_("The first month comes after the last."), code="order")
        if (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS:
            raise forms.ValidationError(_("Choose at most 60 months."), code="too_long")
        cleaned["start"] = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
        after = (last + datetime.timedelta(days=32)).replace(day=1)
        cleaned["end"] = timezone.make_aware(datetime.datetime.combine(after, datetime.time()))
        return cleaned
