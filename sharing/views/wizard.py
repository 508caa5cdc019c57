"""The binding wizard (账户绑定): one question per page; the answers live in the session until submitted."""

import base64
import datetime

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import citizen_required
from registry.models import InsuredPerson, Relation
from registry.policy import policy_in_force
from sharing import reasons
from sharing.eligibility.binding import binding_findings, member_lookup
from sharing.forms import DatesForm, LetterForm, MemberForm, RelationForm, SignForm
from sharing.selectors import binding_get_for_authorizer
from sharing.services import BindingRefused, binding_create, current_letter

KEY = "bind_wizard"
STEPS = ["relation", "member", "dates", "letter", "sign", "check"]


def _state(request) -> dict:
    return request.session.get(KEY, {})


def _save(request, **values) -> None:
    state = _state(request)
    state.update(values)
    request.session[KEY] = state


def _uses_dates(request) -> bool:
    return policy_in_force(request.user.person.region).uses_validity_period


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _missing_step(request, state: dict) -> str | None:
    """The first step not done yet: pages further on send the citizen back there."""
    if not state.get("relation"):
        return "relation"
    if not state.get("member_id"):
        return "member"
    if _uses_dates(request) and not state.get("valid_from"):
        return "dates"
    if state.get("letter_version") != getattr(current_letter(), "version", None):
        return "letter"
    if not state.get("method"):
        return "sign"
    return None


def _guard(request, step: str):
    missing = _missing_step(request, _state(request))
    if missing and STEPS.index(missing) < STEPS.index(step):
        return redirect(f"sharing:bind_{missing}")
    return None


def _back(request, step: str) -> str:
    index = STEPS.index(step) - 1
    if STEPS[index] == "dates" and not _uses_dates(request):
        index -= 1
    return f"sharing:bind_{STEPS[index]}" if index >= 0 else "sharing:records"


def _render(request, template: str, context: dict):
    """A wizard page with "Step n of N" (the dates step only counts where the policy uses validity periods)."""
    step = template.removeprefix("sharing/bind_").removesuffix(".html")
    steps = [s for s in STEPS if s != "dates" or _uses_dates(request)]
    return render(request, template, {**context, "step_number": steps.index(step) + 1, "step_count": len(steps)})


def _findings(request, state: dict, member=None, **extra):
    return binding_findings(authorizer=request.user.person, relation=state.get("relation"), member=member, **extra)


@require_http_methods(["GET", "POST"])
@citizen_required
def bind_relation(request):
    state = _state(request)
    # Offer only what the policy in force allows; the page names the rest and why (the engine still decides).
    policy = policy_in_force(request.user.person.region)
    form = RelationForm(request.POST or None, initial={"relation": state.get("relation")},
                        allowed=policy.allowed_relations)
    refusals = []
    if request.method == "POST" and form.is_valid():
        _save(request, relation=form.cleaned_data["relation"])
        # Rules about the authorizer and the relationship can be answered before asking who the member is.
        refusals = [r for r in _findings(request, _state(request)) if r.code != "MEMBER_IDENTITY_MISMATCH"]
        if not refusals:
            return redirect("sharing:bind_member")
    return _render(request, "sharing/bind_relation.html", {
        "form": form, "refusals": refusals, "back": "sharing:records", "policy": policy,
        "offered": "、".join(str(label) for _v, label in form.fields["relation"].choices),
        "not_offered": "、".join(str(label) for label in form.not_offered)})


@require_http_methods(["GET", "POST"])
@citizen_required
def bind_member(request):
    if guard := _guard(request, "member"):
        return guard
    state = _state(request)
    form = MemberForm(request.POST or None, initial={"name": state.get("member_name"),
                                                      "certno": state.get("member_certno")})
    refusals = []
    if request.method == "POST":
        # Keep what was typed, even when it is refused.
        _save(request, member_name=request.POST.get("name", "").strip(), member_certno=request.POST.get("certno", ""),
              member_id=None)
        if form.is_valid():
            name, certno = form.cleaned_data["name"], form.cleaned_data["certno"]
            member = member_lookup(name, certno)
            refusals = _findings(request, state, member=member, member_name=name, member_certno=certno)
            if not refusals:
                _save(request, member_id=str(member.pk), member_certno=certno)
                return redirect("sharing:bind_dates" if _uses_dates(request) else "sharing:bind_letter")
    return _render(request, "sharing/bind_member.html", {
        "form": form, "refusals": refusals, "back": _back(request, "member"),
        "relation_label": Relation(state["relation"]).label})


@require_http_methods(["GET", "POST"])
@citizen_required
def bind_dates(request):
    if guard := _guard(request, "dates"):
        return guard
    if not _uses_dates(request):
        return redirect("sharing:bind_letter")
    state = _state(request)
    form = DatesForm(request.POST or None, initial={"valid_from": state.get("valid_from") or timezone.localdate(),
                                                     "valid_until": state.get("valid_until")})
    if request.method == "POST" and form.is_valid():
        start, end = form.cleaned_data["valid_from"], form.cleaned_data["valid_until"]
        _save(request, valid_from=start.isoformat(), valid_until=end.isoformat() if end else None)
        return redirect("sharing:bind_letter")
    return _render(request, "sharing/bind_dates.html", {"form": form, "back": _back(request, "dates"),
                                                       "member": _member(state)})


def _member(state: dict):
    return InsuredPerson.objects.select_related("region").filter(pk=state.get("member_id")).first()


@require_http_methods(["GET", "POST"])
@citizen_required
def bind_letter(request):
    if guard := _guard(request, "letter"):
        return guard
    letter = current_letter()
    form = LetterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _save(request, letter_version=letter.version)
        return redirect("sharing:bind_sign")
    state = _state(request)
    # The letter is shown with the answers it is signed with (sharing.services.signed_payload hashes both).
    return _render(request, "sharing/bind_letter.html", {
        "form": form, "letter": letter, "back": _back(request, "letter"), "member": _member(state),
        "authorizer": request.user.person, "relation_label": Relation(state["relation"]).label,
        "valid_from": _date(state.get("valid_from")) if _uses_dates(request) else None,
        "valid_until": _date(state.get("valid_until")) if _uses_dates(request) else None})


@require_http_methods(["GET", "POST"])
@citizen_required
def bind_sign(request):
    if guard := _guard(request, "sign"):
        return guard
    state = _state(request)
    form = SignForm(request.POST or None, registered_name=request.user.person.name,
                    initial={"method": state.get("method") or "typed", "typed_name": state.get("typed_name"),
                             "signature": state.get("signature")})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            _save(request, method=data["method"], typed_name=data.get("typed_name", "").strip(),
                  signature=data.get("signature", "") if data["method"] == "drawn" else "")
            return redirect("sharing:bind_check")
        _save(request, typed_name=request.POST.get("typed_name", ""))
    return _render(request, "sharing/bind_sign.html", {"form": form, "back": _back(request, "sign")})


@require_http_methods(["GET", "POST"])
@citizen_required
def bind_check(request):
    if guard := _guard(request, "check"):
        return guard
    state = _state(request)
    member = _member(state)
    refusals = []
    if request.method == "POST":
        signature_image, signature_mime = None, ""
        if state["method"] == "drawn":
            signature_mime, _sep, encoded = state["signature"].removeprefix("data:").partition(";base64,")
            signature_image = base64.b64decode(encoded)
        try:
            binding = binding_create(
                authorizer=request.user.person, relation=state["relation"], member=member, actor=request.user,
                member_name=state.get("member_name", ""), member_certno=state.get("member_certno", ""),
                valid_from=_date(state.get("valid_from")), valid_until=_date(state.get("valid_until")),
                letter=current_letter(), signature_method=state["method"], signature_image=signature_image,
                signature_mime=signature_mime, typed_name=state.get("typed_name", ""),
                ip=request.META.get("REMOTE_ADDR"), user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except BindingRefused as refused:
            refusals = refused.reasons
        else:
            del request.session[KEY]
            # The confirmation page says it; no flash message repeating it.
            return redirect("sharing:bind_done", binding_id=binding.pk)
    return _render(request, "sharing/bind_check.html", {
        "state": state, "member": member, "refusals": refusals, "back": _back(request, "check"),
        "relation_label": Relation(state["relation"]).label, "letter": current_letter(),
        "uses_dates": _uses_dates(request), "valid_from": _date(state.get("valid_from")),
        "valid_until": _date(state.get("valid_until"))})


@require_GET
@citizen_required
def bind_done(request, binding_id):
    binding = binding_get_for_authorizer(request.user, binding_id)
    return render(request, "sharing/bind_done.html", {
        "binding": binding, "pending": reasons.SPOUSE_CONSENT_PENDING if binding.status == "awaiting_consent" else None})


@require_GET
@citizen_required
def bind_start(request):
    """Start afresh: forget a wizard left half-way."""
    request.session.pop(KEY, None)
    return redirect("sharing:bind_relation")
