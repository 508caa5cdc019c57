"""Family account pages: members, adding (with consent), removing, and each member's live insurance code."""

import segno
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.decorators import citizen_required, post_only
from core.reasons import Refused
from family import selectors, services, tokens
from family.eligibility import MAX_MEMBERS, limit_reached
from family.forms import AddMemberForm
from family.models import FamilyMembership

# The page asks for a fresh code a little before the old one expires.
REFRESH_SECONDS = int(tokens.CODE_TTL.total_seconds()) - 10


def membership_get_for_user(user, membership_id, *, as_holder=True, as_member=False, statuses=None):
    """The membership if the user is its holder (or, where allowed, its member); otherwise 404."""
    membership = FamilyMembership.objects.select_related("holder", "member__region").filter(pk=membership_id).first()
    if membership is None or (statuses and membership.status not in statuses):
        raise Http404
    if (as_holder and membership.holder_id == user.person_id) or (as_member and membership.member_id == user.person_id):
        return membership
    raise Http404


@citizen_required
@require_GET
def home(request):
    person = request.user.person
    members = selectors.family_members_of(person)
    requests, accounts_im_in = selectors.family_requests_and_accounts_for(person)
    return render(request, "family/home.html", {
        "members": members, "limit": MAX_MEMBERS, "limit_reached": limit_reached(len(members)),
        "requests": requests, "accounts_im_in": accounts_im_in,
    })


@citizen_required
@require_http_methods(["GET", "POST"])
def add(request):
    person = request.user.person
    count = selectors.live_member_count(person)
    form = AddMemberForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and not limit_reached(count) and form.is_valid():
        try:
            membership = services.family_member_add(actor=request.user, holder=person, **form.cleaned_data)
        except Refused as refused:
            form.add_error(None, refused.reason.as_validation_error())
        else:
            name = {"name": membership.member.name}
            if membership.status == FamilyMembership.Status.ACTIVE:
                messages.success(request, _("%(name)s is now in your family account.") % name)
            else:
                messages.success(request, _("We asked %(name)s to agree. They are added once they agree in their "
                                            "inbox (or at a service hall).") % name)
            return redirect("family:home")
    return render(request, "family/add.html",
                  {"form": form, "limit": MAX_MEMBERS, "limit_reached": limit_reached(count)})


def _qr_svg(token: str, title: str) -> str:
    svg = segno.make(token, error="m").svg_inline(scale=5, border=4, svgclass="qr-code", title=escape(title),
                                                  dark="#000", light="#fff")
    return mark_safe(svg.replace("<svg ", '<svg role="img" focusable="false" ', 1))  # noqa: S308 - segno output


def _code_context(request, *, member, membership):
    try:
        issued = tokens.token_issue(holder=request.user.person, member=member)
    except Refused:
        raise Http404 from None
    return {
        "member": member, "membership": membership, "issued": issued, "refresh_seconds": REFRESH_SECONDS,
        "qr": _qr_svg(issued.token, _("Insurance code of %(name)s") % {"name": member.name}),
        "own": membership is None,
    }


@never_cache
@citizen_required
@require_GET
def code(request, membership_id):
    membership = membership_get_for_user(request.user, membership_id, statuses=[FamilyMembership.Status.ACTIVE])
    return render(request, "family/code.html", _code_context(request, member=membership.member, membership=membership))


@never_cache
@citizen_required
@require_GET
def code_fragment(request, membership_id):
    membership = membership_get_for_user(request.user, membership_id, statuses=[FamilyMembership.Status.ACTIVE])
    return render(request, "family/code.html#code",
                  _code_context(request, member=membership.member, membership=membership))


@never_cache
@citizen_required
@require_GET
def own_code(request):
    return render(request, "family/code.html", _code_context(request, member=request.user.person, membership=None))


@never_cache
@citizen_required
@require_GET
def own_code_fragment(request):
    return render(request, "family/code.html#code", _code_context(request, member=request.user.person, membership=None))


@citizen_required
@require_http_methods(["GET", "POST"])
def remove(request, membership_id):
    """The holder removes a member, or the member leaves someone's family account (confirm first)."""
    membership = membership_get_for_user(request.user, membership_id, as_member=True,
                                         statuses=[FamilyMembership.Status.ACTIVE])
    if request.method == "POST":
        try:
            services.family_member_remove(actor=request.user, membership=membership)
        except Refused as refused:
            messages.error(request, refused.reason.text())
        else:
            messages.success(request, _("Done: %(member)s is no longer in %(holder)s's family account.") % {
                "member": membership.member.name, "holder": membership.holder.name})
        return redirect("family:home")
    return render(request, "family/remove.html", {
        "membership": membership, "leaving": membership.member_id == request.user.person_id})


@citizen_required
@post_only("family:home")
def withdraw(request, membership_id):
    membership = membership_get_for_user(request.user, membership_id,
                                         statuses=[FamilyMembership.Status.AWAITING_CONSENT])
    try:
        services.family_request_withdraw(actor=request.user, membership=membership)
    except Refused as refused:  # answered (or withdrawn in another tab) a moment ago
        messages.error(request, refused.reason.text())
    else:
        messages.success(request, _("Your request to %(name)s is withdrawn.") % {"name": membership.member.name})
    return redirect("family:home")


@citizen_required
@require_GET
def request_detail(request, membership_id):
    """The adult asked to join a family account reads what it means, then agrees or refuses."""
    membership = membership_get_for_user(request.user, membership_id, as_holder=False, as_member=True)
    return render(request, "family/request.html", {"membership": membership})


def _answer(request, membership_id, *, agree):
    membership = membership_get_for_user(request.user, membership_id, as_holder=False, as_member=True)
    try:
        services.family_request_answer(actor=request.user, membership=membership, agree=agree)
    except Refused as refused:
        messages.error(request, refused.reason.text())
    else:
        messages.success(request, (_("You agreed: %(holder)s can now show your insurance code.") if agree
                                   else _("You refused: %(holder)s cannot show your insurance code.")) %
                         {"holder": membership.holder.name})
    return redirect("family:home")


@citizen_required
@post_only("family:request")
def request_agree(request, membership_id):
    return _answer(request, membership_id, agree=True)


@citizen_required
@post_only("family:request")
def request_refuse(request, membership_id):
    return _answer(request, membership_id, agree=False)
