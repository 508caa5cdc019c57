"""The binding wizard shows the 2024–2026 corrections of the engine: ID numbers and names as people type them,
relationships never allowed, one spouse per person, the sex of a spouse, an employee without a personal account."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from registry import idnumber
from registry.models import InsuredPerson, SharingPolicy
from sharing.models import Binding

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９ｘ")


@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


def member_step(client, name, certno, relation="child"):
    assert client.post(reverse("sharing:bind_relation"), {"relation": relation}).status_code == 302
    return client.post(reverse("sharing:bind_member"), {"name": name, "certno": certno})


def codes(response):
    return [r.code for r in response.context["refusals"]]


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["830000", "932840"])
def test_binds_a_child_with_a_taiwan_residence_permit_or_a_foreigners_id(logged_in, alice, make_person, address):
    child = make_person(name="林小华", address=address, birth=datetime.date(2015, 5, 5), insutype="390")
    response = member_step(logged_in, child.name, child.certno)
    assert response.status_code == 302, response.content.decode()[:2000]
    if response.url == reverse("sharing:bind_dates"):
        logged_in.post(reverse("sharing:bind_dates"), {"valid_from": timezone.localdate().isoformat()})
    logged_in.post(reverse("sharing:bind_letter"), {"read": "on"})
    logged_in.post(reverse("sharing:bind_sign"), {"method": "typed", "typed_name": "张丽"})
    logged_in.post(reverse("sharing:bind_check"))
    assert Binding.objects.get(authorizer=alice.person).member == child


@pytest.mark.django_db
def test_takes_full_width_digits_a_lower_case_x_and_any_middle_dot(logged_in, make_person):
    child = make_person(name="买买提·艾力", birth=datetime.date(2015, 5, 5), insutype="390")
    response = member_step(logged_in, "买买提•艾力", child.certno.translate(FULL_WIDTH))
    assert response.status_code == 302, response.content.decode()[:2000]
    state = logged_in.session["bind_wizard"]
    assert state["member_id"] == str(child.pk) and state["member_certno"] == child.certno
    assert member_step(logged_in, "买买提艾力", child.certno).status_code == 302


@pytest.mark.django_db
def test_explains_a_first_generation_number_instead_of_counting_characters(logged_in):
    response = member_step(logged_in, "王小川", "320302850315011")
    assert response.status_code == 200
    assert response.context["form"].has_error("certno", "id_first_generation")
    html = response.content.decode()
    assert "第一代身份证" in html and "18位：前17位" not in html


@pytest.mark.django_db
def test_refuses_region_code_71(logged_in):
    response = member_step(logged_in, "林小华", idnumber.make("710000", datetime.date(2015, 5, 5), 13))
    assert response.context["form"].has_error("certno", "id_region")


@pytest.mark.django_db
def test_refuses_a_parent_in_law_at_the_first_step_whatever_the_policy_row_lists(client, make_citizen):
    SharingPolicy.objects.create(province_id="34", effective_from=datetime.date(2022, 1, 1), title="安徽省（测试）",
                                 allowed_relations=["parent", "spouse", "child", "parent_in_law", "other"])
    client.force_login(make_citizen(address="340102", region="340100", birth=datetime.date(1985, 1, 1)))
    response = client.post(reverse("sharing:bind_relation"), {"relation": "parent_in_law"})
    assert response.status_code == 200 and codes(response) == ["RELATION_NOT_ALLOWED"]
    assert "RELATION_NOT_ALLOWED" in response.content.decode()


@pytest.mark.django_db
def test_refuses_a_spouse_who_already_has_one(logged_in, bob, make_citizen, bind):
    other_wife = make_citizen(name="刘卡萝", birth=datetime.date(1986, 4, 4), sex="F", balance="50.00")
    bind(other_wife, bob.person, "spouse")
    response = member_step(logged_in, bob.person.name, bob.person.certno, "spouse")
    assert response.status_code == 200 and codes(response) == ["SECOND_SPOUSE"]
    assert "SECOND_SPOUSE" in response.content.decode()


@pytest.mark.django_db
def test_lets_the_member_of_a_pending_request_ask_back(client, alice, bob, bind):
    bind(alice, bob.person, "spouse")
    client.force_login(bob)
    response = member_step(client, alice.person.name, alice.person.certno, "spouse")
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.django_db
def test_refuses_a_spouse_of_the_same_sex(logged_in, make_person):
    woman = make_person(name="李芳", birth=datetime.date(1986, 1, 1), sex="F")
    response = member_step(logged_in, woman.name, woman.certno, "spouse")
    assert response.status_code == 200 and codes(response) == ["RELATION_IMPLAUSIBLE"]
    assert "RELATION_IMPLAUSIBLE" in response.content.decode()


@pytest.mark.django_db
def test_refuses_an_employee_without_a_personal_account_at_the_first_step(client, django_user_model):
    person = InsuredPerson.objects.create(certno=idnumber.make("320302", datetime.date(1980, 8, 8), 31),
                                          name="钱无账", insutype="310", region_id="320300")
    client.force_login(django_user_model.objects.create_user(username=person.certno, password="x-Long-Pass-1",
                                                             person=person))
    response = client.post(reverse("sharing:bind_relation"), {"relation": "child"})
    assert response.status_code == 200 and codes(response) == ["AUTHORIZER_NO_ACCOUNT"]
    html = response.content.decode()
    assert "AUTHORIZER_NO_ACCOUNT" in html and "徐州" in html and "%(" not in html
