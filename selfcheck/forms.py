from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts import reasons as account_reasons
from accounts.throttle import person_lookup_allowed
from core.forms import PortalForm
from registry.forms import IdNumberField
from registry.models import Relation
from selfcheck import diagnosis
from sharing.eligibility.binding import identify_member

SITUATION_CHOICES = [
    (diagnosis.MEMBER_CANNOT_USE, _("My family member could not use my account")),
    (diagnosis.I_CANNOT_USE, _("I cannot use my relative's account")),
    (diagnosis.CANNOT_BIND, _("I cannot bind a family member")),
]


class SelfCheckForm(PortalForm):
    """One situation, and optionally one family member: picked from the user's circle, or by name and ID number."""

    situation = forms.ChoiceField(label=_("What happened?"), choices=SITUATION_CHOICES, widget=forms.RadioSelect,
                                  help_text=_("For example: your mother could not pay with your account at the "
                                              "pharmacy."))
    person = forms.ChoiceField(label=_("Which family member? (optional)"), required=False,
                               help_text=_("Someone from your sharing bindings or family account. Leave empty to check "
                                           "all of them, or enter another person below."))
    name = forms.CharField(label=_("Or: the family member's full name"), required=False, max_length=50,
                           help_text=_("As on their ID card, for example 张建国."))
    certno = IdNumberField(label=_("and their resident ID number"), required=False)
    relation = forms.ChoiceField(label=_("Who is this family member to you? (optional)"), required=False,
                                 choices=[("", _("Not given")), *Relation.choices],
                                 help_text=_("For example: Parent. Needed to check whether the relationship may "
                                             "share."))

    amount = forms.DecimalField(label=_("Amount of the bill in yuan (optional)"), required=False, min_value=Decimal("0.01"),
                                max_digits=10, decimal_places=2,
                                help_text=_("For example 86.50. We show what would be paid for a bill of this size; "
                                            "without it, for ¥100.00."))

    def __init__(self, *args, circle=(), user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.circle = {str(p.pk): p for p in circle}
        self.fields["person"].choices = [("", _("Everyone / not listed")),
                                         *[(pk, f"{p.name} {p.masked_certno}") for pk, p in self.circle.items()]]
        self.fields["name"].widget.attrs.update({"autocomplete": "off"})

    def clean(self):
        data = super().clean()
        name, certno = "".join((data.get("name") or "").split()), data.get("certno")
        data["other"] = None
        if data.get("person"):
            data["other"] = self.circle[data["person"]]
        elif name or certno:
            if not (name and certno):
                raise ValidationError(_("Enter both the name and the ID number, or neither."), code="incomplete")
            if self.user is not None and not person_lookup_allowed(self.user):
                raise account_reasons.LOOKUP_THROTTLED.as_validation_error()
            data["other"], found = identify_member(name, certno)
            if found:
                raise found[0].as_validation_error()
        return data
