from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.models import InsuredPerson, PoolingRegion, Province, ServiceHall


class User(AbstractUser):
    """A web account. Citizens log in with their ID number or mobile; staff and officials with a username."""

    class Role(models.TextChoices):
        CITIZEN = "citizen", _("Citizen")
        STAFF = "staff", _("Hall staff member")
        OFFICIAL = "official", _("Official")

    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.CITIZEN)
    person = models.OneToOneField(
        InsuredPerson, null=True, blank=True, on_delete=models.PROTECT, related_name="user",
        verbose_name=_("insured person"),
    )
    mobile = models.CharField(_("mobile number"), max_length=11, blank=True, db_index=True)
    hall = models.ForeignKey(ServiceHall, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("service hall"))
    scope_province = models.ForeignKey(
        Province, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("province in scope")
    )
    scope_region = models.ForeignKey(
        PoolingRegion, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("pooling region in scope"),
        help_text=_("An official with neither a province nor a region in scope is national."),
    )
    must_change_password = models.BooleanField(
        _("must set a new password at next login"), default=False,
        help_text=_("Set when someone else (an official) chose this account's password."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="citizen") | Q(person__isnull=False) | Q(is_superuser=True),
                name="citizen_has_person",
            ),
            models.CheckConstraint(condition=~Q(role="staff") | Q(hall__isnull=False), name="staff_has_hall"),
            models.UniqueConstraint(fields=["mobile"], condition=~Q(mobile=""), name="one_account_per_mobile"),
        ]

    @property
    def is_citizen(self) -> bool:
        return self.role == self.Role.CITIZEN and self.person_id is not None

    @property
    def is_hall_staff(self) -> bool:
        return self.role == self.Role.STAFF and self.hall_id is not None


class OneTimeCode(models.Model):
    """An SMS code. Only a hash is kept; it expires, allows a few attempts, and is used once."""

    class Purpose(models.TextChoices):
        REGISTER = "register", _("registration")
        RESET = "reset", _("password reset")

    # Wider than a mobile number: unknown accounts get a placeholder key (see password_reset).
    mobile = models.CharField(max_length=32)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["mobile", "purpose", "-created_at"], name="otp_latest")]

    def __str__(self):
        return f"{self.purpose} code for {self.mobile[:3]}****"


class RateCounter(models.Model):
    """Requests counted per (scope, key) in fixed time windows, shared by every web process (accounts.throttle).
    The key is a keyed hash: no ID number or address is stored here."""

    scope = models.CharField(max_length=40)
    key_hash = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key_hash", "window_start"], name="rate_counter_unique")]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self):
        return f"{self.scope} {self.window_start:%Y-%m-%d %H:%M} {self.count}"


class Session(AbstractBaseSession):
    """Django's database session with the id of the user its data names, written with the data (accounts/sessions.py):
    a page reads its session, the user and their insured person in one statement. The signed session data stays the
    authority; the column is only a join key, used when it names the same user."""

    user_id = models.BigIntegerField(null=True, blank=True, editable=False)

    @classmethod
    def get_session_store_class(cls):
        from accounts.sessions import SessionStore  # accounts.sessions imports this module

        return SessionStore
