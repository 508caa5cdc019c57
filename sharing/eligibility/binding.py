"""Who may share with whom: the rules of rules.md as functions over the registry and the policy in force.

Every function returns *every* applicable Reason, never just the first. Policy is read only through
registry.policy.policy_in_force(authorizer.region, on): the policy of the authorizer's pooling region.

Plausibility thresholds for RELATION_IMPLAUSIBLE (birth dates from the ID numbers). They are deliberately
loose: they catch typing mistakes and obvious fraud online, and a real but unusual family is sent to a hall,
where staff check the household register or the marriage certificate.
- parent / child: the parent is at least 15 years older than the child;
- grandparent / grandchild: the grandparent is at least 30 years older;
- sibling: at most 30 years apart;
- spouse: both of the legal marriage age (Marriage Law / Civil Code art. 1047: men 22, women 20) on the day.
"""

import datetime

from django.utils import timezone

from core.reasons import Reason
from registry import idnumber
from registry.models import InsuredPerson, Relation
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
    if person is None or person.name != (name or "").strip():
        return None
    return person


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
        return all(p.age_on(on) >= MARRIAGE_AGE[p.sex] for p in (authorizer, member))
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


def _authorizer_findings(authorizer: InsuredPerson) -> list[Reason]:
    found = []
    if not authorizer.is_employee:
        found.append(reasons.AUTHORIZER_NOT_EMPLOYEE)
    elif not authorizer.is_active:
        found.append(reasons.AUTHORIZER_NOT_ENROLLED.with_detail(region=authorizer.region.name))
    return found


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


def relation_labels(policy) -> str:
    return "、".join(str(Relation(r).label) for r in policy.allowed_relations)


def _live_binding_findings(authorizer: InsuredPerson, member: InsuredPerson, relation: str,
                           now: datetime.datetime) -> list[Reason]:
    from sharing.selectors import live_bindings_for_authorizer

    live = list(live_bindings_for_authorizer(authorizer, now=now).values_list("member_id", "relation"))
    if any(member_id == member.pk for member_id, _relation in live):
        return [reasons.ALREADY_BOUND]
    if relation == Relation.SPOUSE and any(rel == Relation.SPOUSE for _member_id, rel in live):
        return [reasons.SECOND_SPOUSE]
    return []


def binding_findings(*, authorizer: InsuredPerson, relation: str, member: InsuredPerson | None,
                     member_name: str = "", member_certno: str = "", valid_from=None, valid_until=None,
                     on: datetime.date | None = None) -> list[Reason]:
    """Everything that stops `authorizer` binding `member` as their `relation` now. Empty list: allowed."""
    on = on or timezone.localdate()
    policy = policy_in_force(authorizer.region, on)
    found = _authorizer_findings(authorizer)
    if relation not in policy.allowed_relations:
        found.append(reasons.RELATION_NOT_ALLOWED.with_detail(policy=policy.title, allowed=relation_labels(policy)))
    if member is not None and (
        (member_name and member.name != member_name.strip())
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
    if not relation_plausible(authorizer=authorizer, member=member, relation=relation, on=on):
        found.append(reasons.RELATION_IMPLAUSIBLE)
    found += _live_binding_findings(authorizer, member, relation, timezone.now())
    return found


def binding_still_holds(binding, on: datetime.date | None = None) -> list[Reason]:
    """Every rule of an existing binding against the policy in force on `on` (the authorizer's, with
    inheritance), plus its validity period on `on`.

    Used by re-evaluation after a registry change (which ignores DATE_ONLY_CODES) and by the paying rules
    (where any reason means this binding pays nothing now).
    """
    on = on or timezone.localdate()
    authorizer, member = binding.authorizer, binding.member
    policy = policy_in_force(authorizer.region, on)
    found = _authorizer_findings(authorizer)
    if binding.relation not in (policy.allowed_relations or []):
        found.append(reasons.RELATION_NOT_ALLOWED.with_detail(policy=policy.title, allowed=relation_labels(policy)))
    if not member.is_active:
        found.append(reasons.MEMBER_NOT_ENROLLED)
    found += _region_findings(authorizer, member, policy)
    found += _validity_findings(policy, binding.valid_from, binding.valid_until, on, creating=False)
    return found
