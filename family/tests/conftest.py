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
