"""Every change of a binding: atomic, audited, and told to both sides (SMS after commit).

Rules come from the one engine (sharing.eligibility.binding); the partial unique constraints on Binding
make ALREADY_BOUND and SECOND_SPOUSE hold even for two submissions racing each other.
"""

import datetime
import hashlib
import json
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from notifications.services import notify
from portal.reasons import Reason
from registry.models import InsuredPerson, Relation
from registry.policy import policy_in_force
from sharing import reasons
from sharing.eligibility.binding import DATE_ONLY_CODES, binding_findings, binding_still_holds
from sharing.models import Binding, CommitmentLetter
from sharing.selectors import effective_status

S = Binding.Status
# Reason codes person_reevaluate sets; only bindings suspended for one of these come back by themselves
# (an official's suspension for cause does not).
REGISTRY_CODES = {"AUTHORIZER_NOT_EMPLOYEE", "AUTHORIZER_NOT_ENROLLED", "MEMBER_NOT_ENROLLED",
                  "CROSS_REGION_NOT_ALLOWED", "CROSS_PROVINCE_NOT_ALLOWED"}
_REF_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone


class BindingRefused(Exception):
    """Carries every reason the request was refused."""

    def __init__(self, reasons: list[Reason]):
        super().__init__(", ".join(r.code for r in reasons))
        self.reasons = reasons


def current_letter() -> CommitmentLetter:
    return CommitmentLetter.objects.order_by("-version").first()


def new_reference(now: datetime.datetime | None = None) -> str:
    """GJ + date + 6 unambiguous characters, e.g. GJ20261124-7KQ2MX."""
    day = timezone.localtime(now or timezone.now()).strftime("%Y%m%d")
    return f"GJ{day}-" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(6))


def signed_payload(*, letter: CommitmentLetter, authorizer: InsuredPerson, member: InsuredPerson, relation: str,
                   valid_from=None, valid_until=None) -> str:
    """The exact text signed: the letter as shown, then the answers. Its SHA-256 is kept with the binding."""
    answers = {"letter_version": letter.version, "authorizer": authorizer.certno, "authorizer_name": authorizer.name,
               "member": member.certno, "member_name": member.name, "relation": relation,
               "valid_from": valid_from.isoformat() if valid_from else None,
               "valid_until": valid_until.isoformat() if valid_until else None}
    return f"{letter.title}\n\n{letter.body}\n\n" + json.dumps(answers, ensure_ascii=False, sort_keys=True)


def _snapshot(binding: Binding) -> dict:
    return {"status": binding.status, "status_reason": binding.status_reason, "reference": binding.reference}


def _relation_label(binding: Binding) -> str:
    return str(Relation(binding.relation).label)


def _tell_both(binding: Binding, *, authorizer_title: str, authorizer_body: str, member_title: str,
               member_body: str, member_link: str | None = None) -> None:
    records = reverse("sharing:binding_detail", args=[binding.pk])
    notify(person=binding.authorizer, title=authorizer_title, body=authorizer_body, link=records)
    notify(person=binding.member, title=member_title, body=member_body,
           link=member_link if member_link is not None else reverse("sharing:my_authorizers"))


@transaction.atomic
def binding_create(*, authorizer: InsuredPerson, relation: str, member: InsuredPerson | None, actor,
                   signature_method: str, signature_image: bytes | None = None, signature_mime: str = "",
                   typed_name: str = "", member_name: str = "", member_certno: str = "",
                   valid_from: datetime.date | None = None, valid_until: datetime.date | None = None,
                   letter: CommitmentLetter | None = None, channel: str = "online", staff=None, hall=None,
                   ip: str | None = None, user_agent: str = "") -> Binding:
    """Sign and submit: parent/child (and other relatives) are active at once; a spouse waits for consent."""
    now = timezone.now()
    # An unanswered request past its deadline no longer blocks a new one: record its expiry first.
    _expire(Binding.objects.filter(authorizer=authorizer, status=S.AWAITING_CONSENT, consent_deadline__lte=now), now)
    found = binding_findings(authorizer=authorizer, relation=relation, member=member, member_name=member_name,
                             member_certno=member_certno, valid_from=valid_from, valid_until=valid_until)
    if found:
        raise BindingRefused(found)
    letter = letter or current_letter()
    if signature_method == Binding.SignatureMethod.TYPED and typed_name.strip() != authorizer.name:
        raise ValueError("a typed signature must be the authorizer's registered name")
    if signature_method == Binding.SignatureMethod.DRAWN and not signature_image:
        raise ValueError("a drawn signature needs its image")
    policy = policy_in_force(authorizer.region)
    payload = signed_payload(letter=letter, authorizer=authorizer, member=member, relation=relation,
                             valid_from=valid_from, valid_until=valid_until)
    spouse = relation == Relation.SPOUSE
    binding = Binding(
        reference=new_reference(now), authorizer=authorizer, member=member, relation=relation,
        status=S.AWAITING_CONSENT if spouse else S.ACTIVE,
        valid_from=valid_from if policy.uses_validity_period else None,
        valid_until=valid_until if policy.uses_validity_period else None,
        letter=letter, letter_sha256=hashlib.sha256(payload.encode("utf-8")).hexdigest(),
        signature_method=signature_method, signature_image=signature_image, signature_mime=signature_mime,
        typed_name=typed_name.strip() if signature_method == Binding.SignatureMethod.TYPED else "",
        signed_at=now, signed_ip=ip, signed_user_agent=(user_agent or "")[:400], channel=channel, staff=staff,
        hall=hall or (staff.hall if staff is not None and staff.hall_id else None),
        consent_deadline=now + datetime.timedelta(days=policy.consent_expiry_days) if spouse else None,
        activated_at=None if spouse else now,
    )
    try:
        with transaction.atomic():
            binding.save(force_insert=True)
    except IntegrityError as exc:
        # Another submission won the race: the database constraint names which rule it broke.
        raise BindingRefused([reasons.SECOND_SPOUSE if "one_live_spouse_binding" in str(exc)
                              else reasons.ALREADY_BOUND]) from None
    audit_record(actor=actor, subject=binding, event="binding.created", after={
        **_snapshot(binding), "relation": relation, "member": member.masked_certno, "letter": letter.version,
        "letter_sha256": binding.letter_sha256, "signature_method": signature_method, "staff": staff and staff.pk,
    }, hall=binding.hall, channel=channel)
    label = _relation_label(binding)
    if spouse:
        has_account = hasattr(member, "user")
        _tell_both(
            binding,
            authorizer_title=_("Spouse binding sent"),
            authorizer_body=_("Your request %(ref)s to share your personal account with %(name)s is waiting for "
                              "their consent until %(deadline)s.") % {
                "ref": binding.reference, "name": member.name,
                "deadline": timezone.localtime(binding.consent_deadline).strftime("%Y-%m-%d %H:%M")},
            member_title=_("Your spouse asks to share their account with you"),
            member_body=(_("%(name)s asks to bind you as their spouse (%(ref)s). Log in and open the consent inbox "
                           "to agree or refuse.") if has_account else
                         _("%(name)s asks to bind you as their spouse (%(ref)s). Register on the portal to answer "
                           "in the consent inbox, or answer at a service hall with your ID card.")) % {
                "name": binding.authorizer.name, "ref": binding.reference},
            member_link=reverse("sharing:consent_inbox"),
        )
    else:
        _tell_both(
            binding,
            authorizer_title=_("Family sharing bound"),
            authorizer_body=_("%(name)s (%(relation)s) can now use your personal account. Reference %(ref)s.") % {
                "name": member.name, "relation": label, "ref": binding.reference},
            member_title=_("A family member shares their account with you"),
            member_body=_("%(name)s now shares their employee personal account with you (%(ref)s).") % {
                "name": binding.authorizer.name, "ref": binding.reference},
        )
    return binding


def _lock(binding: Binding) -> Binding:
    return Binding.objects.select_for_update(of=("self",)).select_related("authorizer__region", "member__region").get(
        pk=binding.pk)


def _changed(binding: Binding, now: datetime.datetime, **fields) -> None:
    for key, value in fields.items():
        setattr(binding, key, value)
    binding.save(update_fields=[*fields, "updated_at"])


def _state_changed(binding: Binding, now: datetime.datetime) -> BindingRefused:
    status = effective_status(binding, now)
    if status == S.EXPIRED and binding.status == S.AWAITING_CONSENT:
        _expire(Binding.objects.filter(pk=binding.pk), now)
        return BindingRefused([reasons.CONSENT_EXPIRED.with_detail(
            days=(binding.consent_deadline - binding.signed_at).days)])
    return BindingRefused([reasons.BINDING_STATE_CHANGED.with_detail(status=S(status).label)])


@transaction.atomic
def binding_consent(*, binding: Binding, agree: bool, actor, channel: str = "online", staff=None) -> Binding:
    """The spouse agrees (active) or refuses (refused). Late answers find the request expired."""
    now = timezone.now()
    locked = _lock(binding)
    if effective_status(locked, now) != S.AWAITING_CONSENT:
        raise _state_changed(locked, now)
    before = _snapshot(locked)
    if agree:
        broken = [r for r in binding_still_holds(locked) if r.code not in DATE_ONLY_CODES]
        if broken:
            _changed(locked, now, status=S.SUSPENDED, answered_at=now, activated_at=now, status_reason=broken[0].code)
        else:
            _changed(locked, now, status=S.ACTIVE, answered_at=now, activated_at=now)
    else:
        _changed(locked, now, status=S.REFUSED, answered_at=now, ended_at=now, status_reason="SPOUSE_REFUSED")
    audit_record(actor=staff or actor, subject=locked, event="binding.consented" if agree else "binding.refused",
                 before=before, after=_snapshot(locked), channel=channel, hall=staff.hall if staff else None)
    params = {"name": locked.member.name, "ref": locked.reference}
    if agree:
        _tell_both(locked, authorizer_title=_("Your spouse agreed"),
                   authorizer_body=_("%(name)s agreed to binding %(ref)s; sharing works now.") % params,
                   member_title=_("You agreed to the spouse binding"),
                   member_body=_("You agreed to binding %(ref)s; your spouse's personal account can now pay for "
                                 "you.") % params)
    else:
        _tell_both(locked, authorizer_title=_("Your spouse refused"),
                   authorizer_body=_("%(name)s refused binding %(ref)s.") % params,
                   member_title=_("You refused the spouse binding"),
                   member_body=_("You refused binding %(ref)s.") % params)
    return locked


@transaction.atomic
def binding_withdraw(*, binding: Binding, actor, channel: str = "online", staff=None) -> Binding:
    """The authorizer takes back a spouse request that has not been answered."""
    now = timezone.now()
    locked = _lock(binding)
    if effective_status(locked, now) != S.AWAITING_CONSENT:
        raise _state_changed(locked, now)
    before = _snapshot(locked)
    _changed(locked, now, status=S.WITHDRAWN, ended_at=now)
    audit_record(actor=staff or actor, subject=locked, event="binding.withdrawn", before=before,
                 after=_snapshot(locked), channel=channel, hall=staff.hall if staff else None)
    params = {"name": locked.authorizer.name, "ref": locked.reference}
    _tell_both(locked, authorizer_title=_("Spouse request withdrawn"),
               authorizer_body=_("You withdrew request %(ref)s.") % params,
               member_title=_("A spouse request was withdrawn"),
               member_body=_("%(name)s withdrew request %(ref)s; nothing for you to do.") % params)
    return locked


@transaction.atomic
def binding_unbind(*, binding: Binding, actor, staff=None, channel: str | None = None) -> Binding:
    """End an active (or suspended) binding, at once: by the authorizer, or by hall staff for them."""
    now = timezone.now()
    locked = _lock(binding)
    if locked.status not in (S.ACTIVE, S.SUSPENDED):
        raise _state_changed(locked, now)
    channel = channel or (Binding.Channel.HALL if staff else Binding.Channel.ONLINE)
    before = _snapshot(locked)
    _changed(locked, now, status=S.ENDED, ended_at=now, status_reason=reasons.UNBOUND.code)
    audit_record(actor=staff or actor, subject=locked, event="binding.unbound", before=before,
                 after=_snapshot(locked), channel=channel, hall=staff.hall if staff else None)
    params = {"name": locked.member.name, "authorizer": locked.authorizer.name, "ref": locked.reference}
    _tell_both(locked, authorizer_title=_("Family sharing ended"),
               authorizer_body=_("Binding %(ref)s with %(name)s has ended; your account no longer pays for them.")
               % params,
               member_title=_("Family sharing ended"),
               member_body=_("%(authorizer)s ended binding %(ref)s; their account no longer pays for you.") % params)
    return locked


def _expire(queryset, now: datetime.datetime) -> int:
    count = 0
    for binding in queryset.select_for_update(skip_locked=True, of=("self",)).select_related("authorizer", "member"):
        if effective_status(binding, now) != S.EXPIRED or binding.status != S.AWAITING_CONSENT:
            continue
        before = _snapshot(binding)
        _changed(binding, now, status=S.EXPIRED, ended_at=binding.consent_deadline, status_reason="CONSENT_EXPIRED")
        audit_record(actor=None, subject=binding, event="binding.expired", before=before, after=_snapshot(binding))
        params = {"name": binding.member.name, "ref": binding.reference}
        _tell_both(binding, authorizer_title=_("Spouse request expired"),
                   authorizer_body=_("%(name)s did not answer request %(ref)s in time; it has expired. You may "
                                     "bind again.") % params,
                   member_title=_("A spouse request expired"),
                   member_body=_("Request %(ref)s expired without an answer.") % params)
        count += 1
    return count


@transaction.atomic
def bindings_expire_due(now: datetime.datetime | None = None) -> int:
    """Record the expiry of every spouse request past its deadline. Safe to run any time, any number of times
    (the pages already show such requests as expired; this makes the records and messages follow)."""
    now = now or timezone.now()
    return _expire(Binding.objects.filter(status=S.AWAITING_CONSENT, consent_deadline__lte=now), now)


@transaction.atomic
def person_reevaluate(*, person: InsuredPerson, actor=None) -> list[Binding]:
    """After a registry change: suspend (or end, as the policy says) the person's bindings that broke, and bring
    back suspended ones whose rules hold again. Returns the bindings that changed."""
    now = timezone.now()
    changed = []
    bindings = Binding.objects.select_for_update(of=("self",)).filter(
        Q(authorizer=person) | Q(member=person), status__in=[S.ACTIVE, S.SUSPENDED]).order_by("created_at")
    for binding in bindings.select_related("authorizer__region__province", "member__region__province"):
        broken = [r for r in binding_still_holds(binding) if r.code not in DATE_ONLY_CODES]
        before = _snapshot(binding)
        params = {"ref": binding.reference, "authorizer": binding.authorizer.name, "name": binding.member.name}
        if broken and binding.status == S.ACTIVE:
            policy = policy_in_force(binding.authorizer.region)
            end = policy.on_registry_break == policy.OnBreak.END
            if end:
                _changed(binding, now, status=S.ENDED, ended_at=now, status_reason=broken[0].code)
            else:
                _changed(binding, now, status=S.SUSPENDED, status_reason=broken[0].code)
            event = "binding.ended_by_registry" if end else "binding.suspended"
            title = _("Family sharing ended") if end else _("Family sharing suspended")
            body = str(broken[0].message)
            _tell_both(binding, authorizer_title=title,
                       authorizer_body=_("Binding %(ref)s with %(name)s: ") % params + body,
                       member_title=title, member_body=_("Binding %(ref)s from %(authorizer)s: ") % params + body)
        elif not broken and binding.status == S.SUSPENDED and binding.status_reason in REGISTRY_CODES:
            _changed(binding, now, status=S.ACTIVE, status_reason="")
            event = "binding.resumed"
            _tell_both(binding, authorizer_title=_("Family sharing works again"),
                       authorizer_body=_("Binding %(ref)s with %(name)s works again.") % params,
                       member_title=_("Family sharing works again"),
                       member_body=_("Binding %(ref)s from %(authorizer)s works again.") % params)
        else:
            continue
        audit_record(actor=actor, subject=binding, event=event, before=before, after=_snapshot(binding))
        changed.append(binding)
    return changed


# An official's suspension for cause: only an official lifts it (person_reevaluate leaves it alone).
OFFICIAL_SUSPENSION = reasons.OFFICIAL_SUSPENSION.code  # the catalogue is the one definition


@transaction.atomic
def binding_suspend(*, binding: Binding, actor, cause: str) -> Binding:
    """An official suspends an active binding for cause (it stops paying at once); a binding already suspended
    because of the registry becomes suspended for cause, so the registry coming right does not bring it back."""
    now = timezone.now()
    locked = _lock(binding)
    if locked.status not in (S.ACTIVE, S.SUSPENDED) or locked.status_reason == OFFICIAL_SUSPENSION:
        raise _state_changed(locked, now)
    before = _snapshot(locked)
    _changed(locked, now, status=S.SUSPENDED, status_reason=OFFICIAL_SUSPENSION)
    audit_record(actor=actor, subject=locked, event="binding.suspended_by_official", before=before,
                 after={**_snapshot(locked), "cause": cause.strip()}, channel="admin")
    params = {"ref": locked.reference, "authorizer": locked.authorizer.name, "name": locked.member.name}
    _tell_both(locked, authorizer_title=_("Family sharing suspended"),
               authorizer_body=_("The medical insurance office suspended binding %(ref)s with %(name)s; your account "
                                 "does not pay for them meanwhile. The service hall of your pooling region can tell "
                                 "you more.") % params,
               member_title=_("Family sharing suspended"),
               member_body=_("The medical insurance office suspended binding %(ref)s from %(authorizer)s; their "
                             "account does not pay for you meanwhile.") % params)
    return locked


@transaction.atomic
def binding_lift_suspension(*, binding: Binding, actor) -> Binding:
    """An official lifts their suspension. The rules are checked again, as person_reevaluate would: if one no longer
    holds, the binding stays suspended for that reason (back by itself once it holds again), or ends where the
    policy ends bindings on a registry break."""
    now = timezone.now()
    locked = _lock(binding)
    if locked.status != S.SUSPENDED or locked.status_reason != OFFICIAL_SUSPENSION:
        raise _state_changed(locked, now)
    before = _snapshot(locked)
    broken = [r for r in binding_still_holds(locked) if r.code not in DATE_ONLY_CODES]
    policy = policy_in_force(locked.authorizer.region)
    end = bool(broken) and policy.on_registry_break == policy.OnBreak.END
    if end:
        _changed(locked, now, status=S.ENDED, ended_at=now, status_reason=broken[0].code)
    elif broken:
        _changed(locked, now, status_reason=broken[0].code)
    else:
        _changed(locked, now, status=S.ACTIVE, status_reason="")
    audit_record(actor=actor, subject=locked, event="binding.suspension_lifted", before=before,
                 after=_snapshot(locked), channel="admin")
    params = {"ref": locked.reference, "authorizer": locked.authorizer.name, "name": locked.member.name}
    if broken:
        title = _("Family sharing ended") if end else _("Family sharing still suspended")
        body = str(broken[0].message)
        _tell_both(locked, authorizer_title=title, authorizer_body=_("Binding %(ref)s with %(name)s: ") % params + body,
                   member_title=title, member_body=_("Binding %(ref)s from %(authorizer)s: ") % params + body)
    else:
        _tell_both(locked, authorizer_title=_("Family sharing works again"),
                   authorizer_body=_("Binding %(ref)s with %(name)s works again.") % params,
                   member_title=_("Family sharing works again"),
                   member_body=_("Binding %(ref)s from %(authorizer)s works again.") % params)
    return locked
