"""Watching how institutions use their keys: every balance enquiry is audited, enquiries are limited per key,
and a spike of refused requests from one key raises an alert officials see in the admin."""

from django.conf import settings
from django.db import IntegrityError, transaction

from accounts.throttle import counter_values, hit, increment, window_start
from audit.services import audit_values
from settlement.models import ApiKey, ApiKeyAlert
from settlement.writers import audit_write

ENQUIRY_WINDOW = 60
REFUSAL_WINDOW = 10 * 60


def enquiry_allowed(api_key: ApiKey) -> bool:
    return hit("api-enquiry", api_key.prefix, limit=settings.API_ENQUIRIES_PER_MINUTE, window=ENQUIRY_WINDOW)


def enquiry_counter(api_key: ApiKey) -> dict:
    """The counter enquiry_allowed counts in, for the enquiry's own statement (settlement.loaders.enquiry_load)."""
    return counter_values("api-enquiry", api_key.prefix, window=ENQUIRY_WINDOW)


def enquiry_audit(*, api_key: ApiKey, patient=None, cert_type: str = "", refused: str = "") -> None:
    """One audit row per enquiry: whose balance was read by which institution and key, or what was refused."""
    details = {"institution": api_key.institution.fixmedins_code, "api_key": api_key.prefix, "cert_type": cert_type}
    # As audit_record would append it, in a fixed statement (settlement.writers.audit_write).
    if patient is not None:
        audit_write(audit_values(actor=None, subject=patient, event="balance_enquiry", after=details, channel="api"))
    else:
        audit_write(audit_values(actor=None, subject=api_key, event="balance_enquiry_refused",
                                 after={**details, "code": refused}, channel="api"))


def refusal_record(api_key: ApiKey) -> ApiKeyAlert | None:
    """Count a refused request of this key; at the threshold, raise one alert for this window."""
    count = increment("api-refusal", api_key.prefix, window=REFUSAL_WINDOW)
    if count != settings.API_REFUSAL_ALERT_THRESHOLD:
        return None
    try:
        with transaction.atomic():
            return ApiKeyAlert.objects.create(api_key=api_key, window_start=window_start(REFUSAL_WINDOW), refusals=count)
    except IntegrityError:  # another process raised it for this window already
        return None
