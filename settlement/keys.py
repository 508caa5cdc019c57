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


# The keys this process has seen valid: SHA-256 of the presented key -> the key with its institution. Only for the
# settlement endpoint, whose transaction re-checks the key in its first statement (settlement.loaders.KEY_VALID):
# a revoked key, or a deactivated or changed institution, is refused on the very next request in every process
# (api_view then drops the entry and reads the key again). Never edited in place: requests of other threads use it.
_cache: dict[str, ApiKey] = {}
CACHE_MAX = 1000


def api_key_cached(raw: str) -> ApiKey | None:
    """The key from this process's cache, else as api_key_for reads it (then cached). The caller must make sure
    it is still valid (see _cache)."""
    if not isinstance(raw, str) or len(raw) >= 200:
        return None
    digest = _hash(raw)
    api_key = _cache.get(digest)
    if api_key is None:
        api_key = api_key_for(raw)
        if api_key is not None:
            if len(_cache) >= CACHE_MAX:
                _cache.clear()
            _cache[digest] = api_key
    return api_key


def api_key_forget(raw: str) -> None:
    if isinstance(raw, str):
        _cache.pop(_hash(raw), None)


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
