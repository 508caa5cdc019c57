"""Who may share with whom: the rules of rules.md as functions over the registry and the policy in force.

Every function returns *every* applicable Reason, never just the first. Policy is read only through
registry.policy.policy_in_force(authorizer.region, on): the policy of the authorizer's pooling region.

Plausibility thresholds for RELATION_IMPLAUSIBLE (birth dates from the ID numbers). They are deliberately
loose: they catch typing mistakes and obvious fraud online, and a real but unusual family is sent to a hall,
where staff check the household register or the marriage certificate.
- parent / child: the parent is at least 15 years older than the child;
- grandparent / grandchild: the grandparent is at least 30 years older;
- sibling: at most 30 years apart;
- spouse: of the other sex (Civil Code art. 1046/1049: marriage is between a man and a woman; the sex is the 17th
  digit of the ID number, odd for men) and both of the legal marriage age (art. 1047: men 22, women 20) on the day.

Parents-in-law and "other relatives" are never allowed, whatever a policy row lists (SHAREABLE_RELATIONS); a person has
at most one live spouse binding, in either direction (spouse_findings; the database keeps it too, see
sharing/migrations/0007_one_spouse_per_person.py).
"""

import datetime

from django.utils import timezone

from core.reasons import Reason
from registry import idnumber
from registry.models import SHAREABLE_RELATIONS, InsuredPerson, Relation
from registry.policy import policy_in_force
from sharing import reasons

PARENT_MIN_GAP_YEARS = 15
GRANDPARENT_MIN_GAP_YEARS = 30
SIBLING_MAX_GAP_YEARS = 30
MARRIAGE_AGE = {"M": 22, "F": 20}

# Codes binding_still_holds may return that depend on the date, not on the registry: re-evaluation after a
# registry change ignores them (a binding waiting for its start date is not broken).
DATE_ONLY_CODES = {"OUTSIDE_VALIDITY"}


def member_lookup(name: str, certno: str) -> InsuredPerson | None:
    """The one insured person with this ID number *and* this name, else None (MEMBER_IDENTITY_MISMATCH)."""
    number = idnumber.normalize(certno or "")
    if not number:
        return None
    person = InsuredPerson.objects.select_related("region__province").filter(certno=number).first()
    if person is None or not idnumber.same_name(name, person.name):
        return None
    return person


def identify_member(name: str, certno: str) -> tuple[InsuredPerson | None, list[Reason]]:
    """The member named by name and ID number, or MEMBER_IDENTITY_MISMATCH when they do not match one person."""
    person = member_lookup(name, certno)
    return person, ([] if person is not None else [reasons.MEMBER_IDENTITY_MISMATCH])


def constraint_findings(constraint_error: str) -> list[Reason]:
    """The rule a database constraint enforced when two submissions raced (the engine checked before; the
    database decides who won): one live spouse binding per person, else one live binding per pair."""
    spouse = "one_live_spouse_binding" in constraint_error or "one_live_spouse_per_person" in constraint_error
    return [reasons.SECOND_SPOUSE if spouse else reasons.ALREADY_BOUND]


def _years_between(older: datetime.date, younger: datetime.date) -> int:
    """Whole years from `older` to `younger` (negative if `older` is in fact younger)."""
    if older > younger:
        return -idnumber.age_on(younger, older)
    return idnumber.age_on(older, younger)


def relation_plausible(*, authorizer: InsuredPerson, member: InsuredPerson, relation: str, on: datetime.date) -> bool:
    """Do the birth dates fit the member's relationship to the authorizer? (See the module docstring.)"""
    a, m = authorizer.birth_date, member.birth_date
    if relation == Relation.PARENT:
        return _years_between(m, a) >= PARENT_MIN_GAP_YEARS
    if relation == Relation.CHILD:
        return _years_between(a, m) >= PARENT_MIN_GAP_YEARS
    if relation == Relation.GRANDPARENT:
        return _years_between(m, a) >= GRANDPARENT_MIN_GAP_YEARS
    if relation == Relation.GRANDCHILD:
        return _years_between(a, m) >= GRANDPARENT_MIN_GAP_YEARS
    if relation == Relation.SIBLING:
        return abs(_years_between(a, m)) <= SIBLING_MAX_GAP_YEARS
    if relation == Relation.SPOUSE:
        return authorizer.sex != member.sex and all(p.age_on(on) >= MARRIAGE_AGE[p.sex] for p in (authorizer, member))
    return True


def _region_findings(authorizer: InsuredPerson, member: InsuredPerson, policy) -> list[Reason]:
    a_region, m_region = authorizer.region, member.region
    if a_region.pk == m_region.pk:
        return []
    if a_region.province_id != m_region.province_id:
        if policy.cross_province_allowed:
            return []
        return [reasons.CROSS_PROVINCE_NOT_ALLOWED.with_detail(
            authorizer_province=a_region.province.name, member_province=m_region.province.name)]
    if policy.cross_city_allowed:
        return []
    return [reasons.CROSS_REGION_NOT_ALLOWED.with_detail(
        authorizer_region=a_region.name, member_region=m_region.name, province=a_region.province.name)]


def has_personal_account(person: InsuredPerson) -> bool:
    """Loader: does the person have a personal account (ledger.PersonalAccount)?"""
    return hasattr(person, "account")


def authorizer_findings(*, is_employee: bool, is_active: bool, has_account: bool, region_name: str) -> list[Reason]:
    """Can this person share a personal account at all? Only an active employee-insured person with an account can."""
    if not is_employee:
        return [reasons.AUTHORIZER_NOT_EMPLOYEE]
    found = []
    if not is_active:
        found.append(reasons.AUTHORIZER_NOT_ENROLLED.with_detail(region=region_name))
    if not has_account:
        found.append(reasons.AUTHORIZER_NO_ACCOUNT.with_detail(region=region_name))
    return found


def authorizer_side_findings(authorizer: InsuredPerson) -> list[Reason]:
    """authorizer_findings for a person as loaded (the loader reads whether they have an account)."""
    return authorizer_findings(is_employee=authorizer.is_employee, is_active=authorizer.is_active,
                               has_account=has_personal_account(authorizer), region_name=authorizer.region.name)


def _validity_findings(policy, valid_from, valid_until, on: datetime.date, *, creating: bool) -> list[Reason]:
    # The dates an authorizer signed hold whatever the policy later says about periods (rules.md, "Binding life").
    if (creating and not policy.uses_validity_period) or (valid_from is None and valid_until is None):
        return []
    if creating:
        bad = (valid_from is not None and valid_from < on) or (
            valid_until is not None and valid_until <= (valid_from or on))
    else:
        bad = (valid_from is not None and on < valid_from) or (valid_until is not None and on > valid_until)
    if not bad:
        return []
    return [reasons.OUTSIDE_VALIDITY.with_detail(valid_from=valid_from or "—", valid_until=valid_until or "—")]


# The dates a citizen may choose for a binding where the policy uses validity periods: it starts today or within a
# year, and if it has an end date, ends within ten years of its start.
MAX_START_YEARS = 1
MAX_VALID_YEARS = 10


def years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def latest_start(today: datetime.date) -> datetime.date:
    return years_after(today, MAX_START_YEARS)


def latest_end(start: datetime.date) -> datetime.date:
    return years_after(start, MAX_VALID_YEARS)


def relation_labels(policy) -> str:
    return "、".join(str(Relation(r).label) for r in (policy.allowed_relations or []) if r in SHAREABLE_RELATIONS)


def offered_relations(policy) -> list[str]:
    """The relationships a citizen may choose under `policy` (what relation_findings would not refuse)."""
    return [r for r in SHAREABLE_RELATIONS if r in (policy.allowed_relations or [])]


def relation_findings(relation: str, policy) -> list[Reason]:
    """RELATION_NOT_ALLOWED unless the policy allows the relationship; parents-in-law and "other" never, whatever a
    policy row lists."""
    if relation in SHAREABLE_RELATIONS and relation in (policy.allowed_relations or []):
        return []
    return [reasons.RELATION_NOT_ALLOWED.with_detail(policy=policy.title, allowed=relation_labels(policy))]


def spouse_findings(*, authorizer_id, member_id, relation: str, live_spouse_pairs) -> list[Reason]:
    """SECOND_SPOUSE: a person has at most one live spouse binding, in either direction.

    `live_spouse_pairs` are the (authorizer_id, member_id) of live spouse bindings involving either person. The same
    couple in either direction is no second spouse (the reverse B→A stays allowed; A→B again is ALREADY_BOUND)."""
    if relation != Relation.SPOUSE:
        return []
    couple = {authorizer_id, member_id}
    for pair in live_spouse_pairs:
        if set(pair) != couple and set(pair) & couple:
            return [reasons.SECOND_SPOUSE]
    return []


def live_spouse_pairs(person_ids, now: datetime.datetime) -> list[tuple]:
    """Loader: (authorizer_id, member_id) of every live spouse binding in which any of these persons takes part."""
    from django.db.models import Q

    from sharing.models import Binding

    return list(Binding.objects.filter(Q(authorizer_id__in=person_ids) | Q(member_id__in=person_ids),
                                       status__in=Binding.LIVE, relation=Relation.SPOUSE)
                .exclude(status=Binding.Status.AWAITING_CONSENT, consent_deadline__lte=now)
                .values_list("authorizer_id", "member_id"))


def _live_binding_findings(authorizer: InsuredPerson, member: InsuredPerson, relation: str,
                           now: datetime.datetime) -> list[Reason]:
    from sharing.models import Binding, live_q

    live = list(Binding.objects.filter(live_q(now), authorizer=authorizer).values_list("member_id", "relation"))
    if any(member_id == member.pk for member_id, _relation in live):
        return [reasons.ALREADY_BOUND]
    pairs = live_spouse_pairs([authorizer.pk, member.pk], now) if relation == Relation.SPOUSE else []
    return spouse_findings(authorizer_id=authorizer.pk, member_id=member.pk, relation=relation, live_spouse_pairs=pairs)


def binding_findings(*, authorizer: InsuredPerson, relation: str | None, member: InsuredPerson | None,
                     member_name: str = "", member_certno: str = "", valid_from=None, valid_until=None,
                     on: datetime.date | None = None) -> list[Reason]:
    """Everything that stops `authorizer` binding `member` as their `relation` now. Empty list: allowed.

    With `relation` None (not known, as in a self-check that names nobody's relationship) the rules about the
    relationship itself are not checked; every other rule is."""
    on = on or timezone.localdate()
    policy = policy_in_force(authorizer.region, on)
    found = authorizer_side_findings(authorizer) + (relation_findings(relation, policy) if relation else [])
    if member is not None and (
        (member_name and not idnumber.same_name(member_name, member.name))
        or (member_certno and member.certno != idnumber.normalize(member_certno))
    ):
        member = None
    if member is None:
        # Say nothing more about a person whose name and number did not match.
        found.append(reasons.MEMBER_IDENTITY_MISMATCH)
        return found + _validity_findings(policy, valid_from, valid_until, on, creating=True)
    if member.pk == authorizer.pk:
        found.append(reasons.SELF_BINDING)
        return found
    if not member.is_active:
        found.append(reasons.MEMBER_NOT_ENROLLED)
    found += _region_findings(authorizer, member, policy)
    found += _validity_findings(policy, valid_from, valid_until, on, creating=True)
    if relation and not relation_plausible(authorizer=authorizer, member=member, relation=relation, on=on):
        found.append(reasons.RELATION_IMPLAUSIBLE)
    found += _live_binding_findings(authorizer, member, relation, timezone.now())
    return found


def binding_still_holds(binding, on: datetime.date | None = None, *, policy=None) -> list[Reason]:
    """Every rule of an existing binding against the policy in force on `on` (the authorizer's, with
    inheritance), plus its validity period on `on`.

    Used by re-evaluation after a registry change (which ignores DATE_ONLY_CODES) and by the paying rules
    (where any reason means this binding pays nothing now). `policy`: that same policy when the caller has read it
    already (the paying rules read it once per region).
    """
    on = on or timezone.localdate()
    authorizer, member = binding.authorizer, binding.member
    if policy is None:
        policy = policy_in_force(authorizer.region, on)
    found = authorizer_side_findings(authorizer)
    found += relation_findings(binding.relation, policy)
    if not member.is_active:
        found.append(reasons.MEMBER_NOT_ENROLLED)
    found += _region_findings(authorizer, member, policy)
    found += _validity_findings(policy, binding.valid_from, binding.valid_until, on, creating=False)
    return found


# The only refusal hall staff may override, with the household register or marriage certificate seen in person.
OVERRIDABLE_CODES = {"RELATION_IMPLAUSIBLE"}


def overridable_by_documents(found: list[Reason]) -> bool:
    """Staff may confirm the relationship only when every reason found is one documents can answer."""
    return bool(found) and all(r.code in OVERRIDABLE_CODES for r in found)
