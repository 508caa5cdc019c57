"""The authorizer's sharing quota of one binding (共济额度): figures, then grant, top up or reduce."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from audit.refusals import refusal_log
from core.decorators import citizen_required
from sharing.eligibility.life import may_end
from sharing.quota_forms import QuotaForm
from sharing.quotas import binding_uses_quota, quota_add, quota_may_grant, quota_reduce
from sharing.reserves import quota_summary
from sharing.selectors import binding_get_for_user, effective_status
from sharing.services import BindingRefused


@sensitive_post_parameters("password")
@citizen_required
@require_http_methods(["GET", "POST"])
def quota(request, binding_id):
    binding = binding_get_for_user(request.user, binding_id)
    summary = quota_summary(binding)
    if not may_end(effective_status(binding)) or not (binding_uses_quota(binding) or summary):
        messages.info(request, _("This binding has no sharing quota to change."))
        return redirect("sharing:binding_detail", binding_id=binding.pk)
    form = QuotaForm(request.POST or None, user=request.user, has_quota=bool(summary and summary["left"] > 0))
    refusals = []
    if request.method == "POST" and form.is_valid():
        change = quota_add if form.cleaned_data["action"] == QuotaForm.ADD else quota_reduce
        try:
            figures = change(binding=binding, amount=form.cleaned_data["amount"], actor=request.user)
        except BindingRefused as refused:
            refusals = refused.reasons
            refusal_log(refusals, channel="money", region=request.user.person.region_id)
        else:
            messages.success(request, _("The quota for %(name)s is now ¥%(left)s; %(name)s has been told.")
                             % {"name": binding.member.name, "left": f"{figures['left']:.2f}"})
            return redirect("sharing:binding_detail", binding_id=binding.pk)
    return render(request, "sharing/quota.html", {
        "form": form, "binding": binding, "summary": summary, "refusals": refusals,
        "may_grant": quota_may_grant(binding),
    })
