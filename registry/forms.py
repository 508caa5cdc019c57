"""Form fields of the registry's own data, used by every floor above it."""

from django import forms
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
