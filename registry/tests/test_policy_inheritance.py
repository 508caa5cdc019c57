"""A province's version overrides only the fields it sets; the rest follows the national version in force."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError

from registry.models import PoolingRegion, SharingPolicy
from registry.policy import policy_in_force

CLOSE_RELATIVES = ["parent", "spouse", "child", "sibling", "grandparent", "grandchild"]
ARTICLE = ["parent", "spouse", "child"]


def resolved(code, on):
    policy = policy_in_force(PoolingRegion.objects.get(code=code), on=on)
    return {name: getattr(policy, name) for name in (
        "allowed_relations", "cross_city_allowed", "cross_province_allowed", "consent_expiry_days",
        "uses_validity_period", "shared_floor", "per_payment_cap", "single_authorizer_per_settlement",
        "on_registry_break", "premiums_payable", "ends_on_insurance_change")}


def national_2027(**overrides):
    fields = dict(province=None, effective_from=datetime.date(2027, 1, 1), title="国家 2027",
                  allowed_relations=CLOSE_RELATIVES, cross_city_allowed=True, cross_province_allowed=True,
                  consent_expiry_days=10, uses_validity_period=False, single_authorizer_per_settlement=False,
                  on_registry_break="suspend", premiums_payable=True, ends_on_insurance_change=True,
                  quota_scope="cross_province")
    fields.update(overrides)
    return SharingPolicy.objects.create(**fields)


def test_the_seeded_policies_resolve_to_what_they_always_were(db):
    day = datetime.date(2026, 6, 1)
    base = dict(allowed_relations=ARTICLE, cross_city_allowed=False, cross_province_allowed=False,
                consent_expiry_days=7, uses_validity_period=False, shared_floor=None, per_payment_cap=None,
                single_authorizer_per_settlement=False, on_registry_break="suspend", premiums_payable=False,
                ends_on_insurance_change=False)
    assert resolved("340100", day) == base  # Anhui: the national default
    assert resolved("320300", day) == {**base, "cross_city_allowed": True, "uses_validity_period": True}
    assert resolved("130100", day) == {**base, "cross_city_allowed": True}
    assert resolved("110000", day) == {**base, "allowed_relations": CLOSE_RELATIVES, "cross_city_allowed": True,
                                       "cross_province_allowed": True, "on_registry_break": "end",
                                       "premiums_payable": True, "ends_on_insurance_change": True}
    assert resolved("140100", day) == {**base, "allowed_relations": CLOSE_RELATIVES, "cross_city_allowed": True,
                                       "shared_floor": Decimal("1000.00"), "per_payment_cap": Decimal("500.00"),
                                       "single_authorizer_per_settlement": True}


def test_a_new_national_version_reaches_the_fields_a_province_left_empty(db):
    national_2027(cross_city_allowed=False)
    before, after = datetime.date(2026, 12, 31), datetime.date(2027, 1, 1)
    jiangsu = resolved("320300", after)
    # Jiangsu set cross-city and validity periods itself; relationships, cross-province and the rest follow.
    assert jiangsu["allowed_relations"] == CLOSE_RELATIVES and jiangsu["cross_province_allowed"]
    assert jiangsu["consent_expiry_days"] == 10 and jiangsu["ends_on_insurance_change"]
    assert jiangsu["cross_city_allowed"] and jiangsu["uses_validity_period"]
    assert resolved("320300", before)["allowed_relations"] == ARTICLE
    # Shanxi keeps the relationships, floor and cap it set; Beijing keeps its own ending rule.
    assert resolved("140100", after)["per_payment_cap"] == Decimal("500.00")
    assert resolved("110000", after)["on_registry_break"] == "end"
    policy = policy_in_force(PoolingRegion.objects.get(code="320300"), on=after)
    assert policy.title == "江苏省家庭共济政策" and "allowed_relations" in policy.inherited
    assert SharingPolicy.objects.get(province_id="32").allowed_relations is None  # the version is not edited


def test_a_province_version_overrides_a_field_it_sets_even_to_no(db):
    national_2027()
    SharingPolicy.objects.create(province_id="13", effective_from=datetime.date(2027, 2, 1), title="河北 2027",
                                 cross_province_allowed=False)
    assert resolved("130100", datetime.date(2027, 1, 15))["cross_province_allowed"] is True
    hebei = resolved("130100", datetime.date(2027, 2, 1))
    assert hebei["cross_province_allowed"] is False and hebei["allowed_relations"] == CLOSE_RELATIVES


def test_the_national_version_must_set_every_field(db):
    with pytest.raises(IntegrityError):
        national_2027(cross_province_allowed=None)


@pytest.fixture
def provincial_official(db):
    from django.contrib.auth.models import Permission

    from accounts.models import User

    user = User.objects.create_user(username="official_js_inherit", password="x", role="official", is_staff=True,
                                    scope_province_id="32")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="registry"))
    return user


def test_an_official_publishes_a_province_version_that_sets_only_what_it_changes(client, provincial_official):
    client.force_login(provincial_official)
    form = client.get("/admin/registry/sharingpolicy/add/").content.decode()
    assert 'value="unknown"' in form  # "follow the national version" is offered for each yes/no rule
    response = client.post("/admin/registry/sharingpolicy/add/", {
        "province": "32", "title": "江苏 2031", "effective_from": "2031-01-01", "allowed_relations": "",
        "cross_city_allowed": "false", "cross_province_allowed": "unknown", "consent_expiry_days": "",
        "uses_validity_period": "true", "single_authorizer_per_settlement": "unknown", "on_registry_break": "",
        "premiums_payable": "unknown", "ends_on_insurance_change": "unknown", "shared_floor": "",
        "per_payment_cap": ""})
    assert response.status_code == 302
    version = SharingPolicy.objects.get(title="江苏 2031")
    assert version.allowed_relations is None and version.cross_province_allowed is None
    assert version.cross_city_allowed is False and version.uses_validity_period is True
    policy = resolved("320300", datetime.date(2031, 1, 1))
    assert policy["allowed_relations"] == ARTICLE and policy["consent_expiry_days"] == 7
    assert policy["cross_city_allowed"] is False


def test_the_national_version_form_asks_for_every_rule(client, db):
    from accounts.models import User

    client.force_login(User.objects.create_superuser(username="root_inherit", password="x", role="official"))
    response = client.post("/admin/registry/sharingpolicy/add/", {
        "province": "", "title": "国家 2031", "effective_from": "2031-01-01", "allowed_relations": "",
        "consent_expiry_days": "", "on_registry_break": "", "shared_floor": "", "per_payment_cap": ""})
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {
        "allowed_relations", "consent_expiry_days", "on_registry_break", "quota_scope"}
    assert not SharingPolicy.objects.filter(title="国家 2031").exists()
