"""The self-check "为什么共济不成功?": the one eligibility engine and the paying rules, run on real data.

Nothing here decides a rule. It picks which engine functions apply to the situation the user chose,
collects every Reason they return, and adds the concrete next step (which hall, which policy).

Privacy: the self-check shows personal data about the user themselves, and about another person only
what the user is entitled to know.

* The user's circle (`family_circle`: their bindings as authorizer or member, either way and in any
  state, and family accounts either way) gets reason codes with their explanations and next steps
  (which may name the person's region and hall). Never anyone's balance or amounts other than the user's.
* A person named by name and ID number who is *not* in the circle: nothing from their registry record
  (insurance type, status, region, hall, age). Only the codes that depend on the user's own side (the
  user's insurance, the relationship under the user's own policy, the user's own spouse binding, "not
  bound"), and `Diagnosis.outside_circle` so the page explains that only bound people can be checked.
* The preview of what would be paid (`selfcheck.payments.shown_to`): when the user is the patient, their
  own personal account, the total that family sharing would pay for this bill (one sum, never split by
  authorizer and never their balances) and the cash part; when the user is the authorizer, only the
  user's own account: what it can pay now and what it would pay for this bill — the same figure the
  user's own ledger shows after a real payment. Never the patient's balance, never other authorizers.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core.reasons import Reason
from family.models import FamilyMembership
from family.selectors import family_account_holders
from registry.models import InsuredPerson, Relation, ServiceHall
from registry.policy import NoPolicy, policy_in_force
from selfcheck.payments import SAMPLE_BILL, PreviewShown, payment_preview, shown_to, source_for
from sharing import reasons, selectors
from sharing.eligibility.binding import (
    authorizer_side_findings,
    binding_findings,
    binding_still_holds,
    live_spouse_pairs,
    relation_findings,
    spouse_findings,
)
from sharing.eligibility.payment import (
    family_account_findings,
    limits_in_force,
    patient_findings,
    single_authorizer_findings,
)
from sharing.models import Binding
from sharing.selectors import effective_status, status_reason

MEMBER_CANNOT_USE = "member_cannot_use"      # my family member could not use my account
I_CANNOT_USE = "i_cannot_use"                # I cannot use my relative's account
CANNOT_BIND = "cannot_bind"                  # I cannot bind
SITUATIONS = [MEMBER_CANNOT_USE, I_CANNOT_USE, CANNOT_BIND]

# The relationship of A to B, seen from B.
INVERSE = {
    Relation.PARENT: Relation.CHILD, Relation.CHILD: Relation.PARENT, Relation.SPOUSE: Relation.SPOUSE,
    Relation.SIBLING: Relation.SIBLING, Relation.GRANDPARENT: Relation.GRANDCHILD,
    Relation.GRANDCHILD: Relation.GRANDPARENT, Relation.PARENT_IN_LAW: Relation.OTHER, Relation.OTHER: Relation.OTHER,
}


@dataclass
class Finding:
    reason: Reason
    authorizer: InsuredPerson | None = None
    member: InsuredPerson | None = None
    extra: list[str] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.reason.code


@dataclass
class Diagnosis:
    situation: str
    me: InsuredPerson
    other: InsuredPerson | None
    findings: list[Finding] = field(default_factory=list)
    previews: list[PreviewShown] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # who was looked at, for "nothing is wrong"
    # `other` was named by name and ID number but is not in the user's circle: only the user's side was checked.
    outside_circle: bool = False
    # The paying limits of the policies governing the active bindings checked (floor, cap, one authorizer), with
    # their amounts: stated whether or not they limited the sample bill.
    limits: list[Finding] = field(default_factory=list)

    @property
    def nobody_checked(self) -> bool:
        """The situation "I cannot bind" without naming anyone: only the user's own side was checked (no all-clear)."""
        return self.situation == CANNOT_BIND and self.other is None

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.findings]


def hall_for(person: InsuredPerson, *, enrollment: bool = False) -> str:
    """Where to go in person: the hall of the person's pooling region. `enrollment`: to restore or start an
    enrollment (one's own ID card), not to prove a relationship (both ID cards and the family papers)."""
    hall = ServiceHall.objects.filter(region_id=person.region_id).order_by("pk").first()
    if enrollment:
        if hall:
            return _("The service hall is %(hall)s (%(address)s); bring the insured person's ID card.") % {
                "hall": hall.name, "address": hall.address or hall.region.name}
        return _("Bring the insured person's ID card to the medical insurance service hall of %(region)s.") % {
            "region": person.region.name}
    if hall:
        return _("Go to %(hall)s (%(address)s) with your ID cards and the household register or marriage "
                 "certificate.") % {"hall": hall.name, "address": hall.address or hall.region.name}
    return _("Go to the medical insurance service hall of %(region)s with your ID cards and the household register "
             "or marriage certificate.") % {"region": person.region.name}


def _policy_text(authorizer: InsuredPerson, on: datetime.date) -> str:
    try:
        policy = policy_in_force(authorizer.region, on)
    except NoPolicy:
        return ""
    yes, no = _("allowed"), _("not allowed")
    return _("The policy in force for %(region)s is “%(title)s” (since %(since)s): sharing between cities of the "
             "province is %(city)s, across provinces %(province)s.") % {
        "region": authorizer.region.name, "title": policy.title, "since": policy.effective_from,
        "city": yes if policy.cross_city_allowed else no, "province": yes if policy.cross_province_allowed else no}


def _extras(reason: Reason, authorizer: InsuredPerson | None, member: InsuredPerson | None, on) -> list[str]:
    code = reason.code
    if code in {"CROSS_PROVINCE_NOT_ALLOWED", "CROSS_REGION_NOT_ALLOWED"} and authorizer:
        return [_policy_text(authorizer, on)]
    if code == "AUTHORIZER_NOT_ENROLLED" and authorizer:
        return [hall_for(authorizer, enrollment=True)]
    if code in {"MEMBER_NOT_ENROLLED"} and member:
        return [hall_for(member, enrollment=True)]
    if code in {"RELATION_IMPLAUSIBLE", "BINDING_SUSPENDED"} and authorizer:
        return [hall_for(authorizer)]
    return []


class _Collector:
    def __init__(self, diagnosis: Diagnosis, on: datetime.date):
        self.diagnosis, self.on, self.seen = diagnosis, on, set()
        self._alone: dict = {}

    def _authorizer_alone(self, authorizer) -> set[str]:
        """The codes the engine finds about this authorizer's own insurance (asked once per authorizer)."""
        if authorizer is None:
            return set()
        if authorizer.pk not in self._alone:
            self._alone[authorizer.pk] = {r.code for r in authorizer_side_findings(authorizer)}
        return self._alone[authorizer.pk]

    def add(self, reason: Reason, authorizer=None, member=None):
        # A reason about the authorizer alone (what the engine says of their own insurance) is one finding,
        # whichever member it was found for.
        key = (reason.code, getattr(authorizer, "pk", None),
               None if reason.code in self._authorizer_alone(authorizer) else getattr(member, "pk", None))
        if key in self.seen:
            return
        self.seen.add(key)
        extra = _extras(reason, authorizer, member, self.on)
        self.diagnosis.findings.append(Finding(reason, authorizer, member, extra))

    def extend(self, found, authorizer=None, member=None):
        for reason in found:
            self.add(reason, authorizer, member)

    def limit(self, reason: Reason, authorizer, member):
        if all((f.reason, f.authorizer, f.member) != (reason, authorizer, member) for f in self.diagnosis.limits):
            self.diagnosis.limits.append(Finding(reason, authorizer, member))


def _latest_binding(authorizer: InsuredPerson, member: InsuredPerson) -> Binding | None:
    return selectors.latest_binding(authorizer=authorizer, member=member)


def _family_relation(holder: InsuredPerson, member: InsuredPerson) -> str | None:
    m = FamilyMembership.objects.filter(holder=holder, member=member, status=FamilyMembership.Status.ACTIVE).first()
    return m.relation if m else None


def _could_bind(authorizer, member, relation, on) -> list[Reason]:
    """What the binding wizard would say now (the relationship rules only when the relationship is known)."""
    return binding_findings(authorizer=authorizer, relation=relation, member=member, on=on)


def _pair(c: _Collector, *, authorizer, member, relation, on, previews: dict, amount):
    """Why `authorizer`'s account does not pay for `member`: the binding's state, its rules, the paying rules."""
    binding = _latest_binding(authorizer, member)
    status = effective_status(binding) if binding else None
    if status in {None, Binding.Status.WITHDRAWN, Binding.Status.ENDED}:
        c.add(reasons.NOT_BOUND, authorizer, member)
        ended_why = status_reason(binding) if status == Binding.Status.ENDED else None
        if ended_why is not None:  # ended by a rule, or by the member: say so
            c.add(ended_why, authorizer, member)
        holders = [h.pk for h in family_account_holders(member) if h.pk == authorizer.pk]
        c.extend(family_account_findings(patient_id=member.pk, holder_ids=holders, authorizer_ids=set()),
                 authorizer, member)
        relation = relation or _family_relation(authorizer, member)
        c.extend(_could_bind(authorizer, member, relation, on), authorizer, member)
        return
    if status != Binding.Status.ACTIVE:
        c.add(status_reason(binding) or reasons.NOT_BOUND, authorizer, member)
        if status in {Binding.Status.REFUSED, Binding.Status.EXPIRED}:
            c.add(reasons.NOT_BOUND, authorizer, member)
        if status == Binding.Status.SUSPENDED:
            c.extend(binding_still_holds(binding, on), authorizer, member)
        return
    c.extend(binding_still_holds(binding, on), authorizer, member)
    if member.pk not in previews:
        previews[member.pk] = payment_preview(member, amount=amount)
    now = source_for(previews[member.pk], binding.pk)
    if now is not None:
        c.extend(now.notes, authorizer, member)
        for reason in limits_in_force(now.source):
            c.limit(reason, authorizer, member)
    plan = previews[member.pk].plan
    if now is not None:
        c.extend(single_authorizer_findings(plan, binding_id=binding.pk, payable=now.payable), authorizer, member)


def _own_side(c: _Collector, *, me: InsuredPerson, other: InsuredPerson, relation: str | None, on) -> None:
    """For a person outside the user's circle: only what follows from the user's own record and policy."""
    if c.diagnosis.situation == I_CANNOT_USE:
        # The authorizer would be the stranger: their insurance and policy are theirs. Only my side.
        c.extend(patient_findings(is_active=me.is_active), None, me)
        c.add(reasons.NOT_BOUND, None, me)
        return
    c.extend(authorizer_side_findings(me), me, None)
    if relation:
        c.extend(relation_findings(relation, policy_in_force(me.region, on)), me, None)
    # Only my own live spouse bindings, given or received: nothing about the stranger's.
    c.extend(spouse_findings(authorizer_id=me.pk, member_id=other.pk, relation=relation,
                             live_spouse_pairs=live_spouse_pairs([me.pk], timezone.now())), me, None)
    if c.diagnosis.situation == MEMBER_CANNOT_USE:
        c.add(reasons.NOT_BOUND, me, None)


def diagnose(*, me: InsuredPerson, situation: str, other: InsuredPerson | None = None, relation: str | None = None,
             amount: Decimal = SAMPLE_BILL, on: datetime.date | None = None,
             circle: list[InsuredPerson] | None = None) -> Diagnosis:
    """Every reason that applies to `me` (and `other`, if named) in the chosen situation.

    `relation` is who `other` is to `me` (as the user picked it), or None if not given. `circle` is
    `family_circle(me)` if the caller has it already. About an `other` outside the circle only the
    user's own side is checked (see the module docstring).
    """
    on = on or timezone.localdate()
    diagnosis = Diagnosis(situation=situation, me=me, other=other)
    c = _Collector(diagnosis, on)
    previews: dict = {}
    if other is not None and other.pk != me.pk:
        circle = family_circle(me) if circle is None else circle
        if other.pk not in {p.pk for p in circle}:
            diagnosis.outside_circle = True
            _own_side(c, me=me, other=other, relation=relation, on=on)
            diagnosis.checked.append(other.name)
            if situation == I_CANNOT_USE:
                diagnosis.previews = [shown_to(me, payment_preview(me, amount=amount))]
            return diagnosis

    if situation in {MEMBER_CANNOT_USE, CANNOT_BIND}:
        c.extend(authorizer_side_findings(me), me, None)
        if situation == CANNOT_BIND:
            if other is not None:
                rel = relation or _family_relation(me, other)
                c.extend(_could_bind(me, other, rel, on), me, other)
                diagnosis.checked.append(other.name)
        else:
            targets = [other] if other else _my_members(me)
            if not targets:
                # Nobody to check is no all-clear: nobody can use the account until someone is bound.
                c.add(reasons.NOT_BOUND, me, None)
            for member in targets:
                _pair(c, authorizer=me, member=member, relation=relation, on=on, previews=previews, amount=amount)
                diagnosis.checked.append(member.name)
    else:
        c.extend(patient_findings(is_active=me.is_active), None, me)
        targets = [other] if other else _my_authorizers(me)
        if not targets:
            c.add(reasons.NOT_BOUND, None, me)
        for authorizer in targets:
            rel = INVERSE.get(relation) if relation else None
            _pair(c, authorizer=authorizer, member=me, relation=rel, on=on, previews=previews, amount=amount)
            diagnosis.checked.append(authorizer.name)
        if me.pk not in previews:
            previews[me.pk] = payment_preview(me, amount=amount)
    diagnosis.previews = [shown_to(me, preview) for preview in previews.values()]
    return diagnosis


def _my_members(me: InsuredPerson) -> list[InsuredPerson]:
    """Everyone I share with (or tried to), and everyone in my family account."""
    people = {p.pk: p for p in selectors.members_ever_bound(me)}
    for m in FamilyMembership.objects.filter(holder=me, status=FamilyMembership.Status.ACTIVE).select_related("member"):
        people.setdefault(m.member_id, m.member)
    return list(people.values())


def _my_authorizers(me: InsuredPerson) -> list[InsuredPerson]:
    """Everyone who shares with me (or tried to), and everyone who has me in their family account."""
    people = {p.pk: p for p in selectors.authorizers_ever(me)}
    for holder in family_account_holders(me):
        people.setdefault(holder.pk, holder)
    return list(people.values())


def family_circle(me: InsuredPerson) -> list[InsuredPerson]:
    """The people the user may pick by name in the self-check: their bindings and family accounts, both ways."""
    people = {p.pk: p for p in _my_members(me)}
    for p in _my_authorizers(me):
        people.setdefault(p.pk, p)
    people.pop(me.pk, None)
    return sorted(people.values(), key=lambda p: p.name)
