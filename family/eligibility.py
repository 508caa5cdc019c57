"""The family account's rules (亲情账户), as pure functions: the sibling of sharing/eligibility for family accounts.

rules.md, "Family account": a user shows family members' own insurance codes; an adult must agree to be added; a
minor child may be added by a parent, with proof of the relationship (an active child sharing binding online, or
the household register checked at a hall). A family account holds at most MAX_MEMBERS live members.
"""

from core.reasons import Reason
from family import reasons
from registry.models import Relation
from sharing import reasons as sharing_reasons

MAX_MEMBERS = 5
MINOR_AGE = 16  # under 16 a child cannot agree for themselves


def is_minor(age: int) -> bool:
    return age < MINOR_AGE


def limit_reached(live_count: int) -> bool:
    return live_count >= MAX_MEMBERS


def add_member_findings(*, is_self: bool, already_added: bool, live_count: int, minor: bool, relation: str,
                        plausible: bool, proof: bool) -> list[Reason]:
    """Everything that stops adding this member now, the most basic first. `plausible` is the engine's birth-date
    check of the relationship (sharing.eligibility.binding.relation_plausible); `proof` is the minor's proof of
    parenthood (an active child binding, or the household register checked at a hall)."""
    if is_self:
        return [reasons.FAMILY_SELF]
    if already_added:
        return [reasons.FAMILY_ALREADY_ADDED]
    found = []
    if limit_reached(live_count):
        found.append(reasons.FAMILY_LIMIT_REACHED.with_detail(limit=MAX_MEMBERS))
    if minor:
        if relation != Relation.CHILD:
            found.append(reasons.FAMILY_MINOR_PARENT_ONLY)
        elif not plausible:
            found.append(sharing_reasons.RELATION_IMPLAUSIBLE)
        elif not proof:
            found.append(reasons.FAMILY_MINOR_NEEDS_PROOF)
    return found
