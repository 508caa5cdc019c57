"""Reads of bindings. A spouse request past its consent deadline reads as expired even if no job ran."""

import datetime

from django.db.models import Case, CharField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.reasons import Reason
from registry.models import InsuredPerson, Relation
from registry.policy import NoPolicy, policy_in_force
from sharing import reasons
from sharing.models import Binding

S = Binding.Status


def _overdue(now: datetime.datetime) -> Q:
    return Q(status=S.AWAITING_CONSENT, consent_deadline__lte=now)


def effective_status(binding: Binding, now: datetime.datetime | None = None) -> str:
    """The status as it is now: an unanswered spouse request past its deadline is expired."""
    now = now or timezone.now()
    if binding.status == S.AWAITING_CONSENT and binding.consent_deadline and binding.consent_deadline <= now:
        return S.EXPIRED
    return binding.status


def with_effective_status(queryset: QuerySet, now: datetime.datetime | None = None) -> QuerySet:
    """Annotate `effective` (see effective_status) so lists can filter on it in SQL."""
    now = now or timezone.now()
    return queryset.annotate(effective=Case(When(_overdue(now), then=Value(S.EXPIRED)), default="status",
                                            output_field=CharField()))


def status_reason(binding: Binding, now: datetime.datetime | None = None):
    """The reason the authorizer sees for a binding that is not (yet) working, or None."""
    status = effective_status(binding, now)
    if status == S.AWAITING_CONSENT:
        return reasons.SPOUSE_CONSENT_PENDING
    if status == S.REFUSED:
        return reasons.SPOUSE_REFUSED
    if status == S.EXPIRED:
        return reasons.CONSENT_EXPIRED.with_detail(days=_consent_days(binding))
    if status == S.SUSPENDED:
        return binding_reason(reasons.ALL.get(binding.status_reason) or reasons.BINDING_SUSPENDED, binding, now)
    if status == S.ENDED and binding.status_reason != reasons.UNBOUND.code:
        # Ended by a rule (e.g. the member's enrollment ended): say which. Unbinding is no failure (None).
        found = reasons.ALL.get(binding.status_reason)
        return binding_reason(found, binding, now) if found else None
    return None


def binding_reason(reason: Reason, binding: Binding, now: datetime.datetime | None = None) -> Reason:
    """A catalogue reason about this binding with every placeholder filled in from the binding itself (a stored
    status code carries no details: the region, the policy, the dates and the status are read back here)."""
    names = reason.placeholders
    if not names:
        return reason
    authorizer, member = binding.authorizer, binding.member
    policy = None
    if names & {"policy", "allowed", "floor", "cap"}:
        try:
            policy = policy_in_force(authorizer.region, timezone.localdate())
        except NoPolicy:
            policy = None

    def from_policy(read):
        return read(policy) if policy is not None else "—"

    details = {
        "region": lambda: authorizer.region.name,
        "authorizer_region": lambda: authorizer.region.name,
        "member_region": lambda: member.region.name,
        "province": lambda: authorizer.region.province.name,
        "authorizer_province": lambda: authorizer.region.province.name,
        "member_province": lambda: member.region.province.name,
        "valid_from": lambda: binding.valid_from or "—",
        "valid_until": lambda: binding.valid_until or _("open-ended"),
        "days": lambda: _consent_days(binding),
        "status": lambda: Binding.Status(effective_status(binding, now)).label,
        "policy": lambda: from_policy(lambda p: p.title),
        "allowed": lambda: from_policy(lambda p: "、".join(str(Relation(r).label) for r in p.allowed_relations)),
        "floor": lambda: from_policy(lambda p: p.shared_floor),
        "cap": lambda: from_policy(lambda p: p.per_payment_cap),
    }
    return reason.with_detail(**{name: details[name]() if name in details else "—" for name in names})


def _consent_days(binding: Binding) -> int | str:
    """How many days the spouse had: deadline - signed, rounded; if that is not a positive number of days
    (a deadline moved by hand), the consent_expiry_days of the policy in force where and when it was signed."""
    if binding.consent_deadline and binding.signed_at:
        days = round((binding.consent_deadline - binding.signed_at).total_seconds() / 86400)
        if days >= 1:
            return days
    signed = timezone.localdate(binding.signed_at) if binding.signed_at else None
    try:
        return policy_in_force(binding.authorizer.region, on=signed).consent_expiry_days
    except NoPolicy:
        return "—"


def live_bindings_for_authorizer(person: InsuredPerson, now: datetime.datetime | None = None) -> QuerySet:
    """Pending, active and suspended bindings, without requests that are overdue."""
    now = now or timezone.now()
    return Binding.objects.filter(authorizer=person, status__in=Binding.LIVE).exclude(_overdue(now))


def active_bindings_for_member(person: InsuredPerson) -> QuerySet:
    """The bindings whose authorizers pay for `person`, earliest activated first (the paying order)."""
    return (Binding.objects.filter(member=person, status=S.ACTIVE)
            .select_related("authorizer__account", "authorizer__region__province")
            .order_by("activated_at", "created_at", "pk"))


def bindings_for_authorizer(person: InsuredPerson, status: str | None = None) -> QuerySet:
    """Every binding the person gave, newest first; `status` filters on the effective status."""
    qs = with_effective_status(Binding.objects.filter(authorizer=person)).select_related("member__region")
    if status:
        qs = qs.filter(effective=status)
    return qs.order_by("-created_at")


def bindings_for_member(person: InsuredPerson) -> QuerySet:
    """Who shares (or shared, or asks to share) with me: every binding where I am the member."""
    return (with_effective_status(Binding.objects.filter(member=person))
            .select_related("authorizer__region").order_by("-created_at"))


def consent_inbox(person: InsuredPerson) -> QuerySet:
    """Spouse requests waiting for this person's answer, still within their deadline."""
    return (Binding.objects.filter(member=person, status=S.AWAITING_CONSENT, consent_deadline__gt=timezone.now())
            .select_related("authorizer__region", "letter").order_by("consent_deadline"))


def inbox_count(person: InsuredPerson) -> int:
    return Binding.objects.filter(member=person, status=S.AWAITING_CONSENT,
                                  consent_deadline__gt=timezone.now()).count()


def binding_get_for_authorizer(user, binding_id) -> Binding:
    """The binding if this user gave it; 404 to everybody else."""
    return get_object_or_404(Binding.objects.select_related("member__region", "authorizer", "letter"),
                             pk=binding_id, authorizer_id=getattr(user, "person_id", None))


def binding_get_for_member(user, binding_id) -> Binding:
    """The binding if this user is its member; 404 to everybody else."""
    return get_object_or_404(Binding.objects.select_related("authorizer__region", "member", "letter"),
                             pk=binding_id, member_id=getattr(user, "person_id", None))
