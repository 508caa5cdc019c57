from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import reasons as account_reasons
from accounts.throttle import person_lookup_allowed
from core.forms import PortalForm
from registry.forms import IdNumberField
from registry.models import Relation


class AddMemberForm(PortalForm):
    relation = forms.ChoiceField(
        label=_("Who is this family member to you?"), choices=[("", _("Choose…")), *Relation.choices],
        help_text=_("For example: Child. A child under 16 is added at once by a parent who shares with the child "
                    "through family sharing; an adult must agree first."),
    )
    member_name = forms.CharField(
        label=_("Family member's full name"), max_length=50,
        help_text=_("As on their ID card or household register, for example 张小雨."),
    )
    member_certno = IdNumberField(label=_("Family member's resident ID number"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["member_name"].widget.attrs.update({"autocomplete": "off"})

    def clean_member_name(self):
        return "".join(self.cleaned_data["member_name"].split())

    def clean(self):
        data = super().clean()
        # Adding a member tells whether a name and an ID number belong together: a few look-ups a day.
        if not self.errors and self.user is not None and not person_lookup_allowed(self.user):
            raise account_reasons.LOOKUP_THROTTLED.as_validation_error()
        return data
