"""The client's address, for throttling and audit.

Directly on the internet (the default) it is REMOTE_ADDR. Behind a reverse proxy (DJANGO_BEHIND_PROXY=1) it is
taken from X-Forwarded-For, but only when the request really comes from one of the configured proxies
(DJANGO_TRUSTED_PROXIES, addresses or networks), and then the right-most address in the header that is not a
trusted proxy: whatever a client writes into the header itself stays to the left and is never believed.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(item, strict=False) for item in proxies)


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not settings.BEHIND_PROXY or not _trusted(remote):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if not _valid(address):
            return remote  # a malformed hop: do not guess past it
        if not _trusted(address):
            return address
    return remote
