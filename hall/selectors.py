"""Reads for the counter. A visit is reached only by the staff member serving it, while it is open; everything
else in a visit's URLs must belong to its citizen (or the relative present): anything else answers 404."""

import datetime

from django.db.models import Sum
from django.shortcuts import get_object_or_404

from accounts.selectors import my_insurance_summary
from family import selectors as family_selectors
from family.models import FamilyMembership
from hall.models import Visit
from registry.models import InsuredPerson
from settlement.models import Payment
from sharing import selectors as sharing_selectors
from sharing.models import Binding


def visit_get_for_user(user, visit_id) -> Visit:
    return get_object_or_404(Visit.objects.select_related("citizen__region__province", "companion", "hall", "staff"),
                             pk=visit_id, staff=user, ended_at__isnull=True)


def open_visit_for(user) -> Visit | None:
    return Visit.objects.select_related("citizen").filter(staff=user, ended_at__isnull=True).first()


def visit_binding_get_for_user(user, visit: Visit, binding_id):
    return sharing_selectors.binding_get_for_people(visit.people_ids, binding_id)


def visit_membership_get_for_user(user, visit: Visit, membership_id) -> FamilyMembership:
    return get_object_or_404(FamilyMembership.objects.select_related("holder", "member"), pk=membership_id,
                             member_id__in=visit.people_ids)


def labelled(bindings) -> list:
    rows = list(bindings)
    for b in rows:
        b.effective_label = Binding.Status(b.effective).label
    return rows


def visit_overview(visit: Visit) -> dict:
    """Everything the citizen could see online, for the counter (no web account needed)."""
    person = visit.citizen
    return {
        "summary": my_insurance_summary(person, entries=5),
        "given": labelled(sharing_selectors.bindings_for_authorizer(person)),
        "received": labelled(sharing_selectors.bindings_for_member(person)),
        "pending_consent": [b for pid in visit.people_ids for b in sharing_selectors.consent_inbox(
            InsuredPerson(pk=pid))],
        "family_members": family_selectors.family_members_of(person, live_only=False),
        "family_in": family_selectors.family_accounts_im_in(person),
        "family_requests": [m for pid in visit.people_ids for m in family_selectors.family_requests_for(
            InsuredPerson(pk=pid))],
        "spending": list(_shared_payments(person).select_related("member", "institution")[:5]),
    }


def _shared_payments(person):
    """What the person's account paid for family members, from its live balance or from a quota (the spending
    pages' own query is one floor beside)."""
    return Payment.objects.filter(payer=person, source__in=[Payment.Source.SHARED, Payment.Source.QUOTA]).order_by("-id")


def spending_for_print(visit: Visit, member_id, start: datetime.date, end: datetime.date):
    """Payments from the citizen's account for family members in [start, end), and the net total per member."""
    qs = _shared_payments(visit.citizen).filter(created_at__date__gte=start, created_at__date__lt=end)
    if member_id:
        qs = qs.filter(member_id=member_id)
    totals = (qs.order_by().values("member__name").annotate(paid=Sum("amount"), refunded=Sum("refunded"))
              .order_by("member__name"))
    return list(qs.select_related("member", "institution")[:500]), [
        {"name": t["member__name"], "net": t["paid"] - t["refunded"]} for t in totals]


def members_of(visit: Visit):
    return sharing_selectors.members_ever_bound(visit.citizen)
