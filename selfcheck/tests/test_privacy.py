"""The self-check shows the user's own data; about others only reason codes, and only for people in their circle."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from selfcheck.diagnosis import CANNOT_BIND, I_CANNOT_USE, MEMBER_CANNOT_USE, diagnose


@pytest.fixture
def charlie_bound_by_both(alice, bob, charlie, bind):
    """alice (¥3,000.00) and bob (¥500.00) both share with their child charlie."""
    bind(alice.person, charlie)
    bind(bob.person, charlie)
    return charlie


def _check(client, user, **data):
    client.force_login(user)
    response = client.post(reverse("selfcheck:check"), data)
    assert response.status_code == 200 and "result" in response.context
    return response


def test_an_authorizer_sees_neither_the_childs_balance_nor_the_other_parent(client, alice, bob, charlie_bound_by_both):
    response = _check(client, alice, situation="member_cannot_use")
    assert bob.person.name not in response.text and "500.00" not in response.text
    [preview] = response.context["result"].previews
    assert preview.my_can_pay == Decimal("3000.00") and preview.own_balance is None and preview.shared_total is None
    assert "3000.00" in response.text  # alice's own account


def test_the_patient_sees_one_sum_for_sharing_not_each_authorizer(client, bob, make_person, bind):
    """bob's mother is bound by bob and by another child; she sees what sharing pays, not who has how much."""
    mother = make_person(name="王母", birth=datetime.date(1958, 1, 1), balance="20.00", sex="F")
    from accounts.models import User

    mother_user = User.objects.create_user(username=mother.certno, password="x", person=mother)
    sister = make_person(name="王姐", birth=datetime.date(1982, 1, 1), balance="777.00", sex="F")
    bind(bob.person, mother, relation="parent")
    bind(sister, mother, relation="parent")
    response = _check(client, mother_user, situation="i_cannot_use", amount="100.00")
    [preview] = response.context["result"].previews
    assert preview.viewer_is_patient and preview.own_balance == Decimal("20.00")
    assert preview.shared_total == Decimal("80.00") and preview.cash == Decimal("0.00")
    assert "500.00" not in response.text and "777.00" not in response.text


def test_a_stranger_named_by_id_reveals_nothing_of_their_record(client, alice, dave):
    """dave (Nanjing, employee-insured) is nobody to alice: no insurance type, status, region or hall of his."""
    from registry.models import ServiceHall

    ServiceHall.objects.create(name="南京市医保服务大厅", region_id="320100", address="南京市玄武区")
    for situation in ["i_cannot_use", "member_cannot_use", "cannot_bind"]:
        response = _check(client, alice, situation=situation, name=dave.person.name, certno=dave.person.certno,
                          relation="parent", amount="12.34")
        result = response.context["result"]
        assert result.outside_circle
        text = response.text
        for secret in ["南京", dave.person.region.name, "100.00", "AUTHORIZER_NOT_EMPLOYEE", "CROSS_REGION",
                       "RELATION_IMPLAUSIBLE", "MEMBER_NOT_ENROLLED", "AUTHORIZER_NOT_ENROLLED"]:
            assert secret not in text, (situation, secret)
        assert set(result.codes) <= {"NOT_BOUND", "RELATION_NOT_ALLOWED"}


def test_a_resident_insured_stranger_is_not_told_apart_from_an_employee(alice, charlie, dave):
    """Asking "can X share with me" of two strangers gives the same answer, whatever their insurance."""
    about_charlie = diagnose(me=alice.person, situation=I_CANNOT_USE, other=charlie)
    about_dave = diagnose(me=alice.person, situation=I_CANNOT_USE, other=dave.person)
    assert about_charlie.codes == about_dave.codes == ["NOT_BOUND"]
    assert about_charlie.outside_circle and about_dave.outside_circle


def test_the_users_own_side_is_still_checked_for_a_stranger(dave, make_person):
    resident = make_person(name="居民", insutype="390")
    stranger = make_person(name="路人", birth=datetime.date(1960, 1, 1))
    result = diagnose(me=resident, situation=CANNOT_BIND, other=stranger, relation="parent")
    assert result.codes == ["AUTHORIZER_NOT_EMPLOYEE"] and result.outside_circle


def test_someone_in_the_circle_gets_the_full_reasons(alice, charlie, dave, bind):
    """Once bound (in any state), the reasons about the other person are the user's business."""
    bind(alice.person, charlie)
    result = diagnose(me=alice.person, situation=MEMBER_CANNOT_USE, other=charlie)
    assert not result.outside_circle and result.ok
