import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import PortalForm
from hall.models import Document
from hall.uploads import scanned_letter
from registry.forms import IdNumberField
from sharing.forms import RELATION_CHOICES
from sharing.signature import signature_from_data_url


def _documents_field(**kwargs):
    return forms.MultipleChoiceField(
        label=_("Documents checked in person"), choices=Document.choices, widget=forms.CheckboxSelectMultiple,
        required=False, help_text=_("Tick only what you have seen yourself, for example the ID card."), **kwargs)


class FindCitizenForm(PortalForm):
    certno = IdNumberField()
    documents = _documents_field()

    def clean_documents(self):
        documents = self.cleaned_data["documents"]
        if Document.ID_CARD not in documents:
            raise ValidationError(_("Check the citizen's ID card in person and tick it."), code="id_card")
        return documents


class CompanionForm(FindCitizenForm):
    pass


class DocumentsForm(PortalForm):
    documents = _documents_field()


class BindForm(PortalForm):
    relation = forms.ChoiceField(
        label=_("What is the family member to the citizen?"), choices=RELATION_CHOICES, widget=forms.RadioSelect,
        error_messages={"required": _("Choose the family member's relationship to the citizen.")})
    name = forms.CharField(label=_("Family member's full name"), max_length=50,
                           help_text=_("As on their ID card or household register, for example 王小川."),
                           error_messages={"required": _("Enter the family member's full name.")})
    certno = IdNumberField(label=_("Family member's resident ID number"))

    def clean_name(self):
        return self.cleaned_data["name"].strip()


class OverrideForm(PortalForm):
    note = forms.CharField(
        label=_("What the document shows"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: household register page 3 lists the member as the citizen's stepson."),
        error_messages={"required": _("Write what the document shows; an override needs a note.")})


class TabletSignatureForm(PortalForm):
    signature = forms.CharField(label=_("Drawn signature"), required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        try:
            data["image"], data["mime"] = signature_from_data_url(data.get("signature"))
        except ValidationError as error:
            self.add_error("signature", error)
        return data


class ScanForm(PortalForm):
    scan = forms.FileField(label=_("Scan of the signed letter"),
                           help_text=_("PDF, JPEG or PNG, at most 5 MB, for example letter.pdf."),
                           error_messages={"required": _("Choose the scan of the signed letter.")})

    def clean_scan(self):
        return scanned_letter(self.cleaned_data["scan"])


class ConsentAnswerForm(TabletSignatureForm):
    answer = forms.ChoiceField(
        label=_("Do you agree to this binding?"), widget=forms.RadioSelect,
        choices=[("agree", _("Yes, I agree: my spouse's personal account may pay for me")),
                 ("refuse", _("No, I refuse"))],
        error_messages={"required": _("Choose whether you agree or refuse.")})


class MinorForm(PortalForm):
    name = forms.CharField(label=_("Child's full name"), max_length=50,
                           help_text=_("As in the household register, for example 张小雨."),
                           error_messages={"required": _("Enter the child's full name.")})
    certno = IdNumberField(label=_("Child's resident ID number"))


class PrintSpendingForm(PortalForm):
    member = forms.ChoiceField(label=_("Family member"), required=False)
    period = forms.CharField(label=_("Period"), max_length=7, help_text=_("A year or a month, for example 2026-05."),
                             error_messages={"required": _("Enter a year or a month, for example 2026-05.")})

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [("", _("Everyone"))] + [(str(p.pk), p.name) for p in members]

    def clean_period(self):
        """A year ("2026") or a month ("2026-05") as (label, first day, first day after)."""
        value = self.cleaned_data["period"].strip()
        try:
            if re.fullmatch(r"[0-9]{4}", value, re.ASCII):
                start = datetime.date(int(value), 1, 1)
                return value, start, start.replace(year=start.year + 1)
            if re.fullmatch(r"[0-9]{4}-[0-9]{2}", value, re.ASCII):
                start = datetime.date(int(value[:4]), int(value[5:]), 1)
                return value, start, (start + datetime.timedelta(days=31)).replace(day=1)
        except ValueError:
            pass
        raise ValidationError(_("Enter a year or a month, for example 2026-05."), code="period")
