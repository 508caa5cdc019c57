"""Live insurance codes (医保码): short-lived, single-use, signed tokens.

A token is `<nonce>:<signature>` (django.core.signing, own salt). The nonce row on the
server says whose code it is, until when it is valid and whether it was used, so a
screenshot goes stale after CODE_TTL and a scanned code cannot be replayed. The
settlement API resolves a scanned token with `token_resolve()`.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.core import signing
from django.db import transaction
from django.utils import timezone

from core.reasons import Refused
from family import reasons
from family.models import CodeToken, FamilyMembership
from registry.models import InsuredPerson

SALT = "family.insurance-code"
CODE_TTL = datetime.timedelta(seconds=60)


@dataclass(frozen=True)
class IssuedCode:
    token: str
    expires_at: datetime.datetime


@dataclass(frozen=True)
class TokenResult:
    member: InsuredPerson  # the patient: their own entitlement pays
    holder: InsuredPerson  # who showed the code (the member themselves, or a family-account holder)


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def _now() -> datetime.datetime:
    return timezone.now()


@transaction.atomic
def token_issue(*, holder: InsuredPerson, member: InsuredPerson) -> IssuedCode:
    """A fresh code for `member`, shown by `holder` (the member, or someone with them in a family account)."""
    membership = None
    if holder.pk != member.pk:
        membership = FamilyMembership.objects.filter(
            holder=holder, member=member, status=FamilyMembership.Status.ACTIVE).first()
        if membership is None:
            raise Refused(reasons.CODE_WITHDRAWN)
    now = _now()
    nonce = secrets.token_urlsafe(16)
    row = CodeToken.objects.create(nonce=nonce, member=member, holder=holder, membership=membership,
                                   issued_at=now, expires_at=now + CODE_TTL)
    return IssuedCode(token=_signer().sign(nonce), expires_at=row.expires_at)


@transaction.atomic
def token_resolve(token: str, *, consume: bool = True) -> TokenResult:
    """Who the patient is. Refused with CODE_INVALID / CODE_EXPIRED / CODE_USED / CODE_WITHDRAWN.

    `consume=True` (a settlement) marks the token used; `consume=False` (a balance enquiry before
    settling) only reads it, so the same scan can then be settled.
    """
    try:
        nonce = _signer().unsign(str(token or "").strip())
    except signing.BadSignature:
        raise Refused(reasons.CODE_INVALID) from None
    row = (CodeToken.objects.select_for_update(of=("self",)).select_related("member", "holder", "membership")
           .filter(nonce=nonce).first())
    if row is None:
        raise Refused(reasons.CODE_INVALID)
    if row.used_at is not None:
        raise Refused(reasons.CODE_USED)
    now = _now()
    if now >= row.expires_at:
        raise Refused(reasons.CODE_EXPIRED)
    if row.membership is not None and row.membership.status != FamilyMembership.Status.ACTIVE:
        raise Refused(reasons.CODE_WITHDRAWN)
    if consume:
        row.used_at = now
        row.save(update_fields=["used_at"])
    return TokenResult(member=row.member, holder=row.holder)


def tokens_purge(*, before: datetime.datetime) -> int:
    """Delete token rows that expired before `before` (they can only ever be refused)."""
    deleted, _ = CodeToken.objects.filter(expires_at__lt=before).delete()
    return deleted
