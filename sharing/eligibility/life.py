"""Binding life: when an existing binding ends by itself, and what re-evaluation makes of it.

Rules (rules.md, "Binding life"):
- a binding past the end of the validity period its authorizer signed ends (OUTSIDE_VALIDITY), whatever the policy
  now says about periods; one not yet started is merely not paying (a date-only finding);
- under a policy that ends bindings when an insurance relationship changes (the 2026 rules), a change of either
  side's pooling region or insurance type, or an ended enrollment, ends it (INSURANCE_RELATIONSHIP_CHANGED). The
  policy deciding this is the one that governed the binding: the one in force in the authorizer's pooling region
  when it was signed, not the authorizer's new region's;
- otherwise every rule is checked against the policy in force (binding_still_holds): a broken rule suspends the
  binding (or ends it where the policy says so) and a suspended binding shows the rule broken *now*.

Pure functions: the caller passes the binding with both people loaded; policy is read only through policy_in_force.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from core.reasons import Reason
from registry.models import InsuredPerson, PoolingRegion
from registry.policy import policy_in_force
from sharing import reasons
from sharing.eligibility.binding import DATE_ONLY_CODES, binding_still_holds

# Codes a registry, policy or date change sets on a suspended binding; such a binding comes back by itself once
# every rule holds again (an official's suspension for cause does not).
SUSPENSION_CODES = {"AUTHORIZER_NOT_EMPLOYEE", "AUTHORIZER_NOT_ENROLLED", "AUTHORIZER_NO_ACCOUNT", "MEMBER_NOT_ENROLLED",
                    "CROSS_REGION_NOT_ALLOWED", "CROSS_PROVINCE_NOT_ALLOWED", "RELATION_NOT_ALLOWED"}


def validity_over(binding, on: datetime.date) -> Reason | None:
    """OUTSIDE_VALIDITY once `on` is past the last day the authorizer signed for (valid_until is included)."""
    if binding.valid_until is None or on <= binding.valid_until:
        return None
    return reasons.OUTSIDE_VALIDITY.with_detail(valid_from=binding.valid_from or "—", valid_until=binding.valid_until)


def _region_of(code: str) -> PoolingRegion:
    # The province is the first two digits of a region's code (a database constraint): no query needed.
    return PoolingRegion(code=code, province_id=code[:2])


def insurance_relationship_change(binding, on: datetime.date) -> Reason | None:
    """INSURANCE_RELATIONSHIP_CHANGED when the policy that governed the binding ends bindings on such a change and
    either side's pooling region or insurance type differs from when it was signed, or their enrollment ended."""
    if binding.bound_authorizer_region_id is None:
        return None  # nothing recorded to compare with
    authorizer, member = binding.authorizer, binding.member
    moved = any(
        person.region_id != region_id or (insutype and person.insutype != insutype)
        for person, region_id, insutype in (
            (authorizer, binding.bound_authorizer_region_id, binding.bound_authorizer_insutype),
            (member, binding.bound_member_region_id, binding.bound_member_insutype)))
    ended = [person for person in (authorizer, member) if person.status == InsuredPerson.Status.ENDED]
    if not (moved or ended):
        return None
    governing = policy_in_force(_region_of(binding.bound_authorizer_region_id), on)
    if not governing.ends_on_insurance_change:
        return None
    # An ended enrollment is named as such: it says more than "changed".
    if ended and not moved:
        if ended[0] is authorizer:
            return reasons.AUTHORIZER_NOT_ENROLLED.with_detail(region=authorizer.region.name)
        return reasons.MEMBER_NOT_ENROLLED
    return reasons.INSURANCE_RELATIONSHIP_CHANGED

@dataclass(frozen=True)
class Review:
    """What re-evaluation makes of an active or suspended binding on a day."""

    ends: Reason | None = None          # the binding ends for this reason
    broken: list = field(default_factory=list)  # rules broken now (date-only findings left out)
    end_on_break: bool = False          # the policy in force ends (rather than suspends) a binding on a break

    def suspension_reason(self, current: str) -> Reason | None:
        """The reason a suspended binding shows: the one it shows if that rule is still broken, else the first
        rule broken now."""
        return next((r for r in self.broken if r.code == current), self.broken[0] if self.broken else None)


def binding_review(binding, on: datetime.date | None = None) -> Review:
    on = on or timezone.localdate()
    ends = validity_over(binding, on) or insurance_relationship_change(binding, on)
    if ends is not None:
        return Review(ends=ends)
    broken = [r for r in binding_still_holds(binding, on) if r.code not in DATE_ONLY_CODES]
    if not broken:
        return Review()
    policy = policy_in_force(binding.authorizer.region, on)
    return Review(broken=broken, end_on_break=policy.on_registry_break == policy.OnBreak.END)


# Which way a binding can be ended by a person, by its effective status (rules.md, "Binding life").
ENDABLE = {"active", "suspended"}


def may_end(effective_status: str) -> bool:
    """An active or suspended binding may be ended by either side (the authorizer unbinds, the member ends it)."""
    return effective_status in ENDABLE


def may_withdraw(effective_status: str) -> bool:
    """Only a spouse request still waiting for an answer may be withdrawn by the authorizer."""
    return effective_status == "awaiting_consent"
