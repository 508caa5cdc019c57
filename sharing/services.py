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

from audit.services import audit_record
from notifications.messages import message as _  # texts of in-site messages, rendered when read
from registry import idnumber
from registry.models import InsuredPerson, Relation
from registry.policy import policy_in_force
from sharing import reasons
from sharing.changes import (
    BindingRefused,
    _changed,
    _end_past_validity,
    _expire,
    _lock,
    _relation_label,
    _snapshot,
    _state_changed,
    _tell_both,
)
from sharing.eligibility.binding import DATE_ONLY_CODES, binding_findings, binding_still_holds, constraint_findings
from sharing.models import Binding, CommitmentLetter
from sharing.selectors import effective_status

S = Binding.Status


_REF_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone


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


@transaction.atomic
def binding_create(*, authorizer: InsuredPerson, relation: str, member: InsuredPerson | None, actor,
                   signature_method: str, signature_image: bytes | None = None, signature_mime: str = "",
                   typed_name: str = "", member_name: str = "", member_certno: str = "",
                   valid_from: datetime.date | None = None, valid_until: datetime.date | None = None,
                   letter: CommitmentLetter | None = None, channel: str = "online", staff=None, hall=None,
                   ip: str | None = None, user_agent: str = "", signed_text: str | None = None,
                   override=None) -> Binding:
    """Sign and submit: parent/child (and other relatives) are active at once; a spouse waits for consent.

    `signed_text` is the text signed when it covers more than this binding (bindings_create_many); `override` is
    hall staff's documents-checked confirmation of a relationship (sharing.counter)."""
    now = timezone.now()
    # An unanswered request past its deadline no longer blocks a new one (for either person, as SECOND_SPOUSE looks
    # both ways): record its expiry first.
    people = [authorizer.pk] + ([member.pk] if member is not None else [])
    _expire(Binding.objects.filter(Q(authorizer_id__in=people) | Q(member_id__in=people), status=S.AWAITING_CONSENT,
                                   consent_deadline__lte=now), now)
    # Nor does a binding whose validity period is over: record its end, and the pair may bind again.
    _end_past_validity(Binding.objects.filter(authorizer=authorizer), now)
    found = binding_findings(authorizer=authorizer, relation=relation, member=member, member_name=member_name,
                             member_certno=member_certno, valid_from=valid_from, valid_until=valid_until)
    override = override if override is not None and override.applies_to(found) else None  # sharing.counter
    if found and override is None:
        raise BindingRefused(found)
    letter = letter or current_letter()
    if signature_method == Binding.SignatureMethod.TYPED and not idnumber.same_name(typed_name, authorizer.name):
        raise ValueError("a typed signature must be the authorizer's registered name")
    if signature_method in (Binding.SignatureMethod.DRAWN, Binding.SignatureMethod.SCANNED) and not signature_image:
        raise ValueError("a drawn or scanned signature needs its image")
    policy = policy_in_force(authorizer.region)
    payload = signed_text or signed_payload(letter=letter, authorizer=authorizer, member=member, relation=relation,
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
        activated_at=None if spouse else now, **(override.fields() if override else {}),
        signature_sha256=hashlib.sha256(signature_image).hexdigest() if signature_image else "",
        bound_authorizer_region_id=authorizer.region_id, bound_authorizer_insutype=authorizer.insutype,
        bound_member_region_id=member.region_id, bound_member_insutype=member.insutype,
    )
    try:
        with transaction.atomic():
            binding.save(force_insert=True)
    except IntegrityError as exc:
        # Another submission won the race: the database constraint names which rule it broke.
        raise BindingRefused(constraint_findings(str(exc))) from None
    audit_record(actor=actor, subject=binding, event="binding.created", after={
        **_snapshot(binding), "relation": relation, "member": member.masked_certno, "letter": letter.version,
        "letter_sha256": binding.letter_sha256, "signature_method": signature_method, "staff": staff and staff.pk,
        **({"override_document": override.document, "override_note": override.note} if override else {}),
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
    if effective_status(locked, now) not in (S.ACTIVE, S.SUSPENDED):
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


@transaction.atomic
def binding_end_by_member(*, binding: Binding, actor) -> Binding:
    """The member ends an active (or suspended) binding, at once (the 2026 notice: both sides set bindings up and
    end them voluntarily). The authorizer is told."""
    now = timezone.now()
    locked = _lock(binding)
    if effective_status(locked, now) not in (S.ACTIVE, S.SUSPENDED):
        raise _state_changed(locked, now)
    before = _snapshot(locked)
    _changed(locked, now, status=S.ENDED, ended_at=now, status_reason=reasons.ENDED_BY_MEMBER.code)
    audit_record(actor=actor, subject=locked, event="binding.ended_by_member", before=before,
                 after=_snapshot(locked), channel=Binding.Channel.ONLINE)
    params = {"name": locked.member.name, "authorizer": locked.authorizer.name, "ref": locked.reference}
    _tell_both(locked, authorizer_title=_("Family sharing ended"),
               authorizer_body=_("%(name)s ended binding %(ref)s; your account no longer pays for them.") % params,
               member_title=_("Family sharing ended"),
               member_body=_("You ended binding %(ref)s; the account of %(authorizer)s no longer pays for you.")
               % params)
    return locked
