"""API keys: `gjt_<prefix>_<secret>`. The prefix finds the row; only SHA-256 of the whole key is stored.

A key has 256 bits of randomness, so a plain SHA-256 (no slow hash) is enough and keeps each request cheap.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction

from settlement.models import ApiKey, Institution

DEMO_PREFIX = "demo0001"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _compose(prefix: str, secret: str) -> str:
    return f"gjt_{prefix}_{secret}"


@transaction.atomic
def api_key_issue(*, institution: Institution, name: str = "") -> tuple[ApiKey, str]:
    """A new key; the plain key is returned once and never stored."""
    prefix = secrets.token_hex(6)
    key = _compose(prefix, secrets.token_urlsafe(32))
    return ApiKey.objects.create(institution=institution, name=name, prefix=prefix, key_hash=_hash(key)), key


def demo_api_key() -> str:
    """The demo institution's key, derived from this installation's SECRET_KEY so `make run` can print it
    again on every start while the database holds only its hash."""
    secret = hmac.new(settings.SECRET_KEY.encode(), b"gongjitong demo api key", hashlib.sha256).hexdigest()[:40]
    return _compose(DEMO_PREFIX, secret)


def demo_api_key_install(*, institution: Institution) -> ApiKey:
    key = demo_api_key()
    api_key, _ = ApiKey.objects.update_or_create(
        prefix=DEMO_PREFIX, defaults={"institution": institution, "name": "demo", "key_hash": _hash(key)})
    return api_key


def institution_for_key(raw: str) -> Institution | None:
    """The active institution a presented key belongs to, or None (unknown, revoked, or wrong secret)."""
    api_key = api_key_for(raw)
    return api_key.institution if api_key else None


def api_key_for(raw: str) -> ApiKey | None:
    """The active key presented (with its institution), or None (unknown, revoked, or wrong secret)."""
    parts = raw.split("_", 2) if isinstance(raw, str) and len(raw) < 200 else []
    if len(parts) < 3 or parts[0] != "gjt":
        return None
    api_key = (ApiKey.objects.select_related("institution__region")
               .filter(prefix=parts[1], revoked_at__isnull=True, institution__active=True).first())
    if api_key is None or not hmac.compare_digest(api_key.key_hash, _hash(raw)):
        return None
    return api_key
