"""The spouse's consent inbox (授权绑定确认): agree or refuse, with a confirmation step."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.decorators import citizen_required
from sharing.forms import ConsentForm
from sharing.models import Binding
from sharing.selectors import binding_get_for_user, consent_inbox, effective_status
from sharing.services import BindingRefused, binding_consent


@citizen_required
@require_GET
def inbox(request):
    return render(request, "sharing/consent_inbox.html", {"bindings": list(consent_inbox(request.user.person))})


def _pending_or_redirect(request, binding):
    if effective_status(binding) != Binding.Status.AWAITING_CONSENT:
        messages.info(request, _("This request is no longer waiting for your answer."))
        return redirect("sharing:consent_inbox")
    return None


@citizen_required
@require_http_methods(["GET", "POST"])
def consent_answer(request, binding_id):
    binding = binding_get_for_user(request.user, binding_id, as_member=True)
    if done := _pending_or_redirect(request, binding):
        return done
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect(f"{request.path}confirm/?answer={form.cleaned_data['answer']}")
    return render(request, "sharing/consent_answer.html", {"form": form, "binding": binding})


@citizen_required
@require_http_methods(["GET", "POST"])
def consent_confirm(request, binding_id):
    binding = binding_get_for_user(request.user, binding_id, as_member=True)
    if done := _pending_or_redirect(request, binding):
        return done
    form = ConsentForm(request.POST or request.GET)
    if not form.is_valid():
        return redirect("sharing:consent_answer", binding_id=binding.pk)
    agree = form.cleaned_data["answer"] == "agree"
    refusals = []
    if request.method == "POST":
        try:
            binding_consent(binding=binding, agree=agree, actor=request.user)
        except BindingRefused as refused:
            refusals = refused.reasons
        else:
            messages.success(request, _("You agreed. Your spouse's account can now pay for you.") if agree
                             else _("You refused the request. Your spouse has been told."))
            return redirect("sharing:consent_inbox")
    return render(request, "sharing/consent_confirm.html", {"binding": binding, "agree": agree,
                                                            "answer": form.cleaned_data["answer"],
                                                            "refusals": refusals})
