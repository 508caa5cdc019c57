

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import reasons as account_reasons
from accounts.throttle import person_lookup_allowed
from core.forms import PortalForm
from registry import idnumber
from registry.forms import IdNumberField
from registry.models import Relation
from sharing.eligibility.binding import MAX_VALID_YEARS, latest_end, latest_start
from sharing.models import Binding
from sharing.signature import signature_from_data_url

# The relationships a citizen may name, in the order shown. The wizard offers only those the policy in force
# allows (RelationForm(allowed=...)) and names the others with the reason they are not offered.
RELATION_CHOICES = [(r.value, r.label) for r in (
    Relation.CHILD, Relation.PARENT, Relation.SPOUSE, Relation.SIBLING, Relation.GRANDPARENT, Relation.GRANDCHILD,
    Relation.PARENT_IN_LAW)]


class RelationForm(PortalForm):
    relation = forms.ChoiceField(
        label=_("What is the family member to you?"), choices=RELATION_CHOICES, widget=forms.RadioSelect,
        help_text=_("For example, choose “Child” to let your account pay for your son or daughter."),
        error_messages={"required": _("Choose the family member's relationship to you."),
                        "invalid_choice": _("Choose one of the relationships offered: the policy in force does not "
                                            "allow the others.")},
    )

    def __init__(self, *args, offered=None, **kwargs):
        """`offered`: the relationships the engine allows under the policy in force; only these are shown (the others
        are named in `not_offered`). Any known relationship is accepted, so that one the policy refuses, posted all
        the same, is refused by the engine with its own explanation."""
        super().__init__(*args, **kwargs)
        if offered is not None:
            self.fields["relation"].widget.choices = [(v, label) for v, label in RELATION_CHOICES if v in offered]
        shown = {v for v, _label in self.fields["relation"].widget.choices}
        self.not_offered = [label for v, label in RELATION_CHOICES if v not in shown]


class MemberForm(PortalForm):
    name = forms.CharField(
        label=_("Family member's full name"), max_length=50,
        help_text=_("As on their ID card or household register, for example 王小川."),
        error_messages={"required": _("Enter the family member's full name.")},
    )
    certno = IdNumberField(label=_("Family member's resident ID number"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["name"].widget.attrs.update({"autocomplete": "off"})

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean(self):
        data = super().clean()
        # Each check tells whether a name and an ID number belong together: a few a day per citizen.
        if not self.errors and self.user is not None and not person_lookup_allowed(self.user):
            raise account_reasons.LOOKUP_THROTTLED.as_validation_error()
        return data


class DatesForm(PortalForm):
    valid_from = forms.DateField(
        label=_("Valid from"), help_text=_("Today or later, for example 2026-12-01."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter the date the binding starts."),
                        "invalid": _("Enter a real date, for example 2026-12-01.")},
    )
    valid_until = forms.DateField(
        label=_("Valid until (optional)"), required=False,
        help_text=_("Leave empty for no end date, for example 2027-12-31."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a real date, for example 2027-12-31.")},
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        today = timezone.localdate()
        if start and start < today:
            self.add_error("valid_from", _("The start date must be today or later."))
        elif start and start > latest_start(today):
            self.add_error("valid_from", _("The start date must be within one year from today, so by %(latest)s.")
                           % {"latest": latest_start(today).isoformat()})
        if start and end and end <= start:
            self.add_error("valid_until", _("The end date must be after the start date."))
        elif start and end and end > latest_end(start):
            self.add_error("valid_until", _("A binding can be valid for at most %(years)s years: choose an end date "
                                            "by %(latest)s, or leave it empty for no end date.")
                           % {"years": MAX_VALID_YEARS, "latest": latest_end(start).isoformat()})
        return data


class LetterForm(PortalForm):
    read = forms.BooleanField(
        label=_("I have read the commitment letter and confirm that everything in it is true"),
        error_messages={"required": _("Confirm that you have read the commitment letter.")},
    )


class SignForm(PortalForm):
    method = forms.ChoiceField(
        label=_("How do you want to sign?"), widget=forms.RadioSelect,
        choices=[(Binding.SignatureMethod.TYPED, _("Type my full name")),
                 (Binding.SignatureMethod.DRAWN, _("Draw my signature"))],
        error_messages={"required": _("Choose how you want to sign.")},
    )
    typed_name = forms.CharField(
        label=_("Your full name, exactly as registered"), max_length=50, required=False,
        help_text=_("For example 张丽. Typing your name counts as your signature."),
    )
    signature = forms.CharField(label=_("Drawn signature"), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, registered_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.registered_name = registered_name
        self.fields["typed_name"].widget.attrs.update({"autocomplete": "name"})

    def clean(self):
        data = super().clean()
        method = data.get("method")
        if method == Binding.SignatureMethod.TYPED:
            if not idnumber.same_name(data.get("typed_name") or "", self.registered_name):
                self.add_error("typed_name", _("Type your full name exactly as it is registered, as on your "
                                               "ID card."))
        elif method == Binding.SignatureMethod.DRAWN:
            try:
                data["signature_image"], data["signature_mime"] = signature_from_data_url(data.get("signature"))
            except ValidationError as error:
                self.add_error("signature", error)
        return data


class ConfirmPasswordForm(PortalForm):
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To confirm that it is you, enter the password you log in with."),
        error_messages={"required": _("Enter your password.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("The password is not correct."), code="password_wrong")
        return password


class ConsentForm(PortalForm):
    answer = forms.ChoiceField(
        label=_("Do you agree to this binding?"), widget=forms.RadioSelect,
        choices=[("agree", _("Yes, I agree: my spouse's personal account may pay for me")),
                 ("refuse", _("No, I refuse"))],
        error_messages={"required": _("Choose whether you agree or refuse.")},
    )


class RecordsFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All"))] + list(Binding.Status.choices))




class PaymentOrderMoveForm(forms.Form):
    """One button of the paying order on "who shares with me": move this authorizer up or down one place."""

    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))],
                                  error_messages={"required": _("Choose up or down."),
                                                  "invalid_choice": _("Choose up or down.")})
