"""A counter visit: one citizen served by one staff member at one hall, with what was checked in person."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.models import InsuredPerson, ServiceHall
from sharing.counter import HOUSEHOLD_REGISTER, MARRIAGE_CERTIFICATE
from sharing.models import Binding


class Document(models.TextChoices):
    ID_CARD = "id_card", _("Resident ID card")
    HOUSEHOLD_REGISTER = HOUSEHOLD_REGISTER, _("Household register (户口簿)")
    MARRIAGE_CERTIFICATE = MARRIAGE_CERTIFICATE, _("Marriage certificate (结婚证)")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate (出生医学证明)")


class Visit(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    hall = models.ForeignKey(ServiceHall, on_delete=models.PROTECT, verbose_name=_("service hall"))
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("hall staff member"))
    citizen = models.ForeignKey(InsuredPerson, on_delete=models.PROTECT, related_name="+", verbose_name=_("citizen"))
    documents = models.JSONField(_("documents checked"), default=list)
    # A relative present at the counter (a spouse consenting, an adult joining a family account), with their own
    # ID check.
    companion = models.ForeignKey(InsuredPerson, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("relative present"))
    companion_documents = models.JSONField(_("documents of the relative checked"), default=list)
    # What was done, for the SMS summary at the end: [{"event": ..., "reference": ...}].
    actions = models.JSONField(default=list)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("counter visit")
        verbose_name_plural = _("counter visits")
        constraints = [models.UniqueConstraint(fields=["staff"], condition=Q(ended_at__isnull=True),
                                               name="hall_one_open_visit_per_staff")]

    def __str__(self):
        return f"{self.hall} · {self.citizen.name} · {self.opened_at:%Y-%m-%d %H:%M}"

    def audit_regions(self) -> tuple:
        return (self.citizen.region_id,)

    @property
    def people_ids(self) -> set:
        return {self.citizen_id} | ({self.companion_id} if self.companion_id else set())

    @property
    def all_documents(self) -> set:
        return set(self.documents) | set(self.companion_documents)

    def document_labels(self) -> list[str]:
        return [str(Document(d).label) for d in self.documents]

    def companion_document_labels(self) -> list[str]:
        return [str(Document(d).label) for d in self.companion_documents]


class CounterSignature(models.Model):
    """A signature given at the counter that the binding itself does not hold: a spouse consenting in person."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="signatures")
    person = models.ForeignKey(InsuredPerson, on_delete=models.PROTECT, related_name="+")
    binding = models.ForeignKey(Binding, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=20)
    image = models.BinaryField()
    mime = models.CharField(max_length=30)
    sha256 = models.CharField(max_length=64)
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("counter signature")
        verbose_name_plural = _("counter signatures")

    def __str__(self):
        return f"{self.person.name} · {self.purpose} · {self.signed_at:%Y-%m-%d %H:%M}"
