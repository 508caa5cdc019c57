from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from accounts import reasons
from accounts.services import registration_match
from accounts.throttle import registration_attempt_allowed
from core.forms import MobileField, PortalForm
from core.reasons import Refused
from registry.forms import IdNumberField


class RegistrationForm(PortalForm):
    name = forms.CharField(
        label=_("Real name"), max_length=50,
        help_text=_("Exactly as on your ID card, for example 张伟."),
        error_messages={"required": _("Enter your real name.")},
    )
    certno = IdNumberField()
    mobile = MobileField()

    def __init__(self, *args, client_address: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.person = None
        self.client_address = client_address

    def clean(self):
        data = super().clean()
        if not self.errors and not registration_attempt_allowed(address=self.client_address, certno=data["certno"]):
            self.add_error(None, reasons.REGISTRATION_THROTTLED.as_validation_error())
        if not self.errors:
            try:
                self.person = registration_match(name=data["name"], certno=data["certno"], mobile=data["mobile"])
            except Refused as refused:
                field = "mobile" if refused.reason.code.startswith("MOBILE_") else (
                    "name" if refused.reason.code == "NAME_MISMATCH" else "certno")
                self.add_error(field, refused.reason.as_validation_error())
        return data


class SetPasswordMixin(forms.Form):
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not like your ID number."),
        error_messages={"required": _("Choose a password.")},
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Type the same password again."),
        error_messages={"required": _("Type the password again.")},
    )
    user_for_similarity = None

    def clean_password1(self):
        """What is wrong with the chosen password sits on the password field itself."""
        p1 = self.cleaned_data.get("password1")
        if p1:
            password_validation.validate_password(p1, self.user_for_similarity)
        return p1

    def clean_password2(self):
        p1, p2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if p1 and p2 and p1 != p2:
            raise forms.ValidationError(_("The two passwords are not the same."), code="password_mismatch")
        return p2


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("SMS code"), max_length=6, min_length=6,
            help_text=_("The 6 digits in the SMS we just sent, for example 042137."),
            error_messages={"required": _("Enter the code from the SMS."),
                            "min_length": _("The code has 6 digits.")},
            **kwargs,
        )
        self.widget.attrs.update({"autocomplete": "one-time-code", "inputmode": "numeric"})


class VerifyRegistrationForm(SetPasswordMixin, PortalForm):
    code = CodeField()
    field_order = ["code", "password1", "password2"]


class PasswordResetStartForm(PortalForm):
    identifier = forms.CharField(
        label=_("ID number or mobile number"), max_length=30,
        help_text=_("The one you log in with, for example 32030219850315001X or 13912345678."),
        error_messages={"required": _("Enter your ID number or mobile number.")},
    )


class PasswordResetVerifyForm(SetPasswordMixin, PortalForm):
    code = CodeField()
    field_order = ["code", "password1", "password2"]


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("ID number or mobile number"), max_length=30,
        help_text=_("For example 32030219850315001X or 13912345678. Staff use their username."),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": lazy(reasons.LOGIN_FAILED.text, str)(),
        "inactive": lazy(reasons.ACCOUNT_DISABLED.text, str)(),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from crispy_forms.helper import FormHelper

        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.fields["password"].help_text = ""
        self.fields["password"].error_messages["required"] = _("Enter your password.")
        self.fields["username"].error_messages["required"] = _("Enter your ID number or mobile number.")

    def clean(self):
        """A wrong password is said on the password field (the message still does not tell which of the two was
        wrong); a disabled account stays a message about the whole form."""
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code != "invalid_login":
                raise
            self.add_error("password", error)
            return self.cleaned_data


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, except that what is wrong with the new password sits on the new password field (Django puts
    it on the field that repeats it)."""

    def validate_password_for_user(self, user, password_field_name="new_password2"):
        super().validate_password_for_user(
            user, "new_password1" if password_field_name == "new_password2" else password_field_name)
