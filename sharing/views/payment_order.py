"""The member's paying order on "who shares with me" (我的共济授权人): up and down buttons, no JavaScript."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from core.decorators import citizen_required, post_only
from sharing.forms import PaymentOrderMoveForm
from sharing.payment_order import payment_order_move
from sharing.selectors import binding_get_for_user
from sharing.services import BindingRefused


@citizen_required
@post_only("sharing:my_authorizers")
def move(request, binding_id):
    binding = binding_get_for_user(request.user, binding_id, as_member=True)
    form = PaymentOrderMoveForm(request.POST)
    back = reverse("sharing:my_authorizers") + "#payment-order"
    if not form.is_valid():
        messages.error(request, form.errors["direction"][0])
        return redirect(back)
    try:
        payment_order_move(member=request.user.person, binding_id=binding.pk,
                           direction=form.cleaned_data["direction"], actor=request.user)
    except BindingRefused as refused:
        for reason in refused.reasons:
            messages.error(request, reason.text())
    else:
        messages.success(request, _("The paying order has been changed."))
    return redirect(back)
