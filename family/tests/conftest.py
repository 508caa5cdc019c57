import datetime

import pytest


@pytest.fixture
def add_to_family(db):
    """An active family-account membership, written directly (for tests of codes and reads only)."""
    from family.models import FamilyMembership

    def add(holder, member, relation="child", status="active"):
        return FamilyMembership.objects.create(holder=holder, member=member, relation=relation, status=status,
                                               added_as_minor=member.age_on(datetime.date.today()) < 16)

    return add


@pytest.fixture
def hall(db):
    """A service hall whose staff checked the household register."""
    from registry.models import ServiceHall

    return ServiceHall.objects.get_or_create(name="徐州市医保服务大厅", defaults={"region_id": "320300"})[0]
