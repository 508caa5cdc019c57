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
from core.reasons import Reason
from notifications.services import notify
from registry import idnumber
from registry.models import InsuredPerson, Relation
from registry.policy import policy_in_force
from sharing import reasons
from sharing.eligibility.binding import DATE_ONLY_CODES, binding_findings, binding_still_holds
from sharing.eligibility.life import SUSPENSION_CODES, binding_review
from sharing.models import Binding, CommitmentLetter
from sharing.selectors import effective_status

S = Binding.Status
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
                   ip: str | None = None, user_agent: str = "", signed_text: str | None = None) -> Binding:
    """Sign and submit: parent/child (and other relatives) are active at once; a spouse waits for consent.

    `signed_text` is the text signed when it covers more than this binding (bindings_create_many)."""
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
    if found:
        raise BindingRefused(found)
    letter = letter or current_letter()
    if signature_method == Binding.SignatureMethod.TYPED and not idnumber.same_name(typed_name, authorizer.name):
        raise ValueError("a typed signature must be the authorizer's registered name")
    if signature_method == Binding.SignatureMethod.DRAWN and not signature_image:
        raise ValueError("a drawn signature needs its image")
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
        activated_at=None if spouse else now,
        bound_authorizer_region_id=authorizer.region_id, bound_authorizer_insutype=authorizer.insutype,
        bound_member_region_id=member.region_id, bound_member_insutype=member.insutype,
    )
    try:
        with transaction.atomic():
            binding.save(force_insert=True)
    except IntegrityError as exc:
        # Another submission won the race: the database constraint names which rule it broke.
        spouse_rule = "one_live_spouse_binding" in str(exc) or "one_live_spouse_per_person" in str(exc)
        raise BindingRefused([reasons.SECOND_SPOUSE if spouse_rule else reasons.ALREADY_BOUND]) from None
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
    if effective_status(locked, now) not in (S.ACTIVE, S.SUSPENDED):
        raise _state_changed(locked, now)
    channel = channel or (Binding.Channel.HALL if staff else Binding.Channel.ONLINE)
    before = _snapshot(locked)
    _changed(locked, now, status=S.ENDED, ended_at=now, status_reason="UNBOUND")
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


def _tell_rule(binding: Binding, title: str, reason: Reason) -> None:
    params = {"ref": binding.reference, "authorizer": binding.authorizer.name, "name": binding.member.name}
    body = str(reason.message)
    _tell_both(binding, authorizer_title=title, authorizer_body=_("Binding %(ref)s with %(name)s: ") % params + body,
               member_title=title, member_body=_("Binding %(ref)s from %(authorizer)s: ") % params + body)


def _reevaluate(binding: Binding, now: datetime.datetime, actor=None, on: datetime.date | None = None) -> bool:
    """Apply what the engine says of a locked active or suspended binding (sharing.eligibility.life); True if it
    changed. An official's suspension for cause is left alone unless the binding ends by itself."""
    review = binding_review(binding, on)
    before = _snapshot(binding)
    params = {"ref": binding.reference, "authorizer": binding.authorizer.name, "name": binding.member.name}
    by_rule = binding.status == S.ACTIVE or binding.status_reason in SUSPENSION_CODES
    if review.ends is not None:
        _changed(binding, now, status=S.ENDED, ended_at=now, status_reason=review.ends.code)
        event = "binding.ended_by_rule"
        _tell_rule(binding, _("Family sharing ended"), review.ends)
    elif review.broken and binding.status == S.ACTIVE:
        reason = review.broken[0]
        if review.end_on_break:
            _changed(binding, now, status=S.ENDED, ended_at=now, status_reason=reason.code)
        else:
            _changed(binding, now, status=S.SUSPENDED, status_reason=reason.code)
        event = "binding.ended_by_registry" if review.end_on_break else "binding.suspended"
        _tell_rule(binding, _("Family sharing ended") if review.end_on_break else _("Family sharing suspended"),
                   reason)
    elif review.broken and by_rule and review.suspension_reason(binding.status_reason).code != binding.status_reason:
        # Still suspended, but for another rule now: show the one broken now.
        reason = review.suspension_reason(binding.status_reason)
        _changed(binding, now, status_reason=reason.code)
        event = "binding.suspension_reason_changed"
        _tell_rule(binding, _("Family sharing still suspended"), reason)
    elif not review.broken and binding.status == S.SUSPENDED and by_rule:
        _changed(binding, now, status=S.ACTIVE, status_reason="")
        event = "binding.resumed"
        _tell_both(binding, authorizer_title=_("Family sharing works again"),
                   authorizer_body=_("Binding %(ref)s with %(name)s works again.") % params,
                   member_title=_("Family sharing works again"),
                   member_body=_("Binding %(ref)s from %(authorizer)s works again.") % params)
    else:
        return False
    audit_record(actor=actor, subject=binding, event=event, before=before, after=_snapshot(binding))
    return True


def _live_for_review():
    return (Binding.objects.select_for_update(of=("self",)).filter(status__in=[S.ACTIVE, S.SUSPENDED])
            .select_related("authorizer__region__province", "member__region__province").order_by("created_at"))


@transaction.atomic
def person_reevaluate(*, person: InsuredPerson, actor=None) -> list[Binding]:
    """After a registry change: end, suspend or bring back the person's bindings as the engine says (every rule
    against the policy in force; see sharing.eligibility.life). Returns the bindings that changed."""
    now = timezone.now()
    return [b for b in _live_for_review().filter(Q(authorizer=person) | Q(member=person)) if _reevaluate(b, now, actor)]


REEVALUATE_CHUNK = 500


def bindings_reevaluate(*, on: datetime.date | None = None, actor=None) -> list[Binding]:
    """After a policy change or a change of date: the same for every active or suspended binding (validity periods
    that are over end, a policy version now in force applies). Safe to run any time, any number of times.

    One transaction per chunk of bindings, so that settlements (which lock bindings too) never wait long."""
    now = timezone.now()
    ids = list(Binding.objects.filter(status__in=[S.ACTIVE, S.SUSPENDED]).order_by("created_at")
               .values_list("pk", flat=True))
    changed = []
    for start in range(0, len(ids), REEVALUATE_CHUNK):
        with transaction.atomic():
            chunk = _live_for_review().filter(pk__in=ids[start:start + REEVALUATE_CHUNK])
            changed += [b for b in chunk if _reevaluate(b, now, actor, on)]
    return changed


def _end_past_validity(queryset, now: datetime.datetime) -> int:
    """Record the end of bindings whose signed validity period is over (pages already show them as ended)."""
    today = timezone.localdate(now)
    due = queryset.filter(status__in=[S.ACTIVE, S.SUSPENDED], valid_until__lt=today)
    count = 0
    for binding in due.select_for_update(of=("self",)).select_related("authorizer__region__province",
                                                                       "member__region__province"):
        count += _reevaluate(binding, now)
    return count


# An official's suspension for cause: only an official lifts it (person_reevaluate leaves it alone).
OFFICIAL_SUSPENSION = "OFFICIAL_SUSPENSION"


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
    review = binding_review(locked)
    ending = review.ends or (review.broken[0] if review.broken and review.end_on_break else None)
    if ending is not None:
        _changed(locked, now, status=S.ENDED, ended_at=now, status_reason=ending.code)
    elif review.broken:
        _changed(locked, now, status_reason=review.broken[0].code)
    else:
        _changed(locked, now, status=S.ACTIVE, status_reason="")
    audit_record(actor=actor, subject=locked, event="binding.suspension_lifted", before=before,
                 after=_snapshot(locked), channel="admin")
    params = {"ref": locked.reference, "authorizer": locked.authorizer.name, "name": locked.member.name}
    if ending is not None:
        _tell_rule(locked, _("Family sharing ended"), ending)
    elif review.broken:
        _tell_rule(locked, _("Family sharing still suspended"), review.broken[0])
    else:
        _tell_both(locked, authorizer_title=_("Family sharing works again"),
                   authorizer_body=_("Binding %(ref)s with %(name)s works again.") % params,
                   member_title=_("Family sharing works again"),
                   member_body=_("Binding %(ref)s from %(authorizer)s works again.") % params)
    return locked
