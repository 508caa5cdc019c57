"""Paying a premium due (居民医保 / 长期护理保险 个人缴费) from the personal account: whose premium → check answers and
confirm with the password → receipt with a reference number."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from audit.refusals import refusal_log
from core.decorators import citizen_required
from ledger.models import PersonalAccount
from registry.models import PremiumDue
from sharing.eligibility.binding import identify_member
from sharing.eligibility.premium import SELF
from sharing.forms import ConfirmPasswordForm
from sharing.models import PremiumPayment
from sharing.premium_forms import PremiumMemberForm
from sharing.premiums import premium_check, premium_pay
from sharing.services import BindingRefused

SESSION_KEY = "premium_member"


def premium_due_get_for_user(request, due_id) -> tuple[PremiumDue, str]:
    """A due of the person this user named on the first step (kept in their session), with the relationship they
    gave; 404 to everybody else."""
    chosen = request.session.get(SESSION_KEY) or {}
    due = PremiumDue.objects.select_related("person", "region").filter(
        pk=due_id, person_id=chosen.get("member")).first()
    if due is None:
        raise Http404
    return due, chosen["relation"]


def premium_payment_get_for_user(user, payment_id) -> PremiumPayment:
    """A receipt for the payer or the person whose premium it was; 404 to everybody else."""
    payment = get_object_or_404(PremiumPayment.objects.select_related("due__person", "due__region", "payer"),
                                pk=payment_id)
    if getattr(user, "person_id", None) not in (payment.payer_id, payment.due.person_id):
        raise Http404
    return payment


def _dues(member):
    dues = list(PremiumDue.objects.filter(person=member).select_related("region", "payment__payer")
                .order_by("-year", "kind"))
    return dues


@citizen_required
@require_http_methods(["GET", "POST"])
def premiums(request):
    form = PremiumMemberForm(request.POST or None, user=request.user)
    refusals, member, dues = [], None, []
    if request.method == "POST" and form.is_valid():
        relation = form.cleaned_data["relation"]
        if relation == SELF:
            member = request.user.person
        else:
            member, refusals = identify_member(form.cleaned_data["name"], form.cleaned_data["certno"])
            refusal_log(refusals, channel="money", region=request.user.person.region_id)
        if member is not None:
            request.session[SESSION_KEY] = {"member": str(member.pk), "relation": relation}
            dues = _dues(member)
    return render(request, "sharing/premiums.html", {"form": form, "refusals": refusals, "member": member,
                                                     "dues": dues})


@sensitive_post_parameters("password")
@citizen_required
@require_http_methods(["GET", "POST"])
def premium_confirm(request, due_id):
    due, relation = premium_due_get_for_user(request, due_id)
    payer = request.user.person
    form = ConfirmPasswordForm(request.POST or None, user=request.user)
    refusals = premium_check(payer=payer, due=due, relation=relation)
    if request.method == "POST" and not refusals and form.is_valid():
        try:
            payment = premium_pay(payer=payer, due=due, relation=relation, actor=request.user)
        except BindingRefused as refused:
            refusals = refused.reasons
        else:
            return redirect("sharing:premium_receipt", payment_id=payment.pk)
    # The engine refuses when the page is shown (the password is then not asked) or, after a race, on paying.
    refusal_log(refusals, channel="money", region=payer.region_id)
    account = PersonalAccount.objects.filter(person=payer).first()
    return render(request, "sharing/premium_confirm.html", {
        "form": form, "due": due, "relation": relation, "refusals": refusals, "self": relation == SELF,
        "relation_label": dict(PremiumMemberForm.base_fields["relation"].choices).get(relation, relation),
        "balance": account.balance if account else None,
    })


@citizen_required
@require_GET
def premium_receipt(request, payment_id):
    payment = premium_payment_get_for_user(request.user, payment_id)
    return render(request, "sharing/premium_receipt.html", {"payment": payment, "due": payment.due})
