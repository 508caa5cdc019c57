"""The audit trail: every change to citizen data is one row. The database refuses UPDATE and DELETE."""

from django.conf import settings
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from registry.models import PoolingRegion, Province, ServiceHall


class AuditEvent(models.Model):
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("actor"))
    # Kept as text as well: the trail must read the same even if the account is renamed.
    actor_label = models.CharField(_("actor"), max_length=100, blank=True)
    hall = models.ForeignKey(ServiceHall, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("service hall"))
    channel = models.CharField(_("channel"), max_length=10, default="online")
    subject_type = models.CharField(_("subject type"), max_length=60)
    subject_id = models.CharField(_("subject id"), max_length=64)
    # What a person calls the subject (a binding's GJ reference), kept so the trail reads without other tables.
    subject_label = models.CharField(_("subject"), max_length=64, blank=True)
    event = models.CharField(_("event"), max_length=60)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # The subject's pooling region(s) as they were when the event was written, so that a scoped official's view
    # needs no other app's tables: e.g. a binding's authorizer's region; a settlement's patient's and institution's.
    # Their indexes are in Meta: a foreign key to a text key gets a second, LIKE-pattern index that nothing uses.
    region = models.ForeignKey(PoolingRegion, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("pooling region"), db_index=False)
    other_region = models.ForeignKey(PoolingRegion, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("other pooling region"), db_index=False)
    # For acts about a whole province (a province's policy version, a provincial official's registry upload).
    province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("province"), db_index=False)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    # The hash chain, written by the database on insert (trigger audit_chain, migration 0007), never by Python:
    # each event's hash covers its own columns and the hash of the event before it (`verify_audit` checks it).
    # Several chains (one per head, audit migration 0010): `chain` names the event's, empty for the first one (so the
    # events chained before there were several keep their hashes); `chain_seq` numbers the events of each chain.
    chain = models.SmallIntegerField(_("chain"), null=True, blank=True, editable=False)
    chain_seq = models.BigIntegerField(_("chain number"), null=True, blank=True, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, editable=False)
    chain_hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "created_at"], name="audit_subject"),
            models.Index(fields=["region"], name="audit_event_region"),
            models.Index(fields=["other_region"], name="audit_event_other_region"),
            models.Index(fields=["province"], name="audit_event_province"),
        ]
        constraints = [
            models.UniqueConstraint(Coalesce(F("chain"), Value(1)), F("chain_seq"), name="audit_chain_seq_once"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.event} {self.subject_type}:{self.subject_id}"


class AuditChainHead(models.Model):
    """The last link of one audit chain (its id is the chain's number), locked and moved on by the insert trigger
    only: a transaction chains its events on the first head no other transaction holds, so concurrent transactions
    do not wait for one another, and the events of each chain follow one another in commit order (audit migration
    0010; at most 16 heads). The runtime role may read them, never write them."""

    seq = models.BigIntegerField(_("chain number"), default=0)
    chain_hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self):
        return f"#{self.seq} {self.chain_hash[:12]}"


class RefusalEntry(models.Model):
    """One reason code the engine (or a channel's own check) gave when it refused or explained a refusal.

    Only the code, the channel, the pooling region and the time: never a name, an ID number or any other
    personal data. Officials need a count per code, not a second copy of the citizens' records."""

    class Channel(models.TextChoices):
        WIZARD = "wizard", _("Online binding wizard")
        HALL = "hall", _("Service hall")
        API = "api", _("Settlement API")
        SELFCHECK = "selfcheck", _("Self-check")
        # Online pages of the 2026 money rules: granting, topping up or reducing a quota; paying a premium.
        MONEY = "money", _("Online quotas and premiums")

    code = models.CharField(_("reason code"), max_length=60)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    region = models.ForeignKey(PoolingRegion, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("pooling region"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("refusal reason")
        verbose_name_plural = _("refusal reasons")
        indexes = [models.Index(fields=["created_at", "channel", "code"], name="refusal_period")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d} {self.channel} {self.code}"
