"""Spouse consent in person, unbinding or withdrawing, the family account at the counter, and printouts."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.decorators import hall_staff_required
from core.reasons import Refused
from hall import selectors, services
from hall.forms import ConsentAnswerForm, MinorForm, PrintSpendingForm
from sharing.selectors import bindings_for_authorizer
from sharing.services import BindingRefused


def _refused(error) -> list:
    return error.reasons if isinstance(error, BindingRefused) else [error.reason]


@hall_staff_required
@require_http_methods(["GET", "POST"])
@never_cache
def consent(request, visit_id, binding_id):
    """The spouse (citizen or relative present, ID checked) agrees, signing on the tablet, or refuses."""
    visit = selectors.visit_get_for_user(request.user, visit_id)
    binding = selectors.visit_binding_get_for_user(request.user, visit, binding_id)
    form = ConsentAnswerForm(request.POST or None)
    refusals = []
    if request.method == "POST":
        form.is_valid()
        agree = form.cleaned_data.get("answer") == "agree"
        if form.cleaned_data.get("answer") and not agree:
            form.errors.pop("signature", None)  # refusing needs no signature
        if not form.errors:
            try:
                services.counter_consent(visit=visit, binding=binding, agree=agree, signature=(
                    form.cleaned_data["image"], form.cleaned_data["mime"]) if agree else None)
            except (BindingRefused, Refused) as error:
                refusals = _refused(error)
            else:
                messages.success(request, _("The answer is recorded; both sides have been told."))
                return redirect("hall:visit", visit_id=visit.pk)
    return render(request, "hall/consent.html", {"visit": visit, "binding": binding, "form": form,
                                                 "refusals": refusals, "elder_mode": True})


@hall_staff_required
@require_http_methods(["GET", "POST"])
@never_cache
def unbind(request, visit_id, binding_id):
    """Unbind (or withdraw a spouse request) for the citizen: a confirmation page, then the POST."""
    visit = selectors.visit_get_for_user(request.user, visit_id)
    binding = selectors.visit_binding_get_for_user(request.user, visit, binding_id)
    refusals = []
    if request.method == "POST":
        try:
            services.counter_unbind(visit=visit, binding=binding)
        except (BindingRefused, Refused) as error:
            refusals = _refused(error)
        else:
            messages.success(request, _("Done; both sides have been told."))
            return redirect("hall:visit", visit_id=visit.pk)
    return render(request, "hall/unbind.html", {"visit": visit, "binding": binding, "refusals": refusals})


@hall_staff_required
@require_http_methods(["GET", "POST"])
@never_cache
def family_answer(request, visit_id, membership_id):
    visit = selectors.visit_get_for_user(request.user, visit_id)
    membership = selectors.visit_membership_get_for_user(request.user, visit, membership_id)
    refusals = []
    if request.method == "POST" and request.POST.get("answer") in ("agree", "refuse"):
        try:
            services.counter_family_answer(visit=visit, membership=membership,
                                           agree=request.POST["answer"] == "agree")
        except Refused as error:
            refusals = [error.reason]
        else:
            messages.success(request, _("The answer is recorded; the family account holder has been told."))
            return redirect("hall:visit", visit_id=visit.pk)
    return render(request, "hall/family_answer.html", {"visit": visit, "membership": membership,
                                                       "refusals": refusals})


@hall_staff_required
@require_http_methods(["GET", "POST"])
@never_cache
def family_add_minor(request, visit_id):
    visit = selectors.visit_get_for_user(request.user, visit_id)
    form = MinorForm(request.POST or None)
    refusals = []
    if request.method == "POST" and form.is_valid():
        try:
            services.counter_family_add_minor(visit=visit, member_name=form.cleaned_data["name"].strip(),
                                              member_certno=form.cleaned_data["certno"])
        except Refused as error:
            refusals = [error.reason]
        else:
            messages.success(request, _("The child is in the citizen's family account."))
            return redirect("hall:visit", visit_id=visit.pk)
    return render(request, "hall/family_add_minor.html", {"visit": visit, "form": form, "refusals": refusals})


def _print(request, visit, template, what, **context):
    services.visit_printed(visit=visit, what=what)
    return render(request, template, {"visit": visit, "printed_at": timezone.localtime(), **context})


@hall_staff_required
@require_GET
@never_cache
def print_records(request, visit_id):
    visit = selectors.visit_get_for_user(request.user, visit_id)
    return _print(request, visit, "hall/print_records.html", "records",
                  bindings=selectors.labelled(bindings_for_authorizer(visit.citizen)))


@hall_staff_required
@require_GET
@never_cache
def print_spending(request, visit_id):
    visit = selectors.visit_get_for_user(request.user, visit_id)
    members = selectors.members_of(visit)
    form = PrintSpendingForm(request.GET or None, members=members)
    if not form.is_bound or not form.is_valid():
        return render(request, "hall/print_spending_form.html", {"visit": visit, "form": form})
    label, start, end = form.cleaned_data["period"]
    rows, totals = selectors.spending_for_print(visit, form.cleaned_data["member"] or None, start, end)
    return _print(request, visit, "hall/print_spending.html", "spending", rows=rows, totals=totals,
                  period=label, member=next(
                      (m for m in members if str(m.pk) == form.cleaned_data["member"]), None))
