import datetime

import pytest

from registry.models import SharingPolicy


@pytest.fixture
def shanxi_policy(db):
    """Floor ¥1,000, cap ¥500 per payment, one authorizer per settlement (seeded for Shanxi, province 14)."""
    return SharingPolicy.objects.get(province_id="14", effective_from=datetime.date(2023, 1, 1))
