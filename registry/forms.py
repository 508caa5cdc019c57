"""Form fields of the registry's own data, used by every floor above it."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry import idnumber


class IdNumberField(forms.CharField):
    default_error_messages = {"required": _("Enter the resident ID number.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Resident ID number"))
        kwargs.setdefault("help_text", _("18 characters as on the ID card, for example 32030219850315001X (the last may be X)."))
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false", "inputmode": "text"})

    def clean(self, value):
        value = super().clean(value)
        return idnumber.parse(value).number if value else value


class RelationsField(forms.MultipleChoiceField):
    """Allowed relationships as check boxes with their names (父母, 配偶, …), never typed codes; only the
    relationships a policy may allow at all are offered (no parents-in-law, no "other")."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, empty_value=None, **kwargs):
        from registry.models import SHAREABLE_RELATIONS

        kwargs.pop("max_length", None)
        kwargs.pop("base_field", None)
        self.empty_value = empty_value
        super().__init__(choices=[(r.value, r.label) for r in SHAREABLE_RELATIONS], **kwargs)

    def to_python(self, value):
        return [v for v in super().to_python(value) if v]  # an empty value posted means none ticked

    def clean(self, value):
        value = super().clean(value)
        return value if value else self.empty_value


def validate_publication_date(effective_from: datetime.date) -> None:
    """A new policy version takes effect tomorrow at the earliest: what is in force today is history."""
    if effective_from <= timezone.localdate():
        raise forms.ValidationError(
            _("A new version takes effect from tomorrow on; a version in force (or back-dated) cannot be "
              "published. Choose %(date)s or later.") % {"date": timezone.localdate() + datetime.timedelta(days=1)},
            code="back_dated",
        )
