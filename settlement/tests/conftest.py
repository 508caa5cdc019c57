import datetime

import pytest

from registry.models import SharingPolicy


@pytest.fixture
def shanxi_policy(db):
    """Floor ¥1,000, cap ¥500 per payment, one authorizer per settlement (seeded for Shanxi, province 14)."""
    return SharingPolicy.objects.get(province_id="14", effective_from=datetime.date(2023, 1, 1))


@pytest.fixture
def two_sharers(alice, bob, make_citizen, bind):
    """王一 (¥50.00), bound as a child by both bob and alice: a member with two authorizers."""
    child = make_citizen(name="王一", birth=datetime.date(2003, 1, 1), balance="50.00", mobile="13700000001")
    bind(bob, child.person, "child")
    bind(alice, child.person, "child")
    return child.person
