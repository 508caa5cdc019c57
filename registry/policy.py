"""Which sharing policy is in force. Every rule reads policy only through here."""

import datetime

from django.db.models import Q
from django.utils import timezone

from registry.models import PoolingRegion, Province, SharingPolicy


class NoPolicy(Exception):
    """No national default is in force: an official must publish one."""


def policy_in_force(region: PoolingRegion, on: datetime.date | None = None) -> SharingPolicy:
    """The newest version in force on `on` for the region's province, else the national default."""
    on = on or timezone.localdate()
    candidates = (
        SharingPolicy.objects.filter(Q(province_id=region.province_id) | Q(province__isnull=True), effective_from__lte=on)
        # Province versions first (nulls last), then the newest.
        .order_by("province_id", "-effective_from")
    )
    policy = candidates.first()
    if policy is None:
        raise NoPolicy(f"No sharing policy is in force on {on}.")
    return policy


def policies_in_force() -> list[SharingPolicy]:
    """The national default, then each province's own version in force today."""
    today = timezone.localdate()
    national = (SharingPolicy.objects.filter(province__isnull=True, effective_from__lte=today)
                .order_by("-effective_from"))
    found = [national.first()] if national.exists() else []
    provinces = (Province.objects.filter(policies__effective_from__lte=today).distinct().order_by("code")
                 .prefetch_related("regions"))
    for province in provinces:
        region = province.regions.all()[:1]
        if region:
            try:
                found.append(policy_in_force(region[0], today))
            except NoPolicy:
                pass
    return [p for p in found if p is not None]
