"""Family account (亲情账户): showing a family member's *own* insurance code on your phone.

It is a different thing from family sharing (sharing.Binding): nobody's money moves
because of a family-account membership. A code shown from a family account names the
member as the patient, and the member's own accounts and bindings pay.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.models import InsuredPerson, Relation

# A membership in one of these states counts towards the limit and blocks a second request.
LIVE_STATUSES = ["awaiting_consent", "active"]


class FamilyMembership(models.Model):
    """One person (holder) may show another person's (member's) insurance code."""

    class Status(models.TextChoices):
        AWAITING_CONSENT = "awaiting_consent", _("Waiting for the family member to agree")
        ACTIVE = "active", _("Added")
        REFUSED = "refused", _("Refused by the family member")
        WITHDRAWN = "withdrawn", _("Request withdrawn")
        REMOVED = "removed", _("Removed")

    LIVE = LIVE_STATUSES

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        HALL = "hall", _("Service hall")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    holder = models.ForeignKey(InsuredPerson, on_delete=models.PROTECT, related_name="family_members",
                               verbose_name=_("family account holder"))
    member = models.ForeignKey(InsuredPerson, on_delete=models.PROTECT, related_name="family_holders",
                               verbose_name=_("family member"))
    relation = models.CharField(_("relationship"), max_length=20, choices=Relation.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    # True when a parent added a child under 16 without consent (nobody could give it).
    added_as_minor = models.BooleanField(_("added as a minor child"), default=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("family account member")
        verbose_name_plural = _("family account members")
        constraints = [
            models.CheckConstraint(condition=~Q(holder=models.F("member")), name="family_no_self_membership"),
            models.UniqueConstraint(fields=["holder", "member"], condition=Q(status__in=LIVE_STATUSES),
                                    name="family_one_live_membership_per_pair"),
        ]
        indexes = [models.Index(fields=["member", "status"], name="family_member_status")]

    def __str__(self):
        return f"{self.holder.name} → {self.member.name}"

    def audit_regions(self) -> tuple:
        return (self.holder.region_id,)


class CodeToken(models.Model):
    """One issued insurance-code token: the server-side nonce that makes it single-use and short-lived."""

    nonce = models.CharField(max_length=32, primary_key=True)
    member = models.ForeignKey(InsuredPerson, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("patient (whose code it is)"))
    holder = models.ForeignKey(InsuredPerson, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("person showing the code"))
    membership = models.ForeignKey(FamilyMembership, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("insurance code token")
        verbose_name_plural = _("insurance code tokens")

    def __str__(self):
        return f"{self.member.name} {self.issued_at:%H:%M:%S}"
