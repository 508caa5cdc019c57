"""Authorization records (授权记录), unbinding, withdrawing, and the member's view (我的共济授权人)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import citizen_required
from sharing.forms import ConfirmPasswordForm, RecordsFilterForm
from sharing.models import Binding
from sharing.selectors import (
    binding_get_for_authorizer,
    bindings_for_authorizer,
    bindings_for_member,
    effective_status,
    status_reason,
)
from sharing.services import BindingRefused, binding_unbind, binding_withdraw


def _decorate(bindings):
    for binding in bindings:
        binding.reason = status_reason(binding)
        binding.effective_label = Binding.Status(binding.effective).label
    return bindings


@require_GET
@citizen_required
def records(request):
    form = RecordsFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    bindings = _decorate(list(bindings_for_authorizer(request.user.person, status=status or None)))
    return render(request, "sharing/records.html", {"form": form, "bindings": bindings, "status": status})


@require_GET
@citizen_required
def binding_detail(request, binding_id):
    binding = binding_get_for_authorizer(request.user, binding_id)
    binding.effective = effective_status(binding)
    binding.effective_label = Binding.Status(binding.effective).label
    return render(request, "sharing/binding_detail.html", {"binding": binding, "reason": status_reason(binding)})


@require_GET
@citizen_required
def signature_image(request, binding_id):
    binding = binding_get_for_authorizer(request.user, binding_id)
    if not binding.signature_image:
        raise Http404
    response = HttpResponse(bytes(binding.signature_image), content_type=binding.signature_mime or "image/png")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@citizen_required
def unbind(request, binding_id):
    binding = binding_get_for_authorizer(request.user, binding_id)
    form = ConfirmPasswordForm(request.POST or None, user=request.user)
    refusals = []
    if binding.status not in (Binding.Status.ACTIVE, Binding.Status.SUSPENDED):
        messages.info(request, _("This binding is not active, so there is nothing to unbind."))
        return redirect("sharing:binding_detail", binding_id=binding.pk)
    if request.method == "POST" and form.is_valid():
        try:
            binding_unbind(binding=binding, actor=request.user)
        except BindingRefused as refused:
            refusals = refused.reasons
        else:
            messages.success(request, _("The binding with %(name)s has ended.") % {"name": binding.member.name})
            return redirect("sharing:records")
    return render(request, "sharing/unbind.html", {"form": form, "binding": binding, "refusals": refusals})


@require_http_methods(["GET", "POST"])
@citizen_required
def withdraw(request, binding_id):
    binding = binding_get_for_authorizer(request.user, binding_id)
    if effective_status(binding) != Binding.Status.AWAITING_CONSENT:
        messages.info(request, _("This request is no longer waiting for an answer."))
        return redirect("sharing:binding_detail", binding_id=binding.pk)
    refusals = []
    if request.method == "POST":
        try:
            binding_withdraw(binding=binding, actor=request.user)
        except BindingRefused as refused:
            refusals = refused.reasons
        else:
            messages.success(request, _("Your request to %(name)s has been withdrawn.") % {"name": binding.member.name})
            return redirect("sharing:records")
    return render(request, "sharing/withdraw.html", {"binding": binding, "refusals": refusals})


@require_GET
@citizen_required
def my_authorizers(request):
    bindings = _decorate(list(bindings_for_member(request.user.person)))
    # Who shares with me now (or asks to) first; requests and bindings that ended under a heading of their own.
    live = [b for b in bindings if b.effective in Binding.LIVE]
    return render(request, "sharing/my_authorizers.html", {
        "bindings": bindings, "live": live, "past": [b for b in bindings if b.effective not in Binding.LIVE]})
