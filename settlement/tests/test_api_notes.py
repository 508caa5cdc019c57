"""Why a shared account paid nothing: the notes of the settlement reply and of the patient enquiry."""

import datetime


def _codes(body):
    return [n["code"] for n in body["notes"]]


def _suspend(binding):
    binding.status = "suspended"
    binding.save(update_fields=["status"])


def test_a_member_of_a_suspended_binding_is_told_so_when_settling_and_enquiring(api, alice, charlie, bind):
    _suspend(bind(alice, charlie))
    status, body = api.settle(charlie, "10.00")
    assert status == 201 and body["cash_pay"] == "10.00" and body["payers"] == []
    assert _codes(body) == ["BINDING_SUSPENDED"]  # not NOT_BOUND as well: one clear note
    status, body = api.get(f"patients/{charlie.certno}")
    assert status == 200 and body["mulaid_balc"] == "0.00" and _codes(body) == ["BINDING_SUSPENDED"]


def test_a_suspended_binding_is_noted_beside_an_active_one_that_pays(api, alice, bob, charlie, bind):
    _suspend(bind(alice, charlie))
    bind(bob, charlie)
    status, body = api.settle(charlie, "10.00")
    assert body["acct_mulaid_pay"] == "10.00" and _codes(body) == ["BINDING_SUSPENDED"]


def test_without_any_binding_the_enquiry_says_not_bound(api, charlie):
    status, body = api.get(f"patients/{charlie.certno}")
    assert status == 200 and body["mulaid_balc"] == "0.00" and _codes(body) == ["NOT_BOUND"]


def test_not_bound_only_when_cash_is_owed(api, bob):
    assert _codes(api.settle(bob.person, "500.00", request_id="covered")[1]) == []
    status, body = api.settle(bob.person, "0.01", request_id="over")
    assert body["cash_pay"] == "0.01" and _codes(body) == ["NOT_BOUND"]


def test_family_account_only_is_the_one_note_not_not_bound_as_well(api, alice, charlie):
    from family.models import FamilyMembership

    FamilyMembership.objects.create(holder=alice.person, member=charlie, relation="child", status="active")
    assert _codes(api.settle(charlie, "5.00")[1]) == ["FAMILY_ACCOUNT_ONLY"]
    assert _codes(api.get(f"patients/{charlie.certno}")[1]) == ["FAMILY_ACCOUNT_ONLY"]


def test_an_active_binding_that_cannot_pay_says_why_and_not_not_bound(api, make_citizen, charlie, bind):
    parent = make_citizen(name="刘洋", birth=datetime.date(1979, 4, 4), balance="0.00", mobile="13700000002")
    bind(parent, charlie, "child")
    assert _codes(api.settle(charlie, "20.00")[1]) == ["SHARED_BALANCE_ZERO"]


def test_a_patient_whose_enrollment_ended_is_told_why_nothing_pays(api, make_person):
    patient = make_person(name="停保人", status="ended", balance="300.00")
    status, reply = api.settle(patient, "40.00")
    assert status == 201 and reply["acct_pay"] == "0.00" and reply["cash_pay"] == "40.00"
    assert [n["code"] for n in reply["notes"]] == ["PATIENT_NOT_ENROLLED"]
