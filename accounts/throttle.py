"""Rate limits shared by every web process, and the identity login throttling keys on.

`hit()` counts one request for (scope, key) in the current fixed window and says whether it is still within the
limit; `exceeded()` only looks. Counters live in PostgreSQL (one upsert per request), so gunicorn's workers
share them; keys are stored as keyed hashes.
"""

import datetime

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import connection
from django.dispatch import receiver
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import RateCounter
from registry import idnumber

LOGIN_WINDOW = 15 * 60


def _key(scope: str, key: str) -> str:
    return salted_hmac("accounts.throttle", f"{scope}:{key}", algorithm="sha256").hexdigest()


def window_start(seconds: int) -> datetime.datetime:
    now = timezone.now().timestamp()
    return datetime.datetime.fromtimestamp(now - now % seconds, tz=datetime.UTC)


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one request; True while the count in this window is within `limit`."""
    return increment(scope, key, window=window) <= limit


def increment(scope: str, key: str, *, window: int) -> int:
    """Count one request and return the count in this window so far."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {RateCounter._meta.db_table} (scope, key_hash, window_start, count) VALUES (%s, %s, %s, 1) "
            "ON CONFLICT (scope, key_hash, window_start) DO UPDATE SET count = "
            f"{RateCounter._meta.db_table}.count + 1 RETURNING count",
            [scope, _key(scope, key), window_start(window)],
        )
        return cursor.fetchone()[0]


def counter_values(scope: str, key: str, *, window: int) -> dict:
    """The row `increment` counts in, for a caller that counts in a statement of its own (the API's patient enquiry,
    settlement.loaders): {"scope", "counter_key" (the stored key_hash), "window_start"}."""
    return {"scope": scope, "counter_key": _key(scope, key), "window_start": window_start(window)}


def count(scope: str, key: str, *, window: int) -> int:
    row = RateCounter.objects.filter(scope=scope, key_hash=_key(scope, key), window_start=window_start(window)).first()
    return row.count if row else 0


def exceeded(scope: str, key: str, *, limit: int, window: int) -> bool:
    return count(scope, key, window=window) >= limit


def clear(scope: str, key: str) -> None:
    RateCounter.objects.filter(scope=scope, key_hash=_key(scope, key)).delete()


def purge(older_than: datetime.timedelta = datetime.timedelta(days=2)) -> int:
    return RateCounter.objects.filter(window_start__lt=timezone.now() - older_than).delete()[0]


def login_identity(request, credentials=None) -> str:
    """The person behind what was typed (ID number in any case, or mobile): their account's username, so that
    one person has one throttle whichever identifier is used. Unknown identifiers are normalised as typed."""
    from accounts.services import user_by_login

    typed = (credentials or {}).get("username") if credentials else None
    if typed is None and request is not None:
        typed = request.POST.get("username", "")
    typed = (typed or "").strip()[:64]
    user = user_by_login(typed) if typed else None
    if user is not None:
        return user.get_username()
    return idnumber.normalize(typed) if len(typed) == 18 else typed


@receiver(user_login_failed, dispatch_uid="accounts.throttle.count_failure_per_address")
def _count_failure_per_address(sender, credentials, request=None, **kwargs):
    from django.conf import settings

    from core.client_ip import client_ip

    if request is not None:
        hit("login-address", client_ip(request), limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT, window=LOGIN_WINDOW)


@receiver(user_logged_in, dispatch_uid="accounts.throttle.clear_person")
def _clear_all_of_a_persons_locks(sender, request, user, **kwargs):
    """A success proves the person: lift every (person, address) lock, wherever it was caused."""
    from axes.models import AccessAttempt

    AccessAttempt.objects.filter(username=user.get_username()).delete()


def login_address_blocked(request) -> bool:
    from django.conf import settings

    from core.client_ip import client_ip

    return exceeded("login-address", client_ip(request), limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT,
                    window=LOGIN_WINDOW)


def registration_attempt_allowed(*, address: str, certno: str) -> bool:
    """The registry check answers who is insured, under which name, and who has an account: a few tries an hour
    per client address and per ID number, counted before the registry is asked."""
    from django.conf import settings

    by_address = hit("register-address", address, limit=settings.REGISTRATION_ADDRESS_LIMIT, window=3600)
    by_person = hit("register-certno", certno, limit=settings.REGISTRATION_CERTNO_LIMIT, window=3600)
    return by_address and by_person


def person_lookup_allowed(user) -> bool:
    """The binding wizard's member check and the self-check look a person up by name and ID number: a citizen
    gets a few such lookups a day, which is plenty for a family and useless for enumeration."""
    from django.conf import settings

    return hit("person-lookup", str(user.pk), limit=settings.PERSON_LOOKUP_LIMIT, window=24 * 3600)
