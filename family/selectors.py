"""Reads of the family account."""

import uuid

from core.compiled import compiled
from family.models import FamilyMembership
from registry.models import InsuredPerson


def family_account_holders(member: InsuredPerson) -> list[InsuredPerson]:
    """People who have `member` in their family account (active), oldest first.

    Used by the settlement API and the self-check for FAMILY_ACCOUNT_ONLY: these people can
    show the member's code, but their own accounts never pay for the member.
    """
    return [
        m.holder for m in FamilyMembership.objects.filter(member=member, status=FamilyMembership.Status.ACTIVE)
        .select_related("holder__region__province").order_by("created_at")
    ]


def members_query(holder_id, *, live_only: bool = True):
    qs = FamilyMembership.objects.filter(holder_id=holder_id).select_related("member__region__province")
    if live_only:
        qs = qs.filter(status__in=FamilyMembership.LIVE)
    return qs.order_by("created_at")


def _of_member(member_id, *statuses):
    """The memberships in which `member_id` is the member, in these statuses, with their holders, oldest first."""
    return (FamilyMembership.objects.filter(member_id=member_id, status__in=statuses)
            .select_related("holder").order_by("created_at"))


def requests_query(member_id):
    return _of_member(member_id, FamilyMembership.Status.AWAITING_CONSENT)


def accounts_im_in_query(member_id):
    return _of_member(member_id, FamilyMembership.Status.ACTIVE)


def requests_and_accounts_query(member_id):
    """requests_query and accounts_im_in_query in one: the family page shows both."""
    return _of_member(member_id, FamilyMembership.Status.AWAITING_CONSENT, FamilyMembership.Status.ACTIVE)


# The family page's statements, compiled once per process (core.compiled); no person has the placeholder id.
_PERSON = uuid.UUID("0e0e0e0e-5e1e-4c70-8a11-000000000005")
_live_members = compiled(members_query, holder_id=_PERSON)
_requests = compiled(requests_query, member_id=_PERSON)
_accounts_im_in = compiled(accounts_im_in_query, member_id=_PERSON)
_requests_and_accounts = compiled(requests_and_accounts_query, member_id=_PERSON)


def family_members_of(holder: InsuredPerson, *, live_only: bool = True) -> list[FamilyMembership]:
    """The members of `holder`'s family account (active and waiting, unless live_only=False)."""
    if live_only:
        return _live_members(holder_id=holder.pk)
    return list(members_query(holder.pk, live_only=False))


def family_requests_for(member: InsuredPerson) -> list[FamilyMembership]:
    """Requests waiting for `member`'s agreement (their consent inbox for family accounts)."""
    return _requests(member_id=member.pk)


def family_accounts_im_in(member: InsuredPerson) -> list[FamilyMembership]:
    """The family accounts `member` is shown in (active), so they can leave any of them."""
    return _accounts_im_in(member_id=member.pk)


def family_requests_and_accounts_for(member: InsuredPerson) -> tuple[list[FamilyMembership], list[FamilyMembership]]:
    """(family_requests_for(member), family_accounts_im_in(member)) with one statement."""
    both = _requests_and_accounts(member_id=member.pk)
    return ([m for m in both if m.status == FamilyMembership.Status.AWAITING_CONSENT],
            [m for m in both if m.status == FamilyMembership.Status.ACTIVE])


def live_member_count(holder: InsuredPerson) -> int:
    return FamilyMembership.objects.filter(holder=holder, status__in=FamilyMembership.LIVE).count()


def family_account_holder_ids(member: InsuredPerson) -> list[int]:
    """The ids of the people who hold `member` in an active family account (for the paying rules)."""
    return list(FamilyMembership.objects.filter(member=member, status=FamilyMembership.Status.ACTIVE)
                .values_list("holder_id", flat=True))
