"""Project-wide form conventions: crispy layout, hints with examples, error summary."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

mobile_validator = RegexValidator(
    r"^1[3-9]\d{9}$", _("Enter an 11-digit mainland mobile number, for example 13912345678."), code="mobile_format"
)


class PortalForm(forms.Form):
    """Forms render their own fields through crispy; the template supplies <form> and the button.

    Every error reads as a sentence on its own (the error summary shows the message, not "label：message"): a
    required field without a message of its own gets one that names its question."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.required and field.error_messages.get("required") is forms.Field.default_error_messages["required"]:
                choosing = isinstance(field.widget, (forms.RadioSelect, forms.Select, forms.CheckboxInput))
                field.error_messages["required"] = (
                    _("Answer the question “%(label)s”.") if choosing else _("Fill in “%(label)s”.")
                ) % {"label": str(field.label).rstrip("?？:： ")}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class MobileField(forms.CharField):
    default_error_messages = {"required": _("Enter your mobile number.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("help_text", _("11 digits, for example 13912345678. We send a code to it."))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("validators", [mobile_validator])
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "tel", "inputmode": "numeric"})

    def to_python(self, value):
        return "".join(str(value or "").split()).removeprefix("+86")
