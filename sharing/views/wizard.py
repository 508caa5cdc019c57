"""The binding wizard (账户绑定): one question per page; the answers live in the session until submitted.

Several members may be added in one application (增加使用人): "Add another family member" on the check page keeps
the member(s) so far in `others` and asks relation and member again; the letter then lists them all and is signed
once, and each member gets their own binding or their own refusal (sharing.applications.bindings_create_many)."""

import base64
import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.refusals import refusal_log
from core.decorators import citizen_required, post_only
from core.reasons import Reason
from registry.models import InsuredPerson, Relation
from registry.policy import policy_in_force
from sharing import reasons
from sharing.applications import bindings_create_many
from sharing.eligibility.binding import binding_findings, member_lookup, offered_relations
from sharing.forms import DatesForm, LetterForm, MemberForm, RelationForm, SignForm
from sharing.selectors import binding_get_for_user, bindings_for_authorizer
from sharing.services import BindingRefused, binding_create, current_letter

KEY = "bind_wizard"
RESULTS_KEY = "bind_results"
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


@citizen_required
@require_http_methods(["GET", "POST"])
def bind_relation(request):
    state = _state(request)
    # Offer only what the policy in force allows; the page names the rest and why (the engine still decides).
    policy = policy_in_force(request.user.person.region)
    form = RelationForm(request.POST or None, initial={"relation": state.get("relation")},
                        offered=offered_relations(policy))
    refusals = []
    if request.method == "POST" and form.is_valid():
        relation = form.cleaned_data["relation"]
        # Rules about the authorizer and the relationship can be answered before asking who the member is.
        refusals = [r for r in _findings(request, {**state, "relation": relation})
                    if r.code != "MEMBER_IDENTITY_MISMATCH"]
        refusal_log(refusals, channel="wizard", region=request.user.person.region_id)
        if not refusals:  # a refused choice is not kept: the wizard goes no further
            _save(request, relation=relation)
            return redirect("sharing:bind_member")
    return _render(request, "sharing/bind_relation.html", {
        "form": form, "refusals": refusals, "back": "sharing:records", "policy": policy,
        "offered": "、".join(str(label) for _v, label in form.fields["relation"].widget.choices),
        "not_offered": "、".join(str(label) for label in form.not_offered)})


@citizen_required
@require_http_methods(["GET", "POST"])
def bind_member(request):
    if guard := _guard(request, "member"):
        return guard
    state = _state(request)
    form = MemberForm(request.POST or None, initial={"name": state.get("member_name"),
                                                      "certno": state.get("member_certno")}, user=request.user)
    refusals = []
    if request.method == "POST":
        # Keep what was typed, even when it is refused.
        _save(request, member_name=request.POST.get("name", "").strip(), member_certno=request.POST.get("certno", ""),
              member_id=None)
        if form.is_valid():
            name, certno = form.cleaned_data["name"], form.cleaned_data["certno"]
            member = member_lookup(name, certno)
            refusals = _findings(request, state, member=member, member_name=name, member_certno=certno)
            refusal_log(refusals, channel="wizard", region=request.user.person.region_id)
            if not refusals:
                _save(request, member_id=str(member.pk), member_certno=certno)
                return redirect("sharing:bind_dates" if _uses_dates(request) else "sharing:bind_letter")
    return _render(request, "sharing/bind_member.html", {
        "form": form, "refusals": refusals, "back": _back(request, "member"),
        "relation_label": Relation(state["relation"]).label})


@citizen_required
@require_http_methods(["GET", "POST"])
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


def _others(state: dict) -> list[dict]:
    """The members added before the current one, each with its person and relationship label, in one query."""
    others = state.get("others") or []
    people = {str(p.pk): p for p in InsuredPerson.objects.select_related("region").filter(
        pk__in=[o["member_id"] for o in others])}
    return [{**o, "member": people.get(o["member_id"]), "relation_label": Relation(o["relation"]).label}
            for o in others]


@citizen_required
@require_http_methods(["GET", "POST"])
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
        "others": _others(state), "authorizer": request.user.person, "relation_label": Relation(state["relation"]).label,
        "valid_from": _date(state.get("valid_from")) if _uses_dates(request) else None,
        "valid_until": _date(state.get("valid_until")) if _uses_dates(request) else None})


@citizen_required
@require_http_methods(["GET", "POST"])
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


@citizen_required
@require_http_methods(["GET", "POST"])
def bind_check(request):
    if guard := _guard(request, "check"):
        return guard
    state = _state(request)
    member = _member(state)
    refusals = []
    others = _others(state)
    if request.method == "POST":
        signature_image, signature_mime = None, ""
        if state["method"] == "drawn":
            signature_mime, _sep, encoded = state["signature"].removeprefix("data:").partition(";base64,")
            signature_image = base64.b64decode(encoded)
        if others:
            return _submit_many(request, state, others, member, signature_image, signature_mime)
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
            refusal_log(refusals, channel="wizard", region=request.user.person.region_id)
        else:
            del request.session[KEY]
            # The confirmation page says it; no flash message repeating it.
            return redirect("sharing:bind_done", binding_id=binding.pk)
    return _render(request, "sharing/bind_check.html", {
        "state": state, "member": member, "others": others, "refusals": refusals, "back": _back(request, "check"),
        "relation_label": Relation(state["relation"]).label, "letter": current_letter(),
        "uses_dates": _uses_dates(request), "valid_from": _date(state.get("valid_from")),
        "valid_until": _date(state.get("valid_until"))})


def _submit_many(request, state, others, member, signature_image, signature_mime):
    """One application, several members: each gets their own verdict, shown on the results page."""
    entries = [{"relation": o["relation"], "member": o["member"], "member_name": o.get("member_name", ""),
                "member_certno": o.get("member_certno", "")} for o in others]
    entries.append({"relation": state["relation"], "member": member, "member_name": state.get("member_name", ""),
                    "member_certno": state.get("member_certno", "")})
    verdicts = bindings_create_many(
        authorizer=request.user.person, entries=entries, actor=request.user,
        valid_from=_date(state.get("valid_from")), valid_until=_date(state.get("valid_until")),
        letter=current_letter(), signature_method=state["method"], signature_image=signature_image,
        signature_mime=signature_mime, typed_name=state.get("typed_name", ""),
        ip=request.META.get("REMOTE_ADDR"), user_agent=request.META.get("HTTP_USER_AGENT", ""))
    del request.session[KEY]
    # The refusals are kept as shown now (translated, details filled in); the bindings by id.
    request.session[RESULTS_KEY] = {
        "bound": [str(v.binding.pk) for v in verdicts if v.binding],
        "refused": [{"name": v.member.name if v.member else v.member_name,
                     "certno": v.member.masked_certno if v.member else "",
                     "relation": v.relation,
                     "reasons": [[r.code, str(r.message), str(r.next_step)] for r in v.reasons]}
                    for v in verdicts if not v.binding]}
    if any(v.binding for v in verdicts):
        messages.success(request, _("Your application has been submitted."))
    return redirect("sharing:bind_results")


@citizen_required
@post_only("sharing:bind_check")
def bind_add_another(request):
    """Keep the member(s) so far and ask for one more; the letter lists them all and is signed again."""
    if guard := _guard(request, "check"):
        return guard
    state = _state(request)
    others = state.get("others") or []
    current = {k: state.get(k) for k in ("relation", "member_id", "member_name", "member_certno")}
    if current["member_id"] not in {o["member_id"] for o in others}:
        others.append(current)
    for key in ("relation", "member_id", "member_name", "member_certno", "letter_version", "method", "typed_name",
                "signature"):
        state.pop(key, None)
    state["others"] = others
    request.session[KEY] = state
    return redirect("sharing:bind_relation")


@citizen_required
@post_only("sharing:bind_check")
def bind_remove_other(request, index: int):
    """Take a member added earlier off the application; the letter changes, so it is read and signed again."""
    state = _state(request)
    others = state.get("others") or []
    if 0 <= index < len(others):
        others.pop(index)
        for key in ("letter_version", "method", "typed_name", "signature"):
            state.pop(key, None)
        state["others"] = others
        request.session[KEY] = state
    return redirect("sharing:bind_check")


@citizen_required
@require_GET
def bind_results(request):
    """The verdict for every member of an application with several members."""
    results = request.session.get(RESULTS_KEY)
    if not results:
        return redirect("sharing:records")
    bound = list(bindings_for_authorizer(request.user.person).filter(pk__in=results["bound"]).order_by("created_at"))
    refused = [{**r, "relation_label": Relation(r["relation"]).label,
                "reasons": [Reason(code, message, next_step) for code, message, next_step in r["reasons"]]}
               for r in results["refused"]]
    return render(request, "sharing/bind_results.html", {"bound": bound, "refused": refused})


@citizen_required
@require_GET
def bind_done(request, binding_id):
    binding = binding_get_for_user(request.user, binding_id)
    return render(request, "sharing/bind_done.html", {
        "binding": binding, "pending": reasons.SPOUSE_CONSENT_PENDING if binding.status == "awaiting_consent" else None})


@citizen_required
@require_GET
def bind_start(request):
    """Start afresh: forget a wizard left half-way."""
    request.session.pop(KEY, None)
    request.session.pop(RESULTS_KEY, None)
    return redirect("sharing:bind_relation")
