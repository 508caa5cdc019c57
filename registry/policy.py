"""Which sharing policy is in force. Every rule reads policy only through here."""

import copy
import datetime

from django.db.models import Q
from django.utils import timezone

from registry.models import INHERITED_FIELDS, PoolingRegion, Province, SharingPolicy


class NoPolicy(Exception):
    """No national default is in force: an official must publish one."""


def resolve(province_version: SharingPolicy | None, national: SharingPolicy) -> SharingPolicy:
    """The province's version with every field it leaves empty taken from the national version (an unsaved copy:
    versions are never edited). Without a province version, the national one."""
    if province_version is None:
        return national
    policy = copy.copy(province_version)
    policy.inherited = []
    for name in INHERITED_FIELDS:
        if getattr(policy, name) is None and getattr(national, name) is not None:
            setattr(policy, name, getattr(national, name))
            policy.inherited.append(name)
    policy.national = national
    return policy


def policy_in_force(region: PoolingRegion, on: datetime.date | None = None) -> SharingPolicy:
    """The policy in force on `on` for the region's province: its newest version there, each field it leaves
    empty following the newest national version; without a province version, the national one."""
    on = on or timezone.localdate()
    # One query: the newest version of the province and the newest national one.
    newest = list(
        SharingPolicy.objects.filter(Q(province_id=region.province_id) | Q(province__isnull=True), effective_from__lte=on)
        .order_by("province_id", "-effective_from").distinct("province_id")
    )
    national = next((p for p in newest if p.province_id is None), None)
    if national is None:
        raise NoPolicy(f"No sharing policy is in force on {on}.")
    return resolve(next((p for p in newest if p.province_id is not None), None), national)


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
