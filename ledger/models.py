"""Personal accounts and their append-only ledger.

The database keeps the invariant, not Python: inserting a ledger entry moves
the account balance (trigger), a balance can change in no other way, the
balance can never go below zero (check constraint), and entries can never be
updated or deleted. See migration 0002.
"""

from decimal import Decimal

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.models import InsuredPerson


class PersonalAccount(models.Model):
    person = models.OneToOneField(
        InsuredPerson, on_delete=models.PROTECT, related_name="account", verbose_name=_("insured person")
    )
    balance = models.DecimalField(_("balance (yuan)"), max_digits=14, decimal_places=2, default=Decimal("0.00"))
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("personal account")
        verbose_name_plural = _("personal accounts")
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="balance_never_negative")]

    def __str__(self):
        return f"{self.person.name} ¥{self.balance}"


class Reserve(models.Model):
    """Money an authorizer set aside for one binding (a sharing quota, 共济额度): a sub-ledger of their account.

    Its balance moves only through ledger entries that name it (the same trigger as the account's), never below
    zero, and a closed reserve takes no more money in. `binding_ref` is the binding's id (the sharing app sits above
    the ledger and keeps the link)."""

    account = models.ForeignKey(PersonalAccount, on_delete=models.PROTECT, related_name="reserves",
                                verbose_name=_("personal account"))
    binding_ref = models.UUIDField(_("binding"), unique=True)
    balance = models.DecimalField(_("left (yuan)"), max_digits=14, decimal_places=2, default=Decimal("0.00"))
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sharing quota")
        verbose_name_plural = _("sharing quotas")
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="reserve_never_negative")]

    def __str__(self):
        return f"{self.account.person.name} ¥{self.balance}"


class LedgerEntry(models.Model):
    class Kind(models.TextChoices):
        OPENING = "opening", _("Opening balance")
        CREDIT = "credit", _("Monthly credit")
        SETTLEMENT = "settlement", _("Payment")
        REFUND = "refund", _("Refund")
        ADJUSTMENT = "adjustment", _("Adjustment")
        QUOTA = "quota", _("Sharing quota")
        PREMIUM = "premium", _("Premium paid")

    # No index of its own: ledger_account_latest (account, -id) serves every lookup by account, and with a second,
    # smaller one a prepared (generic) plan for "an account's latest entries" read all of a heavy account's entries
    # through it and sorted them (docs/pages-prepared.md). One index less to keep up at every posting, too.
    account = models.ForeignKey(PersonalAccount, on_delete=models.PROTECT, related_name="entries", db_index=False)
    # An entry of a reserve (a sharing quota) moves the reserve's balance instead of the account's (migration 0004).
    reserve = models.ForeignKey("Reserve", null=True, blank=True, on_delete=models.PROTECT, related_name="entries",
                                verbose_name=_("sharing quota"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    # Filled in by the database trigger from the account row it updates.
    balance_after = models.DecimalField(_("balance after"), max_digits=14, decimal_places=2, null=True, editable=False)
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    # Indexed in Meta: a text column's db_index gets a second, LIKE-pattern index that nothing uses.
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["account", "-id"], name="ledger_account_latest"),
                   models.Index(fields=["reference"], name="ledger_entry_reference")]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="entry_amount_not_zero")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class Credit(models.Model):
    """A monthly credit (划入), at most one per person and period: re-posting a file changes nothing."""

    person = models.ForeignKey(InsuredPerson, on_delete=models.PROTECT, related_name="credits")
    period = models.CharField(_("period"), max_length=7, validators=[RegexValidator(r"^\d{4}-(0[1-9]|1[0-2])$")])
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    ledger_entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "period"], name="one_credit_per_person_and_period"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="credit_positive"),
        ]

    def __str__(self):
        return f"{self.period} {self.amount}"
