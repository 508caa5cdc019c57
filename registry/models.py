"""The enrollment registry and the sharing policy.

The core insurance system owns this data; the portal mirrors it through
`import_registry` and officials maintain it in the admin.
"""

import datetime
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from registry import idnumber


class Province(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True, validators=[RegexValidator(r"^\d{2}$")])
    name = models.CharField(_("name"), max_length=32)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self):
        return self.name


class PoolingRegion(models.Model):
    code = models.CharField(
        _("administrative division code"), max_length=6, primary_key=True, validators=[RegexValidator(r"^\d{6}$")]
    )
    name = models.CharField(_("name"), max_length=64)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regions", verbose_name=_("province"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("pooling region")
        verbose_name_plural = _("pooling regions")
        constraints = [
            # The province is the first two digits of the code, always.
            models.CheckConstraint(
                condition=Q(code__startswith=models.F("province_id")), name="region_code_starts_with_province"
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.code}）"


class ServiceHall(models.Model):
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(PoolingRegion, on_delete=models.PROTECT, verbose_name=_("pooling region"))
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("service hall")
        verbose_name_plural = _("service halls")

    def __str__(self):
        return self.name


class Relation(models.TextChoices):
    """The member's relationship to the authorizer."""

    PARENT = "parent", _("Parent")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    SIBLING = "sibling", _("Sibling")
    GRANDPARENT = "grandparent", _("Grandparent")
    GRANDCHILD = "grandchild", _("Grandchild")
    PARENT_IN_LAW = "parent_in_law", _("Parent-in-law")
    OTHER = "other", _("Other relative")


# Relationships a policy may allow at all; parents-in-law and "other" never.
SHAREABLE_RELATIONS = [
    Relation.PARENT, Relation.SPOUSE, Relation.CHILD, Relation.SIBLING, Relation.GRANDPARENT, Relation.GRANDCHILD,
]


# The fields a province's version may leave empty to follow the national version in force on the day.
INHERITED_FIELDS = [
    "allowed_relations", "cross_city_allowed", "cross_province_allowed", "consent_expiry_days",
    "uses_validity_period", "shared_floor", "per_payment_cap", "single_authorizer_per_settlement",
    "on_registry_break", "premiums_payable", "ends_on_insurance_change", "quota_scope",
]


class SharingPolicy(models.Model):
    """One version of the sharing rules: national default (no province) or a province's own.

    A province's version overrides only the fields it sets; a field left empty (NULL) follows the national version
    in force on the same day (registry.policy.policy_in_force resolves this). The national version sets them all.
    """

    class OnBreak(models.TextChoices):
        SUSPEND = "suspend", _("Suspend the binding until the rule holds again")
        END = "end", _("End the binding")

    class QuotaScope(models.TextChoices):
        NONE = "none", _("No binding: the live balance is shared")
        CROSS_PROVINCE = "cross_province", _("Cross-province bindings share through a quota")
        ALL = "all", _("Every binding shares through a quota")

    province = models.ForeignKey(
        Province, null=True, blank=True, on_delete=models.PROTECT, related_name="policies",
        verbose_name=_("province"), help_text=_("Leave empty for the national default."),
    )
    effective_from = models.DateField(_("effective from"))
    title = models.CharField(_("title"), max_length=200)
    allowed_relations = ArrayField(
        models.CharField(max_length=20, choices=[(r.value, r.label) for r in SHAREABLE_RELATIONS]),
        verbose_name=_("allowed relationships"), null=True, blank=True,
    )
    cross_city_allowed = models.BooleanField(_("sharing between cities of the province allowed"), null=True,
                                             blank=True, default=None)
    cross_province_allowed = models.BooleanField(_("sharing across provinces allowed"), null=True, blank=True,
                                                 default=None)
    consent_expiry_days = models.PositiveSmallIntegerField(
        _("days a spouse has to answer"), null=True, blank=True, default=None, validators=[MinValueValidator(1)]
    )
    uses_validity_period = models.BooleanField(_("bindings have a validity period"), null=True, blank=True,
                                               default=None)
    shared_floor = models.DecimalField(
        _("only the balance above this floor may be shared (yuan)"), max_digits=12, decimal_places=2,
        null=True, blank=True, validators=[MinValueValidator(0)],
    )
    per_payment_cap = models.DecimalField(
        _("cap per payment per member (yuan)"), max_digits=12, decimal_places=2,
        null=True, blank=True, validators=[MinValueValidator(0)],
    )
    single_authorizer_per_settlement = models.BooleanField(_("one settlement draws on one authorizer only"),
                                                           null=True, blank=True, default=None)
    on_registry_break = models.CharField(
        _("when a registry change breaks a rule"), max_length=10, choices=OnBreak.choices, null=True, blank=True,
        default=None,
    )
    premiums_payable = models.BooleanField(_("may pay the member's resident-insurance premiums"), null=True,
                                           blank=True, default=None)
    ends_on_insurance_change = models.BooleanField(
        _("a binding ends when either side's insurance relationship changes"), null=True, blank=True, default=None,
        help_text=_("Pooling region, insurance type, or enrollment ended (the 2026 rules)."),
    )
    quota_scope = models.CharField(
        _("which bindings share through a quota (共济额度)"), max_length=16, choices=QuotaScope.choices, null=True,
        blank=True, default=None,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["province_id", "-effective_from"]
        verbose_name = _("sharing policy")
        verbose_name_plural = _("sharing policies")
        constraints = [
            models.UniqueConstraint(fields=["province", "effective_from"], name="one_policy_version_per_day",
                                    nulls_distinct=False),
            # The national version is what every empty field follows: it sets them all (floor and cap may stay
            # empty: none).
            models.CheckConstraint(
                condition=Q(province__isnull=False) | Q(
                    allowed_relations__isnull=False, cross_city_allowed__isnull=False,
                    cross_province_allowed__isnull=False, consent_expiry_days__isnull=False,
                    uses_validity_period__isnull=False, single_authorizer_per_settlement__isnull=False,
                    on_registry_break__isnull=False, premiums_payable__isnull=False,
                    ends_on_insurance_change__isnull=False, quota_scope__isnull=False),
                name="national_policy_sets_every_field",
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.effective_from}）"


class InsuredPerson(models.Model):
    class InsuranceType(models.TextChoices):
        EMPLOYEE = "310", _("Employee insurance")
        RESIDENT = "390", _("Resident insurance")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Enrolled")
        SUSPENDED = "suspended", _("Suspended")
        ENDED = "ended", _("Ended")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    certno = models.CharField(_("resident ID number"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=50)
    insutype = models.CharField(_("insurance type"), max_length=3, choices=InsuranceType.choices)
    region = models.ForeignKey(PoolingRegion, on_delete=models.PROTECT, verbose_name=_("pooling region"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    mobile = models.CharField(_("mobile number"), max_length=11, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["certno"]
        verbose_name = _("insured person")
        verbose_name_plural = _("insured persons")
        constraints = [
            models.CheckConstraint(condition=Q(certno__regex=r"^\d{17}[0-9X]$"), name="certno_shape"),
        ]

    def __str__(self):
        return f"{self.name} {self.masked_certno}"

    @cached_property
    def id_info(self) -> idnumber.IdInfo:
        return idnumber.parse(self.certno)

    @property
    def birth_date(self) -> datetime.date:
        return self.id_info.birth_date

    @property
    def sex(self) -> str:
        return self.id_info.sex

    @property
    def masked_certno(self) -> str:
        return idnumber.mask(self.certno)

    @property
    def is_employee(self) -> bool:
        return self.insutype == self.InsuranceType.EMPLOYEE

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def age_on(self, day: datetime.date) -> int:
        return idnumber.age_on(self.birth_date, day)


class PremiumDue(models.Model):
    """A premium due the core system publishes (居民医保个人缴费 or 长期护理保险): one person, kind and year.
    Paid through the portal at most once (sharing.PremiumPayment); reversals are the hall's or the core system's."""

    class Kind(models.TextChoices):
        RESIDENT = "resident", _("Resident basic medical insurance premium")
        LTC = "ltc", _("Long-term care insurance premium")

    person = models.ForeignKey(InsuredPerson, on_delete=models.PROTECT, related_name="premium_dues",
                               verbose_name=_("insured person"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    region = models.ForeignKey(PoolingRegion, on_delete=models.PROTECT, verbose_name=_("pooling region"))
    due_date = models.DateField(_("due date"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "kind"]
        verbose_name = _("premium due")
        verbose_name_plural = _("premium dues")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "year"], name="one_premium_due_per_person_kind_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="premium_due_positive"),
        ]

    def __str__(self):
        return f"{self.person.name} {self.get_kind_display()} {self.year}"


class RegistryImportJob(models.Model):
    """The apply step of a registry upload, run by the task worker (`registry.tasks.apply_registry_upload`); the
    official reloads its page for the progress (rows written of the total) and the outcome."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for the worker")
        RUNNING = "running", _("running")
        DONE = "done", _("imported")
        FAILED = "failed", _("nothing was imported")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    uploader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64)
    # The official's scope when they applied (the job validates against it again).
    scope_region = models.ForeignKey(PoolingRegion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    scope_province = models.ForeignKey(Province, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.sha256[:12]} {self.status}"
