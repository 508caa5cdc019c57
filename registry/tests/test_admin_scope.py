import pytest
from django.contrib.auth.models import Permission

from accounts.models import User


@pytest.fixture
def official(db):
    def make(**scope):
        user = User.objects.create_user(username=f"off_{len(scope)}_{list(scope.values())}", password="x",
                                        role="official", is_staff=True, **scope)
        user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["registry", "ledger"]))
        return user

    return make


def test_a_regional_official_sees_only_persons_of_their_region(client, official, alice, dave):
    client.force_login(official(scope_region_id="320300"))
    response = client.get("/admin/registry/insuredperson/")
    assert response.status_code == 200
    assert alice.person.masked_certno in response.text and dave.person.masked_certno not in response.text
    assert client.get(f"/admin/registry/insuredperson/{dave.person.pk}/change/").status_code == 302


def test_a_provincial_official_sees_the_whole_province(client, official, alice, dave, make_person):
    beijing = make_person(name="北京人", address="110105", region="110000")
    client.force_login(official(scope_province_id="32"))
    text = client.get("/admin/registry/insuredperson/").text
    assert alice.person.masked_certno in text and dave.person.masked_certno in text
    assert beijing.masked_certno not in text


def test_a_national_official_sees_everyone(client, official, alice, make_person):
    beijing = make_person(name="北京人", address="110105", region="110000")
    client.force_login(official())
    text = client.get("/admin/registry/insuredperson/").text
    assert alice.person.masked_certno in text and beijing.masked_certno in text


def test_ledger_entries_are_read_only_in_the_admin(client, official, alice):
    client.force_login(official())
    entry = alice.person.account.entries.first()
    response = client.get(f"/admin/ledger/ledgerentry/{entry.pk}/change/")
    assert response.status_code == 200 and 'name="amount"' not in response.text
    assert client.post(f"/admin/ledger/ledgerentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403


# --- what officials may change: reference data, policies, and foreign keys only within scope ------------------

import datetime  # noqa: E402

from registry.models import InsuredPerson, PoolingRegion, Province, ServiceHall, SharingPolicy  # noqa: E402


def policy_data(policy=None, **overrides):
    data = {
        "province": policy.province_id or "" if policy else "", "title": policy.title if policy else "新版本",
        "effective_from": (policy.effective_from if policy else datetime.date(2031, 1, 1)).isoformat(),
        "allowed_relations": list(policy.allowed_relations or []) if policy else ["parent", "spouse", "child"],
        "cross_city_allowed": "on", "cross_province_allowed": "on", "consent_expiry_days": "7",
        "shared_floor": "", "per_payment_cap": "", "on_registry_break": "suspend",
        "quota_scope": "cross_province",
    }
    data.update(overrides)
    return data


@pytest.fixture
def national_default(db):
    return SharingPolicy.objects.filter(province__isnull=True).order_by("-effective_from").first()


@pytest.fixture
def other_province_policy(db):
    return SharingPolicy.objects.filter(province_id="11").first()


def test_a_city_official_cannot_edit_any_policy(client, official, national_default):
    jiangsu = SharingPolicy.objects.filter(province_id="32").first()
    client.force_login(official(scope_region_id="320300"))
    for policy in (national_default, jiangsu):
        assert client.get(f"/admin/registry/sharingpolicy/{policy.pk}/change/").status_code == 200  # to read
        response = client.post(f"/admin/registry/sharingpolicy/{policy.pk}/change/",
                               policy_data(policy, title="改过了"))
        assert response.status_code == 403
        policy.refresh_from_db()
        assert policy.title != "改过了"
    assert client.post("/admin/registry/sharingpolicy/add/", policy_data(province="32")).status_code == 403


def test_a_provincial_official_cannot_edit_the_national_default_or_another_province(
        client, official, national_default, other_province_policy):
    client.force_login(official(scope_province_id="32"))
    assert client.get(f"/admin/registry/sharingpolicy/{national_default.pk}/change/").status_code == 200
    response = client.post(f"/admin/registry/sharingpolicy/{national_default.pk}/change/",
                           policy_data(national_default, title="改过了", cross_province_allowed="on"))
    assert response.status_code == 403
    national_default.refresh_from_db()
    assert national_default.title != "改过了" and not national_default.cross_province_allowed
    # Another province's versions are not even listed.
    assert other_province_policy.title not in client.get("/admin/registry/sharingpolicy/").text
    assert client.get(f"/admin/registry/sharingpolicy/{other_province_policy.pk}/change/").status_code == 302


def test_a_provincial_official_adds_a_version_for_their_own_province_only(client, official):
    client.force_login(official(scope_province_id="32"))
    form = client.get("/admin/registry/sharingpolicy/add/")
    assert form.status_code == 200
    assert 'value="32"' in form.text and 'value="11"' not in form.text
    for province in ("11", ""):  # another province, or the national default
        response = client.post("/admin/registry/sharingpolicy/add/", policy_data(province=province, title="越权"))
        assert response.status_code == 200  # the form refuses it
    assert not SharingPolicy.objects.filter(title="越权").exists()
    response = client.post("/admin/registry/sharingpolicy/add/", policy_data(province="32", title="江苏 2031"))
    assert response.status_code == 302
    assert SharingPolicy.objects.get(title="江苏 2031").province_id == "32"


def test_a_national_official_publishes_a_new_national_default_instead_of_editing_the_one_in_force(
        client, official, national_default):
    client.force_login(official())
    response = client.post(f"/admin/registry/sharingpolicy/{national_default.pk}/change/",
                           policy_data(national_default, title="全国默认（修订）"))
    assert response.status_code == 403
    national_default.refresh_from_db()
    assert national_default.title != "全国默认（修订）"
    response = client.post("/admin/registry/sharingpolicy/add/",
                           policy_data(title="全国默认（修订）", allowed_relations=["parent", "spouse", "child"]))
    assert response.status_code == 302
    assert SharingPolicy.objects.get(title="全国默认（修订）").province_id is None


def test_policies_stay_undeletable(client, national_default):
    client.force_login(User.objects.create_superuser(username="root", password="x", role="official"))
    assert client.post(f"/admin/registry/sharingpolicy/{national_default.pk}/delete/",
                       {"post": "yes"}).status_code == 403


def test_provinces_and_regions_are_read_only_for_officials(client, official):
    client.force_login(official())  # even a national one
    assert client.get("/admin/registry/province/32/change/").status_code == 200
    assert client.post("/admin/registry/province/32/change/", {"code": "32", "name": "改名"}).status_code == 403
    assert Province.objects.get(pk="32").name != "改名"
    response = client.post("/admin/registry/poolingregion/320300/change/",
                           {"code": "320300", "name": "改名", "province": "32"})
    assert response.status_code == 403
    assert PoolingRegion.objects.get(pk="320300").name != "改名"
    assert client.post("/admin/registry/poolingregion/add/",
                       {"code": "329999", "name": "新区", "province": "32"}).status_code == 403


def test_foreign_key_choices_exclude_regions_out_of_scope(client, official, alice):
    client.force_login(official(scope_region_id="320300"))
    form = client.get("/admin/registry/servicehall/add/").text
    assert 'value="320300"' in form and 'value="320100"' not in form and 'value="110000"' not in form
    form = client.get(f"/admin/registry/insuredperson/{alice.person.pk}/change/").text
    assert 'value="320300"' in form and 'value="320100"' not in form


def test_a_regional_official_cannot_move_a_record_out_of_scope(client, official):
    hall = ServiceHall.objects.create(name="徐州大厅", region_id="320300")
    client.force_login(official(scope_region_id="320300"))
    response = client.post(f"/admin/registry/servicehall/{hall.pk}/change/",
                           {"name": "徐州大厅", "region": "320100", "address": ""})
    assert response.status_code == 200 and list(response.context["adminform"].form.errors) == ["region"]
    hall.refresh_from_db()
    assert hall.region_id == "320300"
    assert client.post("/admin/registry/servicehall/add/",
                       {"name": "南京大厅", "region": "320100", "address": ""}).status_code == 200
    assert not ServiceHall.objects.filter(name="南京大厅").exists()


def test_a_provincial_official_chooses_among_the_regions_of_their_province(client, official):
    client.force_login(official(scope_province_id="32"))
    form = client.get("/admin/registry/servicehall/add/").text
    assert 'value="320300"' in form and 'value="320100"' in form and 'value="110000"' not in form


def test_an_insured_person_cannot_be_moved_to_a_region_out_of_scope(client, official, alice):
    person = alice.person
    client.force_login(official(scope_region_id="320300"))
    page = client.get(f"/admin/registry/insuredperson/{person.pk}/change/")
    assert page.status_code == 200
    data = {"certno": person.certno, "name": person.name, "insutype": person.insutype, "region": "320100",
            "status": person.status, "mobile": person.mobile}
    response = client.post(f"/admin/registry/insuredperson/{person.pk}/change/", data)
    assert response.status_code == 200 and list(response.context["adminform"].form.errors) == ["region"]
    assert InsuredPerson.objects.get(pk=person.pk).region_id == "320300"
    data["region"] = "320300"  # the same form is otherwise valid
    assert client.post(f"/admin/registry/insuredperson/{person.pk}/change/", data).status_code == 302


@pytest.mark.parametrize("url", ["/admin/registry/insuredperson/", "/admin/registry/servicehall/",
                                 "/admin/sharing/binding/", "/admin/settlement/institution/"])
def test_region_filters_list_only_regions_in_scope(client, url, db):
    user = User.objects.create_user(username="off_filter", password="x", role="official", is_staff=True,
                                    scope_region_id="320300")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=["registry", "sharing",
                                                                                     "settlement"]))
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    region_filters = [f for f in response.context["cl"].filter_specs if getattr(f, "parameter_name", "")
                      .endswith("region")]
    assert region_filters and [code for code, _name in region_filters[0].lookup_choices] == ["320300"]
