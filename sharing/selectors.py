"""Reads of bindings. A spouse request past its consent deadline reads as expired even if no job ran."""

import datetime
import uuid

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.compiled import compiled
from core.reasons import Reason
from registry.models import InsuredPerson, Relation
from registry.policy import NoPolicy, policy_in_force
from sharing import reasons
from sharing.eligibility.binding import binding_still_holds
from sharing.eligibility.life import validity_over
from sharing.models import Binding, live_q, overdue_q, validity_over_q

S = Binding.Status


def effective_status(binding: Binding, now: datetime.datetime | None = None) -> str:
    """The status as it is now: an unanswered spouse request past its deadline is expired, and a binding past the
    end of its validity period is ended (re-evaluation records both; pages need not wait for it)."""
    now = now or timezone.now()
    if binding.status == S.AWAITING_CONSENT and binding.consent_deadline and binding.consent_deadline <= now:
        return S.EXPIRED
    if (binding.status in (S.ACTIVE, S.SUSPENDED) and binding.valid_until
            and binding.valid_until < timezone.localdate(now)):
        return S.ENDED
    return binding.status


def with_effective_status(queryset: QuerySet, now: datetime.datetime | None = None) -> QuerySet:
    """Annotate `effective` (see effective_status) so lists can filter on it in SQL."""
    now = now or timezone.now()
    return queryset.annotate(effective=Case(When(overdue_q(now), then=Value(S.EXPIRED)),
                                            When(validity_over_q(now), then=Value(S.ENDED)), default="status",
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
        return _detailed(reasons.ALL.get(binding.status_reason) or reasons.BINDING_SUSPENDED, binding, now)
    if status == S.ENDED and binding.status_reason != reasons.UNBOUND.code:
        # Ended by a rule (e.g. the member's enrollment ended): say which. Unbinding is no failure (None).
        if binding.status != S.ENDED or binding.status_reason == "OUTSIDE_VALIDITY":
            # The engine's verdict; a binding ended on its last day reads the same (the stored reason, its dates).
            return validity_over(binding, timezone.localdate()) or reasons.OUTSIDE_VALIDITY.with_detail(
                valid_from=binding.valid_from or "—", valid_until=binding.valid_until or _("open-ended"))
        return _detailed(reasons.ALL.get(binding.status_reason), binding, now)
    return None


def _detailed(reason, binding: Binding, now: datetime.datetime | None = None):
    """A stored code's reason with its placeholders filled (never a raw %(region)s): for a suspended binding, as the
    engine finds that rule broken now; otherwise from the binding itself (binding_reason)."""
    if reason is None or not reason.placeholders:
        return reason
    if binding.status == S.SUSPENDED and binding.authorizer_id:
        found = next((r for r in binding_still_holds(binding) if r.code == reason.code), None)
        if found is not None and not found.placeholders:
            return found
    return binding_reason(reason, binding, now)


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
    """Pending, active and suspended bindings, without requests that are overdue or bindings whose validity period
    is over."""
    now = now or timezone.now()
    return Binding.objects.filter(live_q(now), authorizer=person)


def active_bindings_for_member(person: InsuredPerson) -> QuerySet:
    """The bindings whose authorizers pay for `person`, in the paying order (the member's order, then earliest
    activated first; the engine's payment_order sorts the same way)."""
    return (Binding.objects.filter(member=person, status=S.ACTIVE)
            .select_related("authorizer__account", "authorizer__region__province")
            .order_by(F("payment_priority").asc(nulls_last=True), "activated_at", "created_at", "pk"))


def bindings_for_authorizer(person: InsuredPerson | uuid.UUID, status: str | None = None, *,
                            now: datetime.datetime | None = None) -> QuerySet:
    """Every binding the person gave, newest first; `status` filters on the effective status."""
    qs = with_effective_status(Binding.objects.filter(authorizer=person), now).select_related("member__region")
    if status:
        qs = qs.filter(effective=status)
    return qs.order_by("-created_at")


# Placeholders of the queries compiled once per process (core.compiled); no row or clock can have them.
_PERSON = uuid.UUID("0e0e0e0e-5e1e-4c70-8a11-000000000003")
_NOW = datetime.datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=datetime.UTC)
_given: dict = {}  # status filter -> compiled bindings_for_authorizer


def bindings_given(person: InsuredPerson, status: str | None = None) -> list[Binding]:
    """list(bindings_for_authorizer(person, status)), its SQL compiled once per process and status filter."""
    if status not in _given:
        _given[status] = compiled(lambda person_id, now: bindings_for_authorizer(person_id, status, now=now),
                                  person_id=_PERSON, now=_NOW,
                                  derived={"today": lambda values: timezone.localdate(values["now"])})
    return _given[status](person_id=person.pk, now=timezone.now())


def bindings_for_member(person: InsuredPerson) -> QuerySet:
    """Who shares (or shared, or asks to share) with me: every binding where I am the member."""
    return (with_effective_status(Binding.objects.filter(member=person))
            .select_related("authorizer__region").order_by("-created_at"))


def awaiting_answer(person_id: int, *, now=None) -> QuerySet:
    """Spouse requests waiting for this person's answer, still within their deadline (the consent inbox's one
    condition, also counted in the navigation). `now` defaults to the current time."""
    return Binding.objects.filter(member_id=person_id, status=S.AWAITING_CONSENT,
                                  consent_deadline__gt=now if now is not None else timezone.now())


def consent_inbox(person: InsuredPerson) -> QuerySet:
    """The consent inbox: the requests of awaiting_answer, soonest deadline first."""
    return awaiting_answer(person.pk).select_related("authorizer__region", "letter").order_by("consent_deadline")


def binding_get_for_user(user, binding_id, *, as_member: bool = False) -> Binding:
    """The binding if this user gave it (or, with `as_member`, is its member); 404 to everybody else."""
    side = "member_id" if as_member else "authorizer_id"
    return get_object_or_404(Binding.objects.select_related("member__region", "authorizer__region", "letter"),
                             pk=binding_id, **{side: getattr(user, "person_id", None)})


def member_of_suspended_binding(person: InsuredPerson) -> bool:
    """The person is the member of a suspended binding (the paying rules' BINDING_SUSPENDED note)."""
    return Binding.objects.filter(member=person, status=S.SUSPENDED).exists()


def has_active_binding(*, authorizer: InsuredPerson, member: InsuredPerson, relation: str | None = None) -> bool:
    """`authorizer` shares with `member` now (as `relation`, if given) through a signed, active binding."""
    qs = Binding.objects.filter(authorizer=authorizer, member=member, status=S.ACTIVE)
    return (qs.filter(relation=relation) if relation else qs).exists()


def latest_binding(*, authorizer: InsuredPerson, member: InsuredPerson) -> Binding | None:
    """The pair's live binding, else their newest one of any status."""
    qs = Binding.objects.filter(authorizer=authorizer, member=member).select_related(
        "authorizer__region__province", "member__region__province")
    return qs.filter(status__in=Binding.LIVE).first() or qs.order_by("-created_at").first()


def members_ever_bound(person: InsuredPerson) -> list[InsuredPerson]:
    """Everyone `person` has bound or tried to bind (any status: ended bindings keep their payments), first bound
    first, each once."""
    seen = {}
    for binding in Binding.objects.filter(authorizer=person).select_related("member__region").order_by("created_at"):
        seen.setdefault(binding.member_id, binding.member)
    return list(seen.values())


def _people_named(pairs) -> list[tuple]:
    seen = {}
    for person_id, name in pairs:
        seen.setdefault(person_id, name)
    return list(seen.items())


_EVER_ORDER = ("created_at", "id")  # binding order: whoever was bound first comes first


def _bound_ever(person_id, side: str) -> tuple[QuerySet, str]:
    """Every binding in which the person is `side` ("authorizer" or "member"), ended ones too, and the other side."""
    return Binding.objects.filter(**{f"{side}_id": person_id}), "member" if side == "authorizer" else "authorizer"


def _people_ever_query(person_id, side: str):
    bindings, other = _bound_ever(person_id, side)
    return bindings.order_by(*_EVER_ORDER).values_list(f"{other}_id", f"{other}__name")


def members_ever_bound_names_query(person_id):
    return _people_ever_query(person_id, "authorizer")


def authorizers_ever_names_query(person_id):
    return _people_ever_query(person_id, "member")


def people_ever_named_query(person_id, *, side: str):
    """members_ever_bound_names (side "authorizer": the people this person bound) or authorizers_ever_names (side
    "member") as one row of two arrays, ids and names in binding order — no row when there is nobody: for a caller
    that reads it beside other queries in one statement (spending.reads.first_shown)."""
    bindings, other = _bound_ever(person_id, side)
    return (bindings.order_by().values(f"{side}_id")
            .annotate(ids=ArrayAgg(f"{other}_id", order_by=_EVER_ORDER),
                      names=ArrayAgg(f"{other}__name", order_by=_EVER_ORDER))
            .values_list("ids", "names"))


def people_named(ids, names) -> list[tuple]:
    """people_ever_named_query's row as members_ever_bound_names gives it."""
    return _people_named(zip(ids or (), names or (), strict=True))


_members_names = compiled(members_ever_bound_names_query, person_id=_PERSON)
_authorizers_names = compiled(authorizers_ever_names_query, person_id=_PERSON)


def members_ever_bound_names(person: InsuredPerson) -> list[tuple]:
    """members_ever_bound as (id, name) pairs, read without building a binding per row (the spending filters);
    the SQL compiled once per process."""
    return _people_named(_members_names(person_id=person.pk))


def authorizers_ever_names(person: InsuredPerson) -> list[tuple]:
    """authorizers_ever as (id, name) pairs."""
    return _people_named(_authorizers_names(person_id=person.pk))


def authorizers_ever(person: InsuredPerson) -> list[InsuredPerson]:
    """Everyone who has bound or tried to bind `person`, first first, each once."""
    seen = {}
    for binding in Binding.objects.filter(member=person).select_related("authorizer__region").order_by("created_at"):
        seen.setdefault(binding.authorizer_id, binding.authorizer)
    return list(seen.values())


def binding_get_for_people(person_ids, binding_id) -> Binding:
    """The binding if one of these people gave or received it (a hall visit's citizen and relative); 404 else."""
    return get_object_or_404(Binding.objects.select_related("member__region", "authorizer__region", "letter")
                             .filter(Q(authorizer_id__in=person_ids) | Q(member_id__in=person_ids)), pk=binding_id)


# --- aggregates for officials' statistics (counts only, computed in SQL) --------------------------------------


def _in_regions(queryset: QuerySet, regions: list[str] | None) -> QuerySet:
    return queryset if regions is None else queryset.filter(authorizer__region__in=regions)


def binding_counts(regions: list[str] | None) -> list[dict]:
    """Bindings by the authorizer's pooling region, status and relationship: dicts of region, status, relation, n."""
    from django.db.models import Count, F

    queryset = with_effective_status(_in_regions(Binding.objects.order_by(), regions))  # overdue = expired
    return list(queryset.annotate(region=F("authorizer__region")).values("region", "effective", "relation")
                .annotate(n=Count("id")).values("region", "relation", "n", status=F("effective"))
                .order_by("region", "status"))


def binding_months_by_region() -> list[dict]:
    """New bindings (by signing time) and endings (by end time) per month and authorizer's region, all time:
    dicts of month (aware, current time zone), region, kind ("new" or "ended") and n."""
    from django.db.models import Count, F
    from django.db.models.functions import TruncMonth

    rows = []
    for kind, field in (("new", "signed_at"), ("ended", "ended_at")):
        found = (Binding.objects.order_by().filter(**{f"{field}__isnull": False})
                 .annotate(month=TruncMonth(field), region=F("authorizer__region")).values("month", "region")
                 .annotate(n=Count("id")))
        rows.extend({**r, "kind": kind} for r in found)
    return rows


def binding_references(binding_ids) -> dict[str, str]:
    """{binding id (text): GJ reference} for the given ids (the audit viewer's label of older rows)."""
    ids = []
    for value in binding_ids:
        try:
            ids.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return {str(pk): ref for pk, ref in Binding.objects.filter(pk__in=ids).values_list("pk", "reference")}
