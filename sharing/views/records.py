"""Authorization records (授权记录), unbinding, withdrawing, and the member's view (我的共济授权人)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from core.decorators import citizen_required
from core.texts import choice_labels
from registry.models import Relation
from sharing.eligibility.life import may_end, may_withdraw
from sharing.eligibility.payment import payment_order
from sharing.forms import ConfirmPasswordForm, RecordsFilterForm
from sharing.models import Binding
from sharing.quotas import binding_uses_quota
from sharing.reserves import quotas_for, quotas_of_authorizer
from sharing.selectors import (
    active_bindings_for_member,
    binding_get_for_user,
    bindings_for_member,
    bindings_given,
    effective_status,
    status_reason,
)
from sharing.services import BindingRefused, binding_end_by_member, binding_unbind, binding_withdraw


def _decorate(bindings, quotas: dict | None = None):
    quotas = quotas_for(bindings) if quotas is None else quotas
    # Labels read once per page (get_FOO_display hashes every choice on each call).
    relations, channels = choice_labels(Relation.choices), choice_labels(Binding.Channel.choices)
    for binding in bindings:
        binding.relation_label = relations.get(binding.relation, binding.relation)
        binding.channel_label = channels.get(binding.channel, binding.channel)
        binding.quota = quotas.get(binding.pk)
        binding.reason = status_reason(binding)
        binding.effective_label = Binding.Status(binding.effective).label
        binding.may_end, binding.may_withdraw = may_end(binding.effective), may_withdraw(binding.effective)
    return bindings


@citizen_required
@require_GET
def records(request):
    form = RecordsFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    bindings = _decorate(bindings_given(request.user.person, status=status or None),
                         quotas_of_authorizer(request.user.person))
    return render(request, "sharing/records.html", {"form": form, "bindings": bindings, "status": status})


@citizen_required
@require_GET
def binding_detail(request, binding_id):
    binding = binding_get_for_user(request.user, binding_id)
    binding.effective = effective_status(binding)
    [binding] = _decorate([binding])
    binding.uses_quota = binding.may_end and binding_uses_quota(binding)
    return render(request, "sharing/binding_detail.html", {"binding": binding, "reason": binding.reason})


@citizen_required
@require_GET
def signature_image(request, binding_id):
    binding = binding_get_for_user(request.user, binding_id)
    if not binding.signature_image:
        raise Http404
    response = HttpResponse(bytes(binding.signature_image), content_type=binding.signature_mime or "image/png")
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@sensitive_post_parameters("password")
@citizen_required
@require_http_methods(["GET", "POST"])
def unbind(request, binding_id):
    binding = binding_get_for_user(request.user, binding_id)
    form = ConfirmPasswordForm(request.POST or None, user=request.user)
    refusals = []
    if not may_end(effective_status(binding)):
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


@citizen_required
@require_http_methods(["GET", "POST"])
def withdraw(request, binding_id):
    binding = binding_get_for_user(request.user, binding_id)
    if not may_withdraw(effective_status(binding)):
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


@citizen_required
@require_GET
def my_authorizers(request):
    bindings = _decorate(list(bindings_for_member(request.user.person)))
    for binding in bindings:
        # A live binding that shares through a quota pays nothing until one is set aside: say so.
        binding.uses_quota = binding.may_end and binding_uses_quota(binding)
    order = payment_order(list(active_bindings_for_member(request.user.person)))
    # Who shares with me now (or asks to) first; requests and bindings that ended under a heading of their own.
    live = [b for b in bindings if b.effective in Binding.LIVE]
    return render(request, "sharing/my_authorizers.html", {
        "bindings": bindings, "payment_order": order, "live": live,
        "past": [b for b in bindings if b.effective not in Binding.LIVE]})


@citizen_required
@require_http_methods(["GET", "POST"])
def end_as_member(request, binding_id):
    """The member ends a binding from "who shares with me": a confirmation page, then POST ends it."""
    binding = binding_get_for_user(request.user, binding_id, as_member=True)
    if not may_end(effective_status(binding)):
        messages.info(request, _("This binding is not active, so there is nothing to end."))
        return redirect("sharing:my_authorizers")
    refusals = []
    if request.method == "POST":
        try:
            binding_end_by_member(binding=binding, actor=request.user)
        except BindingRefused as refused:
            refusals = refused.reasons
        else:
            messages.success(request, _("The binding from %(name)s has ended; they have been told.")
                             % {"name": binding.authorizer.name})
            return redirect("sharing:my_authorizers")
    return render(request, "sharing/end_as_member.html", {"binding": binding, "refusals": refusals})
