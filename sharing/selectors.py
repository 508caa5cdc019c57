"""Reads of bindings. A spouse request past its consent deadline reads as expired even if no job ran."""

import datetime

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from registry.models import InsuredPerson
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
        return reasons.ALL.get(binding.status_reason) or reasons.BINDING_SUSPENDED
    if status == S.ENDED:
        # Ended by a rule (e.g. the member's enrollment ended): say which. Unbinding is no failure (None).
        return reasons.ALL.get(binding.status_reason)
    return None


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
    """The bindings whose authorizers pay for `person`, in the paying order (the member's order, then earliest
    activated first; the engine's payment_order sorts the same way)."""
    return (Binding.objects.filter(member=person, status=S.ACTIVE)
            .select_related("authorizer__account", "authorizer__region__province")
            .order_by(F("payment_priority").asc(nulls_last=True), "activated_at", "created_at", "pk"))


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
