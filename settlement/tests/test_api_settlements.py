from decimal import Decimal

from ledger.models import LedgerEntry
from settlement.models import Payment, Settlement


def _balance(user_or_person):
    person = getattr(user_or_person, "person", user_or_person)
    person.account.refresh_from_db()
    return person.account.balance


def test_pays_from_the_patients_own_account_first(api, bob):
    status, body = api.settle(bob.person, "120.50")
    assert status == 201
    assert body["amount"] == "120.50" and body["acct_pay"] == "120.50"
    assert body["acct_mulaid_pay"] == "0.00" and body["cash_pay"] == "0.00"
    assert body["payers"] == [{"source": "own", "name": "王*", "relation": "self", "amount": "120.50"}]
    assert body["notes"] == [] and body["request_id"] == "r-1"
    assert _balance(bob) == Decimal("379.50")


def test_pays_the_rest_from_the_authorizer_then_cash(api, alice, charlie, bind):
    bind(alice, charlie, "child")
    status, body = api.settle(charlie, "3100.00")
    assert status == 201
    assert (body["acct_pay"], body["acct_mulaid_pay"], body["cash_pay"]) == ("0.00", "3000.00", "100.00")
    assert body["payers"] == [{"source": "shared", "name": "张*", "relation": "child", "amount": "3000.00"}]
    assert _balance(alice) == Decimal("0.00")
    payment = Payment.objects.get()
    assert payment.payer == alice.person and payment.member == charlie and payment.source == "shared"


def test_own_account_first_then_shared_accounts_earliest_binding_first(api, alice, bob, make_citizen, make_person,
                                                                       bind):
    import datetime

    child = make_citizen(name="王一", birth=datetime.date(2003, 1, 1), balance="50.00", mobile="13700000001")
    bind(bob, child.person, "child")  # earliest
    bind(alice, child.person, "child")
    status, body = api.settle(child.person, "600.00")
    assert [(p["source"], p["amount"]) for p in body["payers"]] == [("own", "50.00"), ("shared", "500.00"),
                                                                   ("shared", "50.00")]
    assert (body["acct_pay"], body["acct_mulaid_pay"], body["cash_pay"]) == ("50.00", "550.00", "0.00")


def test_an_authorizer_with_zero_balance_pays_nothing_and_the_reply_says_so(api, make_citizen, charlie, bind):
    import datetime

    parent = make_citizen(name="刘洋", birth=datetime.date(1979, 4, 4), balance="0.00", mobile="13700000002")
    bind(parent, charlie, "child")
    status, body = api.settle(charlie, "20.00")
    assert status == 201 and body["cash_pay"] == "20.00" and body["payers"] == []
    assert [n["code"] for n in body["notes"]] == ["SHARED_BALANCE_ZERO"] and body["notes"][0]["message"]


def test_the_parts_always_add_up_to_the_amount(api, alice, charlie, bind):
    bind(alice, charlie)
    for i, amount in enumerate(["0.01", "999.99", "2500.00", "12.34"]):
        status, body = api.settle(charlie, amount, request_id=f"sum-{i}")
        assert status == 201
        parts = Decimal(body["acct_pay"]) + Decimal(body["acct_mulaid_pay"]) + Decimal(body["cash_pay"])
        assert parts == Decimal(body["amount"]) == Decimal(amount)


def test_a_resident_without_bindings_pays_cash_and_is_told_not_bound(api, charlie):
    status, body = api.settle(charlie, "35.00")
    assert status == 201 and body["cash_pay"] == "35.00" and body["payers"] == []
    assert [n["code"] for n in body["notes"]] == ["NOT_BOUND"] and body["notes"][0]["message"]


def test_the_same_request_again_gets_the_same_reply_and_no_new_money(api, alice, charlie, bind):
    bind(alice, charlie)
    first_status, first = api.settle(charlie, "100.00", request_id="same")
    entries = LedgerEntry.objects.count()
    again_status, again = api.settle(charlie, "100.00", request_id="same")
    assert (first_status, again_status) == (201, 200) and again == first
    assert LedgerEntry.objects.count() == entries and Settlement.objects.count() == 1
    assert _balance(alice) == Decimal("2900.00")


def test_the_same_request_id_with_another_body_is_a_conflict(api, alice, charlie, bind):
    bind(alice, charlie)
    api.settle(charlie, "100.00", request_id="dup")
    status, body = api.settle(charlie, "100.01", request_id="dup")
    assert status == 409 and body["code"] == "REQUEST_ID_CONFLICT" and body["message"]
    status, body = api.settle(charlie, "100.00", request_id="dup", category="pharmacy")
    assert status == 409
    assert _balance(alice) == Decimal("2900.00")


def test_an_equal_amount_written_differently_is_the_same_request(api, bob):
    assert api.settle(bob.person, "10.5", request_id="x")[0] == 201
    assert api.settle(bob.person, "10.50", request_id="x")[0] == 200


def test_the_same_request_id_from_another_institution_is_another_settlement(api, bob, make_person):
    from settlement.keys import api_key_issue
    from settlement.models import Institution

    other = Institution.objects.create(fixmedins_code="P32030200001", name="大药房", region_id="320300")
    other_key = api_key_issue(institution=other)[1]
    api.settle(bob.person, "10.00", request_id="shared-id")
    status, body = api.post("settlements", {"request_id": "shared-id", "mdtrt_cert_type": "02",
                                            "mdtrt_cert_no": bob.person.certno, "amount": "10.00",
                                            "category": "pharmacy"}, key=other_key)
    assert status == 201 and _balance(bob) == Decimal("480.00")


def test_a_suspended_binding_pays_nothing(api, alice, charlie, bind):
    binding = bind(alice, charlie)
    binding.status = "suspended"
    binding.save(update_fields=["status"])
    status, body = api.settle(charlie, "10.00")
    assert body["cash_pay"] == "10.00" and _balance(alice) == Decimal("3000.00")
    assert [n["code"] for n in body["notes"]] == ["BINDING_SUSPENDED"]


def test_an_unknown_patient_is_404(api, db):
    status, body = api.settle(type("P", (), {"certno": "11010519491231002X"})(), "10.00")
    assert status == 404 and body["code"] == "PATIENT_NOT_FOUND"


def test_nobody_can_name_a_payer(api, alice, dave, bind, charlie):
    """Extra fields such as a payer's ID number are ignored: only the patient's identity selects payers."""
    status, body = api.settle(charlie, "10.00", payer_certno=alice.person.certno, acct_certno=dave.person.certno)
    assert status == 201 and body["cash_pay"] == "10.00"
    assert _balance(alice) == Decimal("3000.00") and _balance(dave) == Decimal("100.00")
