"""The self-check never gives a false all-clear, never tells a resident-insured patient that their own account
pays, and states the floors and caps that apply with their amounts. Fixed people only (alice, bob, charlie, dave)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from selfcheck.diagnosis import CANNOT_BIND, I_CANNOT_USE, MEMBER_CANNOT_USE, diagnose


def check(client, user, **data):
    client.force_login(user)
    response = client.post(reverse("selfcheck:check"), data)
    assert response.status_code == 200
    return response


# --- nobody bound --------------------------------------------------------------------------------------------


def test_an_authorizer_with_nobody_bound_is_told_so_not_that_all_is_well(alice):
    result = diagnose(me=alice.person, situation=MEMBER_CANNOT_USE)
    assert not result.ok and result.codes == ["NOT_BOUND"]


def test_the_page_says_nobody_is_bound_and_links_to_binding(client, alice):
    response = check(client, alice, situation=MEMBER_CANNOT_USE)
    assert 'data-code="NOT_BOUND"' in response.text
    assert reverse("sharing:bind_start") in response.text.split('data-code="NOT_BOUND"', 1)[1]
    assert "alert-success" not in response.text


def test_a_patient_nobody_shares_with_is_told_so(client, bob):
    response = check(client, bob, situation=I_CANNOT_USE)
    assert response.context["result"].codes == ["NOT_BOUND"] and "alert-success" not in response.text


def test_cannot_bind_without_naming_anyone_is_no_all_clear(client, alice):
    response = check(client, alice, situation=CANNOT_BIND)
    assert response.context["result"].ok and response.context["result"].nobody_checked
    assert "alert-success" not in response.text and "nobody-checked" in response.text


# --- a resident-insured patient ------------------------------------------------------------------------------


@pytest.fixture
def charlie_user(charlie):
    from accounts.models import User

    return User.objects.create_user(username=charlie.certno, password="Correct-Horse-42", person=charlie)


def test_a_resident_patient_is_not_told_their_own_account_pays(client, alice, charlie, charlie_user, bind):
    bind(alice.person, charlie)
    result = diagnose(me=charlie, situation=I_CANNOT_USE)
    shown = result.previews[0]
    assert shown.viewer_is_patient and not shown.own_account_pays and shown.shared_total == Decimal("100.00")
    response = check(client, charlie_user, situation=I_CANNOT_USE)
    preview = response.text.split('class="mt-4 payment-preview"', 1)[1]
    assert "您本人的个人账户" not in preview  # "Your own personal account"
    assert "no-own-account" in preview and "居民医保" in preview


def test_the_authorizer_is_not_told_the_resident_childs_own_account_pays_first(client, alice, charlie, bind):
    bind(alice.person, charlie)
    response = check(client, alice, situation=MEMBER_CANNOT_USE, person=str(charlie.pk))
    shown = response.context["result"].previews[0]
    assert not shown.viewer_is_patient and not shown.own_account_pays
    preview = response.text.split('class="mt-4 payment-preview"', 1)[1]
    assert "王小川本人的账户支付" not in preview  # "王小川's own account pays first"
    assert "王小川没有可支付的个人账户" in preview


def test_an_employee_patient_still_sees_their_own_account_first(alice, make_person, bind):
    son = make_person(name="张一", birth=datetime.date(2005, 1, 1), balance="30.00")
    bind(alice.person, son)
    shown = diagnose(me=son, situation=I_CANNOT_USE).previews[0]
    assert shown.own_account_pays and (shown.own_pay, shown.shared_total) == (Decimal("30.00"), Decimal("70.00"))


# --- floors and caps -----------------------------------------------------------------------------------------


@pytest.fixture
def shanxi_pair(make_person, bind):
    worker = make_person(name="晋工", birth=datetime.date(1980, 1, 1), address="140105", region="140100",
                         balance="5000.00")
    mother = make_person(name="晋母", birth=datetime.date(1955, 1, 1), address="140105", region="140100",
                         insutype="390", sex="F")
    bind(worker, mother, relation="parent")
    return worker, mother


def test_floor_cap_and_one_authorizer_are_stated_with_their_amounts(shanxi_pair):
    """A ¥100 bill is paid in full, so nothing is wrong; the limits still apply and are stated."""
    worker, mother = shanxi_pair
    result = diagnose(me=worker, situation=MEMBER_CANNOT_USE, other=mother)
    assert result.ok
    assert [f.code for f in result.limits] == ["SHARED_BALANCE_BELOW_FLOOR", "SHARED_CAP_REACHED",
                                               "SINGLE_AUTHORIZER"]
    assert "1000.00" in str(result.limits[0].reason.message) and "500.00" in str(result.limits[1].reason.message)
    # The patient sees the same limits from her side.
    assert [f.code for f in diagnose(me=mother, situation=I_CANNOT_USE).limits][:2] == [
        "SHARED_BALANCE_BELOW_FLOOR", "SHARED_CAP_REACHED"]


def test_the_page_states_the_limits(client, make_citizen, make_person, bind):
    worker = make_citizen(name="晋工", birth=datetime.date(1980, 1, 1), address="140105", region="140100",
                          balance="5000.00", mobile="13700000061")
    mother = make_person(name="晋母", birth=datetime.date(1955, 1, 1), address="140105", region="140100",
                         insutype="390", sex="F")
    bind(worker.person, mother, relation="parent")
    response = check(client, worker, situation=MEMBER_CANNOT_USE, person=str(mother.pk), amount="800.00")
    limits = response.text.split('class="mt-4 policy-limits"', 1)[1].split("</section>", 1)[0]
    assert "¥1000.00" in limits and "¥500.00" in limits
    assert "SHARED_CAP_REACHED" in response.context["result"].codes  # the ¥800 bill is capped at ¥500


def test_no_limits_are_stated_where_the_policy_sets_none(alice, charlie, bind):
    bind(alice.person, charlie)
    assert diagnose(me=alice.person, situation=MEMBER_CANNOT_USE, other=charlie).limits == []
