"""Writes of the family account. Each is atomic, audited, and tells the people concerned."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from core.reasons import Refused
from family import eligibility, reasons
from family.models import FamilyMembership
from notifications.messages import message as _  # texts of in-site messages, rendered when read
from notifications.services import notify
from registry.models import InsuredPerson, Relation, ServiceHall
from sharing import selectors
from sharing.eligibility.binding import identify_member, relation_plausible

# A child under this age (by the ID's birth date) is added by a parent without consent.


def _snapshot(membership: FamilyMembership) -> dict:
    return {"holder": str(membership.holder_id), "member": str(membership.member_id),
            "relation": membership.relation, "status": membership.status, "channel": membership.channel}


def _find_member(name: str, certno: str) -> InsuredPerson:
    member, found = identify_member(name, certno)
    if found:
        raise Refused(found[0])
    return member


@transaction.atomic
def family_member_add(*, actor, holder: InsuredPerson, relation: str, member_name: str, member_certno: str,
                      member_present: bool = False, hall: ServiceHall | None = None) -> FamilyMembership:
    """Add a member to `holder`'s family account.

    A child under 16 cannot agree, and a code shown for the child pays from the child's own sources
    (including the sharing accounts of the child's real parents). So a parent adds a child at once only
    with proof of the relationship: online, the holder must already have an active family-sharing binding
    for the child as "child" (they signed the commitment letter for this child); at a service hall
    (`member_present=True` with `hall`), the staff checked the household register. Either way, the child's
    other authorizers are told.

    An adult must agree: online through their inbox, or in person at a hall (`member_present=True`,
    staff checked their ID card).
    """
    # Lock the holder so two requests at once cannot pass the limit together.
    holder = InsuredPerson.objects.select_for_update().get(pk=holder.pk)
    member = _find_member(member_name, member_certno)
    live = FamilyMembership.objects.filter(holder=holder, status__in=FamilyMembership.LIVE)
    today = timezone.localdate()
    minor = eligibility.is_minor(member.age_on(today))
    found = eligibility.add_member_findings(
        is_self=member.pk == holder.pk, already_added=live.filter(member=member).exists(), live_count=live.count(),
        minor=minor, relation=relation,
        plausible=not minor or relation_plausible(authorizer=holder, member=member, relation=Relation.CHILD, on=today),
        proof=not minor or (member_present and hall is not None) or _parent_by_binding(holder, member))
    if found:
        raise Refused(found[0])
    active_now = minor or member_present
    now = timezone.now()
    membership = FamilyMembership.objects.create(
        holder=holder, member=member, relation=relation, added_as_minor=minor,
        status=FamilyMembership.Status.ACTIVE if active_now else FamilyMembership.Status.AWAITING_CONSENT,
        channel=FamilyMembership.Channel.HALL if hall else FamilyMembership.Channel.ONLINE,
        answered_at=now if active_now else None,
    )
    audit_record(actor=actor, subject=membership, event="family.member_added" if active_now else "family.request_sent",
           after=_snapshot(membership), hall=hall, channel="hall" if hall else "online")
    if not minor:
        if active_now:
            notify(person=member, title=_("You were added to a family account"),
                   body=_("%(holder)s can now show your insurance code. Your own entitlement pays when it is used; "
                          "you can leave the family account at any time.") % {"holder": holder.name},
                   link=reverse("family:home"))
        else:
            values = {"holder": holder.name}
            notify(person=member, title=_("%(holder)s wants to add you to their family account") % values,
                   body=_("If you agree, %(holder)s can show your insurance code for you (for example at the "
                          "doctor's). It does not share anyone's personal account.") % values,
                   link=reverse("family:request", args=[membership.pk]))
    else:
        _tell_the_childs_authorizers(membership)
    return membership


def _parent_by_binding(holder: InsuredPerson, member: InsuredPerson) -> bool:
    """The holder shares with the member as their child through an active binding (a signed commitment letter)."""
    return selectors.has_active_binding(authorizer=holder, member=member, relation=Relation.CHILD)


def _tell_the_childs_authorizers(membership: FamilyMembership) -> None:
    """Everyone whose sharing account pays for the child learns that someone else can now show the child's code."""
    authorizers = {b.authorizer_id: b for b in selectors.active_bindings_for_member(membership.member)
                   .exclude(authorizer=membership.holder)}
    for binding in authorizers.values():
        values = {"holder": membership.holder.name, "member": membership.member.name}
        title = (_("%(holder)s added your child %(member)s to their family account") if binding.relation == Relation.CHILD
                 else _("%(holder)s added %(member)s to their family account")) % values
        notify(person=binding.authorizer, title=title,
               body=_("%(holder)s can now show %(member)s's insurance code. Bills paid with it are paid from "
                      "%(member)s's own account and family sharing, which includes your account. If you do not "
                      "know about this, tell a medical insurance service hall.") % values,
               link=reverse("sharing:binding_detail", args=[binding.pk]))


@transaction.atomic
def family_request_answer(*, actor, membership: FamilyMembership, agree: bool,
                          hall: ServiceHall | None = None) -> FamilyMembership:
    membership = FamilyMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != FamilyMembership.Status.AWAITING_CONSENT:
        raise Refused(reasons.FAMILY_ALREADY_CHANGED)
    before = _snapshot(membership)
    membership.status = FamilyMembership.Status.ACTIVE if agree else FamilyMembership.Status.REFUSED
    membership.answered_at = timezone.now()
    membership.save(update_fields=["status", "answered_at", "updated_at"])
    audit_record(actor=actor, subject=membership, event="family.request_agreed" if agree else "family.request_refused",
           before=before, after=_snapshot(membership), hall=hall, channel="hall" if hall else "online")
    values = {"member": membership.member.name}
    notify(person=membership.holder,
            title=(_("%(member)s agreed to join your family account") if agree
                   else _("%(member)s did not agree to join your family account")) % values,
            body=(_("You can now show %(member)s's own insurance code.") if agree
                  else _("You cannot show %(member)s's insurance code. You may ask again later.")) % values,
            link=reverse("family:home"))
    return membership


@transaction.atomic
def family_request_withdraw(*, actor, membership: FamilyMembership) -> FamilyMembership:
    membership = FamilyMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != FamilyMembership.Status.AWAITING_CONSENT:
        raise Refused(reasons.FAMILY_ALREADY_CHANGED)
    before = _snapshot(membership)
    membership.status = FamilyMembership.Status.WITHDRAWN
    membership.ended_at = timezone.now()
    membership.save(update_fields=["status", "ended_at", "updated_at"])
    audit_record(actor=actor, subject=membership, event="family.request_withdrawn", before=before,
           after=_snapshot(membership))
    return membership


@transaction.atomic
def family_member_remove(*, actor, membership: FamilyMembership, hall: ServiceHall | None = None) -> FamilyMembership:
    """End an active membership: the holder removes the member, or the member leaves. Codes shown stop working."""
    membership = FamilyMembership.objects.select_for_update().select_related("holder", "member").get(pk=membership.pk)
    if membership.status != FamilyMembership.Status.ACTIVE:
        raise Refused(reasons.FAMILY_ALREADY_CHANGED)
    before = _snapshot(membership)
    membership.status = FamilyMembership.Status.REMOVED
    membership.ended_at = timezone.now()
    membership.save(update_fields=["status", "ended_at", "updated_at"])
    audit_record(actor=actor, subject=membership, event="family.member_removed", before=before,
           after=_snapshot(membership), hall=hall, channel="hall" if hall else "online")
    by_member = getattr(actor, "person_id", None) == membership.member_id
    other = membership.holder if by_member else membership.member
    if by_member or not membership.added_as_minor:
        notify(person=other, title=_("Family account changed"),
                body=(_("%(member)s left your family account.") if by_member
                      else _("%(holder)s removed you from their family account.")) %
                {"member": membership.member.name, "holder": membership.holder.name},
                link=reverse("family:home"))
    return membership
