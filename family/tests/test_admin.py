"""Family-account memberships in the admin: read-only, scoped to the holder's region or province."""

import datetime

import pytest
from django.contrib.auth.models import Permission

from accounts.models import User

URL = "/admin/family/familymembership/"


@pytest.fixture
def official(db):
    def make(**scope):
        user = User.objects.create_user(username=f"off_{len(User.objects.all())}", password="x", role="official",
                                        is_staff=True, **scope)
        user.user_permissions.set(Permission.objects.filter(content_type__app_label="family"))
        return user

    return make


@pytest.fixture
def memberships(alice, charlie, dave, make_person, bind, hall):
    from family import services

    bind(alice.person, charlie)

    son = make_person(name="赵小宝", birth=datetime.date(2015, 2, 2), address="320102", region="320100", insutype="390")
    return {
        "xuzhou": services.family_member_add(actor=alice, holder=alice.person, relation="child",
                                             member_name=charlie.name, member_certno=charlie.certno),
        "nanjing": services.family_member_add(actor=dave, holder=dave.person, relation="child",
                                              member_name=son.name, member_certno=son.certno,
                                              member_present=True, hall=hall),
    }


@pytest.mark.django_db
def test_a_regional_official_sees_only_memberships_of_their_region(client, official, memberships):
    client.force_login(official(scope_region_id="320300"))
    response = client.get(URL)
    assert response.status_code == 200
    assert "王小川" in response.text and "赵小宝" not in response.text
    assert client.get(f"{URL}{memberships['nanjing'].pk}/change/").status_code == 302  # out of scope
    assert client.get(f"{URL}{memberships['xuzhou'].pk}/change/").status_code == 200


@pytest.mark.django_db
def test_a_provincial_official_sees_the_whole_province(client, official, memberships):
    client.force_login(official(scope_province_id="32"))
    text = client.get(URL).text
    assert "王小川" in text and "赵小宝" in text


@pytest.mark.django_db
def test_memberships_are_read_only(client, official, memberships):
    client.force_login(official())
    pk = memberships["xuzhou"].pk
    response = client.get(f"{URL}{pk}/change/")
    assert response.status_code == 200 and 'name="status"' not in response.text
    assert client.get(f"{URL}add/").status_code == 403
    assert client.post(f"{URL}{pk}/delete/", {"post": "yes"}).status_code == 403
    assert "delete_selected" not in client.get(URL).text
