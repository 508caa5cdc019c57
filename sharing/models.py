"""Sharing bindings (共济关系) and the commitment letters they are signed against."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ledger.models import LedgerEntry, PersonalAccount
from registry.models import InsuredPerson, PoolingRegion, PremiumDue, Relation, ServiceHall


class CommitmentLetter(models.Model):
    """个人承诺书. Officials publish versions; a published version is never edited."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("commitment letter")
        verbose_name_plural = _("commitment letters")

    def __str__(self):
        return f"{self.title} v{self.version}"


# A binding in one of these states blocks another for the same pair (ALREADY_BOUND, SECOND_SPOUSE).
LIVE_STATUSES = ["awaiting_consent", "active", "suspended"]


class Binding(models.Model):
    class Status(models.TextChoices):
        AWAITING_CONSENT = "awaiting_consent", _("Awaiting the spouse's consent")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        REFUSED = "refused", _("Refused by the spouse")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired without an answer")
        ENDED = "ended", _("Ended")

    LIVE = LIVE_STATUSES

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        HALL = "hall", _("Service hall")

    class SignatureMethod(models.TextChoices):
        DRAWN = "drawn", _("Drawn signature")
        TYPED = "typed", _("Typed full name")
        SCANNED = "scanned", _("Scanned paper letter")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference number"), max_length=24, unique=True)
    authorizer = models.ForeignKey(InsuredPerson, on_delete=models.PROTECT, related_name="bindings_given",
                                   verbose_name=_("authorizer"))
    member = models.ForeignKey(InsuredPerson, on_delete=models.PROTECT, related_name="bindings_received",
                               verbose_name=_("member"))
    relation = models.CharField(_("relationship"), max_length=20, choices=Relation.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    # What was signed. Never edited after creation.
    letter = models.ForeignKey(CommitmentLetter, on_delete=models.PROTECT, verbose_name=_("commitment letter"))
    letter_sha256 = models.CharField(_("SHA-256 of the text signed"), max_length=64)
    signature_method = models.CharField(_("signature method"), max_length=10, choices=SignatureMethod.choices)
    signature_image = models.BinaryField(_("signature image"), null=True, blank=True)
    signature_mime = models.CharField(max_length=20, blank=True)
    typed_name = models.CharField(_("typed name"), max_length=50, blank=True)
    signed_at = models.DateTimeField(_("signed at"))
    signed_ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    signed_user_agent = models.CharField(_("browser"), max_length=400, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("hall staff member"))
    hall = models.ForeignKey(ServiceHall, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("service hall"))
    # The SHA-256 of the signature kept (a drawn image or a scanned signed letter), and the one override hall
    # staff may make (sharing.counter.RelationOverride). Set at creation, never edited (a trigger keeps them).
    signature_sha256 = models.CharField(_("SHA-256 of the signature"), max_length=64, blank=True)
    override_document = models.CharField(_("relationship confirmed with"), max_length=30, blank=True)
    override_note = models.TextField(_("override note"), blank=True)
    override_staff = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("relationship confirmed by"))

    # Both sides' insurance relationship when the binding was signed: under a policy that ends bindings when it
    # changes (the 2026 rules), re-evaluation compares against these, and the authorizer's region then is the one
    # whose policy governed the binding (rules.md, "Binding life").
    bound_authorizer_region = models.ForeignKey(
        PoolingRegion, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("authorizer's pooling region when bound"))
    bound_authorizer_insutype = models.CharField(_("authorizer's insurance type when bound"), max_length=3,
                                                 blank=True, choices=InsuredPerson.InsuranceType.choices)
    bound_member_region = models.ForeignKey(
        PoolingRegion, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("member's pooling region when bound"))
    bound_member_insutype = models.CharField(_("member's insurance type when bound"), max_length=3, blank=True,
                                             choices=InsuredPerson.InsuranceType.choices)

    consent_deadline = models.DateTimeField(_("consent deadline"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    activated_at = models.DateTimeField(_("active since"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    status_reason = models.CharField(_("reason code of the last change"), max_length=40, blank=True)
    # The member's place for this binding in their paying order (1 pays first); empty: after those with a place,
    # earliest activation first (sharing.eligibility.payment.payment_order).
    payment_priority = models.PositiveSmallIntegerField(_("place in the member's paying order"), null=True,
                                                        blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sharing binding")
        verbose_name_plural = _("sharing bindings")
        indexes = [
            models.Index(fields=["member", "status"], name="binding_member_status"),
            models.Index(fields=["authorizer", "-created_at"], name="binding_authorizer_latest"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(authorizer=models.F("member")), name="no_self_binding"),
            models.UniqueConstraint(fields=["authorizer", "member"], condition=Q(status__in=LIVE_STATUSES),
                                    name="one_live_binding_per_pair"),
            models.UniqueConstraint(fields=["authorizer"], condition=Q(status__in=LIVE_STATUSES, relation="spouse"),
                                    name="one_live_spouse_binding"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_from__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="validity_end_after_start",
            ),
        ]

    def __str__(self):
        return self.reference

    def audit_regions(self) -> tuple:
        """For officials' scope in the audit trail: the authorizer's region governs a binding."""
        return (self.authorizer.region_id,)


def overdue_q(now) -> Q:
    """A spouse request past its consent deadline (effectively expired, even before expire_bindings records it)."""
    return Q(status=Binding.Status.AWAITING_CONSENT, consent_deadline__lte=now)


def validity_over_q(now) -> Q:
    """A binding past the last day of its validity period (effectively ended, even before re-evaluation)."""
    return Q(status__in=[Binding.Status.ACTIVE, Binding.Status.SUSPENDED], valid_until__lt=timezone.localdate(now))


def live_q(now) -> Q:
    """Live now: pending, active or suspended, without overdue requests or bindings whose period is over."""
    return Q(status__in=Binding.LIVE) & ~overdue_q(now) & ~validity_over_q(now)


class PremiumPayment(models.Model):
    """A premium due paid from a personal account (rules.md, "Premiums"): at most once per due (the one-to-one is
    the database's guarantee), never refunded online."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference number"), max_length=24, unique=True)
    due = models.OneToOneField(PremiumDue, on_delete=models.PROTECT, related_name="payment", verbose_name=_("due"))
    payer = models.ForeignKey(InsuredPerson, on_delete=models.PROTECT, related_name="premiums_paid",
                              verbose_name=_("paid by"))
    relation = models.CharField(_("relationship"), max_length=20)
    account = models.ForeignKey(PersonalAccount, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    ledger_entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, default="online")
    created_at = models.DateTimeField(_("paid at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("premium payment")
        verbose_name_plural = _("premium payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="premium_payment_positive")]

    def __str__(self):
        return self.reference

    def audit_regions(self) -> tuple:
        """Officials of the payer's region and of the due's region see it."""
        return (self.payer.region_id, self.due.region_id)
