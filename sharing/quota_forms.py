"""The authorizer's quota form (共济额度): set aside more (grant or top up) or take back the unused part, confirmed
with the password as unbinding is."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from sharing.forms import ConfirmPasswordForm


class QuotaForm(ConfirmPasswordForm):
    ADD, REDUCE = "add", "reduce"

    action = forms.ChoiceField(
        label=_("What do you want to do?"), widget=forms.RadioSelect,
        choices=[(ADD, _("Set aside more for this family member (grant or top up)")),
                 (REDUCE, _("Take back part of the unused quota"))],
        error_messages={"required": _("Choose whether to set aside more or take back.")},
    )
    amount = forms.DecimalField(
        label=_("Amount in yuan"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2,
        help_text=_("For example 500.00."),
        error_messages={"required": _("Enter an amount in yuan, for example 500.00."),
                        "invalid": _("Enter an amount in yuan, for example 500.00."),
                        "min_value": _("The amount must be more than ¥0.00."),
                        "max_decimal_places": _("Enter at most two decimal places (fen)."),
                        "max_digits": _("Enter a smaller amount.")},
    )
    field_order = ["action", "amount", "password"]

    def __init__(self, *args, has_quota: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_quota:
            # Nothing to take back yet: the one choice is to grant.
            self.fields["action"].choices = [(self.ADD, _("Set aside an amount for this family member (grant)"))]
            self.fields["action"].initial = self.ADD
        self.fields["amount"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
