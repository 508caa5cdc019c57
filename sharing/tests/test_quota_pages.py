"""The quota pages: the records and the binding show each quota (granted, used, left), the authorizer grants, tops up
and reduces with their password, "who shares with me" shows what the member can use."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from ledger.models import PersonalAccount, Reserve
from sharing.quotas import quota_add

PASSWORD = "Correct-Horse-42"


@pytest.fixture
def son(make_citizen):
    return make_citizen(name="孙立", birth=datetime.date(1980, 5, 5), address="110105", region="110000",
                        balance="2000.00", mobile="13800000011")


@pytest.fixture
def father(make_citizen):
    return make_citizen(name="孙德明", birth=datetime.date(1952, 3, 1), address="130102", region="130100",
                        balance="10.00", mobile="13800000012")


@pytest.fixture
def cross(bind, son, father):
    return bind(son, father.person, "parent")


def test_the_binding_offers_a_quota_and_the_page_shows_what_may_be_set_aside(client, son, cross):
    client.force_login(son)
    detail = client.get(reverse("sharing:binding_detail", args=[cross.pk]))
    assert reverse("sharing:quota", args=[cross.pk]) in detail.text
    page = client.get(reverse("sharing:quota", args=[cross.pk]))
    assert page.status_code == 200 and "¥2000.00" in page.text
    assert [value for value, _label in page.context["form"].fields["action"].choices] == ["add"]


def test_granting_needs_the_password_and_moves_the_money(client, son, father, cross):
    client.force_login(son)
    url = reverse("sharing:quota", args=[cross.pk])
    wrong = client.post(url, {"action": "add", "amount": "500.00", "password": "wrong"})
    assert wrong.status_code == 200 and "password" in wrong.context["form"].errors
    assert not Reserve.objects.exists()
    response = client.post(url, {"action": "add", "amount": "500.00", "password": PASSWORD})
    assert response.status_code == 302
    assert Reserve.objects.get(binding_ref=cross.pk).balance == Decimal("500.00")
    assert PersonalAccount.objects.get(person=son.person).balance == Decimal("1500.00")
    records = client.get(reverse("sharing:records"))
    assert "¥500.00" in records.text and "quota-line" in records.text
    detail = client.get(reverse("sharing:binding_detail", args=[cross.pk]))
    assert 'data-quota-left="500.00"' in detail.text


def test_reducing_beyond_what_is_left_is_refused_with_the_reason(client, son, cross):
    quota_add(binding=cross, amount=Decimal("100.00"), actor=son)
    client.force_login(son)
    url = reverse("sharing:quota", args=[cross.pk])
    response = client.post(url, {"action": "reduce", "amount": "100.01", "password": PASSWORD})
    assert response.status_code == 200 and "QUOTA_REDUCE_OVER_LEFT" in response.text
    response = client.post(url, {"action": "reduce", "amount": "60.00", "password": PASSWORD})
    assert response.status_code == 302
    assert Reserve.objects.get(binding_ref=cross.pk).balance == Decimal("40.00")


def test_bad_amounts_are_refused_by_the_form(client, son, cross):
    client.force_login(son)
    url = reverse("sharing:quota", args=[cross.pk])
    for amount in ["", "0", "-5", "1.234", "abc"]:
        response = client.post(url, {"action": "add", "amount": amount, "password": PASSWORD})
        assert response.status_code == 200 and "amount" in response.context["form"].errors, amount
    assert not Reserve.objects.exists()


def test_nobody_else_reaches_the_quota_page(client, father, cross, make_citizen):
    client.force_login(father)  # the member: the quota is the authorizer's to change
    assert client.get(reverse("sharing:quota", args=[cross.pk])).status_code == 404
    client.force_login(make_citizen(name="路人", birth=datetime.date(1990, 1, 1)))
    assert client.post(reverse("sharing:quota", args=[cross.pk]),
                       {"action": "add", "amount": "1", "password": PASSWORD}).status_code == 404


def test_a_live_balance_binding_has_no_quota_page(client, son, bind, make_person):
    same_city = bind(son, make_person(name="孙小米", birth=datetime.date(2010, 1, 1), address="110105",
                                      region="110000", insutype="390"))
    client.force_login(son)
    response = client.get(reverse("sharing:quota", args=[same_city.pk]))
    assert response.status_code == 302
    assert reverse("sharing:quota", args=[same_city.pk]) not in client.get(
        reverse("sharing:binding_detail", args=[same_city.pk])).text


def test_the_member_sees_what_they_can_use(client, son, father, cross):
    quota_add(binding=cross, amount=Decimal("300.00"), actor=son)
    client.force_login(father)
    response = client.get(reverse("sharing:my_authorizers"))
    assert "¥300.00" in response.text and "quota-line" in response.text


def test_the_member_is_told_when_no_quota_is_set_aside_yet(client, father, cross):
    client.force_login(father)
    response = client.get(reverse("sharing:my_authorizers"))
    assert "QUOTA_EXHAUSTED" in response.text


def test_my_insurance_shows_what_is_set_aside_and_the_admin_lists_quotas(client, son, cross):
    quota_add(binding=cross, amount=Decimal("250.00"), actor=son)
    client.force_login(son)
    response = client.get(reverse("accounts:my_insurance"))
    assert response.context["reserved"] == Decimal("250.00") and "¥250.00" in response.text
    from accounts.models import User

    client.force_login(User.objects.create_superuser(username="root_quota", password="x", role="official"))
    assert str(cross.pk) in client.get("/admin/ledger/reserve/").text
