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
