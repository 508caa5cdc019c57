import datetime

from registry.models import PoolingRegion, SharingPolicy
from registry.policy import policy_in_force


def test_gives_the_article_default_where_a_province_has_no_version(db):
    policy = policy_in_force(PoolingRegion.objects.get(code="340100"))
    assert policy.province_id is None
    assert sorted(policy.allowed_relations) == ["child", "parent", "spouse"]
    assert not policy.cross_city_allowed and not policy.cross_province_allowed


def test_lets_jiangsu_and_hebei_share_between_their_cities(db):
    for code in ("320300", "130100"):
        policy = policy_in_force(PoolingRegion.objects.get(code=code))
        assert policy.cross_city_allowed and not policy.cross_province_allowed


def test_applies_a_province_version_only_from_its_effective_date(db):
    beijing = PoolingRegion.objects.get(code="110000")
    assert policy_in_force(beijing, on=datetime.date(2025, 12, 31)).province_id is None
    in_2026 = policy_in_force(beijing, on=datetime.date(2026, 1, 1))
    assert in_2026.province_id == "11" and in_2026.cross_province_allowed


def test_picks_the_newest_province_version(db):
    SharingPolicy.objects.create(province_id="32", effective_from=datetime.date(2025, 1, 1), title="江苏 2025",
                                 allowed_relations=["parent", "spouse", "child", "sibling"], cross_city_allowed=True)
    policy = policy_in_force(PoolingRegion.objects.get(code="320300"), on=datetime.date(2025, 6, 1))
    assert policy.title == "江苏 2025"


def test_seeds_all_thirteen_cities_of_jiangsu(db):
    assert PoolingRegion.objects.filter(province_id="32").count() == 13
