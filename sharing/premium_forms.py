"""Forms of paying a premium (rules.md, "Premiums"): whose premium, then the password to confirm."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalForm
from sharing.eligibility.premium import SELF
from sharing.forms import RELATION_CHOICES, MemberForm


class PremiumMemberForm(MemberForm):
    relation = forms.ChoiceField(
        label=_("Whose premium do you want to pay?"), widget=forms.RadioSelect,
        choices=[(SELF, _("My own")), *RELATION_CHOICES],
        help_text=_("For a family member, choose what they are to you, for example “Child”."),
        error_messages={"required": _("Choose whose premium you want to pay.")},
    )
    field_order = ["relation", "name", "certno"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = self.fields["certno"].required = False
        self.fields["name"].help_text = _("Not needed for your own premium. As on their ID card or household "
                                          "register, for example 张小雨.")

    def clean(self):
        if self.cleaned_data.get("relation") == SELF:
            return PortalForm.clean(self)  # nobody is looked up: no lookup counted against the daily limit
        data = super().clean()
        if data.get("relation"):
            if not data.get("name") and "name" not in self.errors:
                self.add_error("name", _("Enter the family member's full name."))
            if not data.get("certno") and "certno" not in self.errors:
                self.add_error("certno", _("Enter the family member's resident ID number."))
        return data
