"""Bind for the citizen at the counter, through the same engine and service as online: relationship and member →
the engine's verdict (and, for RELATION_IMPLAUSIBLE only, the documents-checked override) → dates where the
policy uses them → the letter on a large screen → a tablet signature or a scanned paper letter → check → receipt."""

import base64
import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from audit.refusals import refusal_log
from core.decorators import hall_staff_required
from core.reasons import Refused
from hall import selectors, services
from hall.forms import BindForm, OverrideForm, ScanForm, TabletSignatureForm
from registry.models import InsuredPerson, Relation
from registry.policy import policy_in_force
from sharing.counter import OVERRIDE_DOCUMENTS, RelationOverride
from sharing.eligibility.binding import binding_findings, member_lookup
from sharing.forms import DatesForm
from sharing.services import BindingRefused, current_letter


def _key(visit) -> str:
    return f"hall_bind_{visit.pk}"


def _state(request, visit) -> dict:
    return request.session.get(_key(visit), {})


def _save(request, visit, **values) -> None:
    request.session[_key(visit)] = {**_state(request, visit), **values}


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _context(visit, state: dict) -> dict:
    member = InsuredPerson.objects.select_related("region").filter(pk=state.get("member_id")).first()
    return {"visit": visit, "state": state, "member": member, "authorizer": visit.citizen, "letter": current_letter(),
            "relation_label": Relation(state["relation"]).label if state.get("relation") else "",
            "valid_from": _date(state.get("valid_from")), "valid_until": _date(state.get("valid_until")),
            "spouse_present": state.get("relation") == Relation.SPOUSE and member is not None
            and member.pk == visit.companion_id}


def _ready(request, visit, *, signed=False):
    state = _state(request, visit)
    if not state.get("member_id") or (signed and not state.get("signature")):
        return None
    return state


@hall_staff_required
@require_http_methods(["GET", "POST"])
@never_cache
def bind(request, visit_id):
    visit = selectors.visit_get_for_user(request.user, visit_id)
    uses_dates = policy_in_force(visit.citizen.region).uses_validity_period
    post = request.POST if request.method == "POST" else None
    form = BindForm(post)
    dates = DatesForm(post, prefix="dates", initial={"valid_from": timezone.localdate()}) if uses_dates else None
    override = OverrideForm(post if post and "note" in post else None)
    refusals, may_override = [], False
    if post is not None and form.is_valid() and (dates is None or dates.is_valid()):
        data, period = form.cleaned_data, dates.cleaned_data if dates else {}
        member = member_lookup(data["name"], data["certno"])
        refusals = binding_findings(authorizer=visit.citizen, relation=data["relation"], member=member,
                                    member_name=data["name"], member_certno=data["certno"],
                                    valid_from=period.get("valid_from"), valid_until=period.get("valid_until"))
        may_override = RelationOverride.applies_to(refusals) and any(d in OVERRIDE_DOCUMENTS for d in visit.all_documents)
        note = override.cleaned_data["note"] if may_override and override.is_bound and override.is_valid() else ""
        refusal_log([] if note else refusals, channel="hall", region=visit.hall.region_id)  # an override is no refusal
        if not refusals or note:
            request.session[_key(visit)] = {
                "relation": data["relation"], "member_id": str(member.pk), "override_note": note,
                "valid_from": period["valid_from"].isoformat() if period.get("valid_from") else None,
                "valid_until": period["valid_until"].isoformat() if period.get("valid_until") else None}
            return redirect("hall:bind_letter", visit_id=visit.pk)
    return render(request, "hall/bind.html", {"visit": visit, "form": form, "dates": dates, "override": override,
                                              "refusals": refusals, "may_override": may_override})


@hall_staff_required
@require_GET
@never_cache
def bind_letter(request, visit_id):
    visit = selectors.visit_get_for_user(request.user, visit_id)
    if (state := _ready(request, visit)) is None:
        return redirect("hall:bind", visit_id=visit.pk)
    return render(request, "hall/bind_letter.html", _context(visit, state))


def _tablet(request, visit, *, key: str, signer, next_url: str, title: str):
    if (state := _ready(request, visit, signed=key == "spouse_signature")) is None:
        return redirect("hall:bind", visit_id=visit.pk)
    form = TabletSignatureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _save(request, visit, **{key: form.cleaned_data["signature"]})
        return redirect(next_url, visit_id=visit.pk)
    return render(request, "hall/tablet_sign.html", {**_context(visit, state), "form": form, "signer": signer,
                                                     "title": title, "elder_mode": True})


@hall_staff_required
@require_http_methods(["GET", "POST"])
@never_cache
def bind_sign(request, visit_id):
    """The citizen-facing tablet view (large type): the authorizer signs the letter shown."""
    visit = selectors.visit_get_for_user(request.user, visit_id)
    state = _state(request, visit)
    spouse = _context(visit, state)["spouse_present"] if state.get("member_id") else False
    return _tablet(request, visit, key="signature", signer=visit.citizen, title=_("Sign the commitment letter"),
                   next_url="hall:bind_sign_spouse" if spouse else "hall:bind_check")


@hall_staff_required
@require_http_methods(["GET", "POST"])
@never_cache
def bind_sign_spouse(request, visit_id):
    """The spouse, present and identified in the visit, signs their consent on the tablet."""
    visit = selectors.visit_get_for_user(request.user, visit_id)
    if not visit.companion_id:
        return redirect("hall:bind_check", visit_id=visit.pk)
    return _tablet(request, visit, key="spouse_signature", signer=visit.companion,
                   title=_("Agree to the binding as the spouse"), next_url="hall:bind_check")


def _data_url(value: str) -> tuple[bytes, str]:
    mime, _sep, encoded = value.removeprefix("data:").partition(";base64,")
    return base64.b64decode(encoded), mime


def _submit(request, visit, state, *, method: str, image: bytes, mime: str, spouse=None):
    try:
        binding = services.counter_bind(
            visit=visit, relation=state["relation"], member=InsuredPerson.objects.get(pk=state["member_id"]),
            signature_method=method, signature_image=image, signature_mime=mime,
            valid_from=_date(state.get("valid_from")), valid_until=_date(state.get("valid_until")),
            override_note=state.get("override_note", ""), spouse_signature=spouse)
    except BindingRefused as refused:
        refusal_log(refused.reasons, channel="hall", region=visit.hall.region_id)
        return refused.reasons
    except Refused as refused:
        refusal_log([refused.reason], channel="hall", region=visit.hall.region_id)
        return [refused.reason]
    request.session.pop(_key(visit), None)
    messages.success(request, _("The binding has been submitted."))
    return redirect("hall:receipt", visit_id=visit.pk, binding_id=binding.pk)


@hall_staff_required
@require_http_methods(["GET", "POST"])
@never_cache
def bind_check(request, visit_id):
    visit = selectors.visit_get_for_user(request.user, visit_id)
    if (state := _ready(request, visit, signed=True)) is None:
        return redirect("hall:bind", visit_id=visit.pk)
    refusals = []
    if request.method == "POST":
        spouse = _data_url(state["spouse_signature"]) if state.get("spouse_signature") else None
        done = _submit(request, visit, state, method="drawn", image=_data_url(state["signature"])[0],
                       mime="image/png", spouse=spouse)
        if not isinstance(done, list):
            return done
        refusals = done
    return render(request, "hall/bind_check.html", {**_context(visit, state), "refusals": refusals,
                                                    "method": "drawn"})


@hall_staff_required
@require_http_methods(["GET", "POST"])
@never_cache
def bind_scan(request, visit_id):
    """The printed letter, signed on paper, scanned and attached: the check-answers page of the paper way."""
    visit = selectors.visit_get_for_user(request.user, visit_id)
    if (state := _ready(request, visit)) is None:
        return redirect("hall:bind", visit_id=visit.pk)
    form = ScanForm(request.POST or None, request.FILES or None)
    refusals = []
    if request.method == "POST" and form.is_valid():
        image, mime = form.cleaned_data["scan"]
        done = _submit(request, visit, state, method="scanned", image=image, mime=mime)
        if not isinstance(done, list):
            return done
        refusals = done
    return render(request, "hall/bind_check.html", {**_context(visit, state), "refusals": refusals,
                                                    "method": "scanned", "form": form})


@hall_staff_required
@require_GET
@never_cache
def receipt(request, visit_id, binding_id):
    """The confirmation with the reference number, printable as the citizen's receipt (回执)."""
    visit = selectors.visit_get_for_user(request.user, visit_id)
    binding = selectors.visit_binding_get_for_user(request.user, visit, binding_id)
    return render(request, "hall/receipt.html", {"visit": visit, "binding": binding})
