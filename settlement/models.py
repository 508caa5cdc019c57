"""Designated institutions, their API keys, settlements and refunds.

Money itself moves only through ledger entries (ledger app); these rows record *why*
and *for whom*, and keep each reply so that a retried request gets the same answer.
"""

import uuid
from decimal import Decimal

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ledger.models import LedgerEntry, PersonalAccount
from registry.models import InsuredPerson, PoolingRegion

ZERO = Decimal("0.00")


class Institution(models.Model):
    """定点医药机构: a hospital or pharmacy allowed to settle with medical insurance."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    fixmedins_code = models.CharField(
        _("institution code"), max_length=12, unique=True,
        validators=[RegexValidator(r"^[A-Z]\d{11}$", _("12 characters: a capital letter and 11 digits, for example "
                                                        "H32030200090."))],
    )
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(PoolingRegion, on_delete=models.PROTECT, verbose_name=_("pooling region"))
    active = models.BooleanField(_("may settle"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["fixmedins_code"]
        verbose_name = _("designated institution")
        verbose_name_plural = _("designated institutions")
        constraints = [
            models.CheckConstraint(condition=Q(fixmedins_code__regex=r"^[A-Z]\d{11}$"), name="fixmedins_code_shape"),
        ]

    def __str__(self):
        return f"{self.name}（{self.fixmedins_code}）"


class ApiKey(models.Model):
    """Only the SHA-256 of the key is stored; the key is looked up by its public prefix."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="api_keys",
                                    verbose_name=_("institution"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True)
    key_hash = models.CharField(_("SHA-256 of the key"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self):
        return f"{self.institution.fixmedins_code} {self.prefix}…"


class ApiKeyAlert(models.Model):
    """Raised when one key's refused requests spike (settlement.enquiries): someone may be enumerating people."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("API key"))
    window_start = models.DateTimeField(_("window start"))
    refusals = models.PositiveIntegerField(_("refused requests"))
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key alert")
        verbose_name_plural = _("API key alerts")
        constraints = [models.UniqueConstraint(fields=["api_key", "window_start"], name="one_alert_per_key_window")]

    def __str__(self):
        return f"{self.api_key} {self.refusals} @ {self.window_start:%Y-%m-%d %H:%M}"


class Category(models.TextChoices):
    OUTPATIENT = "outpatient", _("Outpatient")
    PHARMACY = "pharmacy", _("Pharmacy")
    INPATIENT = "inpatient", _("Inpatient")


class Settlement(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: settlement_request_once (institution, request_id) leads with it.
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="settlements", db_index=False)
    request_id = models.CharField(max_length=64)
    # SHA-256 of the normalised request body: a retry with another body is a conflict.
    request_hash = models.CharField(max_length=64)
    patient = models.ForeignKey(InsuredPerson, on_delete=models.PROTECT, related_name="settlements")
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    acct_pay = models.DecimalField(_("paid from own account"), max_digits=14, decimal_places=2)
    acct_mulaid_pay = models.DecimalField(_("paid from shared accounts"), max_digits=14, decimal_places=2)
    cash_pay = models.DecimalField(_("paid in cash"), max_digits=14, decimal_places=2)
    refunded = models.DecimalField(_("refunded"), max_digits=14, decimal_places=2, default=ZERO)
    reply = models.JSONField()
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        indexes = [
            # Statistics: settlements per month (a range of created_at), read from the index alone.
            models.Index(fields=["created_at"], include=["institution", "amount", "acct_mulaid_pay"],
                         name="settlement_created_stats"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["institution", "request_id"], name="settlement_request_once"),
            models.CheckConstraint(condition=Q(acct_pay__gte=0, acct_mulaid_pay__gte=0, cash_pay__gte=0, amount__gt=0),
                                   name="settlement_parts_not_negative"),
            models.CheckConstraint(condition=Q(amount=models.F("acct_pay") + models.F("acct_mulaid_pay")
                                               + models.F("cash_pay")), name="settlement_parts_add_up"),
            models.CheckConstraint(condition=Q(refunded__gte=0, refunded__lte=models.F("amount")),
                                   name="settlement_refund_within_amount"),
        ]

    def __str__(self):
        return f"{self.institution.fixmedins_code}/{self.request_id}"

    def audit_regions(self) -> tuple:
        """The patient's region and the institution's: officials of either see the event."""
        return (self.patient.region_id, self.institution.region_id)


class Payment(models.Model):
    """One personal account's part of a settlement (the patient's own, or an authorizer's)."""

    class Source(models.TextChoices):
        OWN = "own", _("Own account")
        SHARED = "shared", _("Shared account")
        QUOTA = "quota", _("Sharing quota")

    settlement = models.ForeignKey(Settlement, on_delete=models.PROTECT, related_name="payments")
    account = models.ForeignKey(PersonalAccount, on_delete=models.PROTECT, related_name="payments")
    # No index of their own: payment_payer_latest and payment_member_latest lead with them (one index fewer to
    # write per payment each).
    payer = models.ForeignKey(InsuredPerson, on_delete=models.PROTECT, related_name="payments_made", db_index=False)
    member = models.ForeignKey(InsuredPerson, on_delete=models.PROTECT, related_name="payments_received",
                               db_index=False)
    source = models.CharField(max_length=6, choices=Source.choices)
    binding = models.ForeignKey("sharing.Binding", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(max_length=20, blank=True)
    # Copied from the settlement so that spending pages read one table in index order.
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=12, choices=Category.choices)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    refunded = models.DecimalField(_("refunded"), max_digits=14, decimal_places=2, default=ZERO)
    ledger_entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            # Keyset pagination of the spending pages: WHERE payer = … AND source = … AND id < cursor ORDER BY id DESC.
            models.Index(fields=["payer", "source", "-id"], name="payment_payer_latest"),
            models.Index(fields=["member", "source", "-id"], name="payment_member_latest"),
            # Statistics: money shared per month (a range of created_at), read from the index alone.
            models.Index(fields=["created_at"], include=["payer", "member", "amount", "refunded"],
                         condition=Q(source="shared"), name="payment_shared_created_stats"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive"),
            models.CheckConstraint(condition=Q(refunded__gte=0, refunded__lte=models.F("amount")),
                                   name="payment_refund_within_amount"),
        ]

    def __str__(self):
        return f"{self.source} {self.amount}"

    @property
    def net(self) -> Decimal:
        return self.amount - self.refunded


class Refund(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: refund_request_once (institution, request_id) leads with it.
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="refunds", db_index=False)
    settlement = models.ForeignKey(Settlement, on_delete=models.PROTECT, related_name="refunds")
    request_id = models.CharField(max_length=64)
    request_hash = models.CharField(max_length=64)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    reply = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["created_at"], include=["institution", "amount"], name="refund_created_stats"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["institution", "request_id"], name="refund_request_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_positive"),
        ]

    def __str__(self):
        return f"{self.request_id} {self.amount}"

    def audit_regions(self) -> tuple:
        return (self.settlement.patient.region_id, self.institution.region_id)


class RefundLine(models.Model):
    refund = models.ForeignKey(Refund, on_delete=models.PROTECT, related_name="lines")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refund_lines")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    ledger_entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_line_positive")]

    def __str__(self):
        return str(self.amount)
