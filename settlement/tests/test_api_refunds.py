from decimal import Decimal

from ledger.models import LedgerEntry


def _balance(user):
    user.person.account.refresh_from_db()
    return user.person.account.balance


def _settle_mixed(api, alice, child_user, bind):
    """child pays 50 own, alice 500... here: child ¥50 own + alice shared + cash."""
    bind(alice, child_user.person)
    status, body = api.settle(child_user.person, "3100.00", request_id="s-1")
    assert status == 201 and (body["acct_pay"], body["acct_mulaid_pay"], body["cash_pay"]) == (
        "50.00", "3000.00", "50.00")
    return body["settlement_id"]


def _child(make_citizen):
    import datetime

    return make_citizen(name="王一", birth=datetime.date(2010, 1, 1), balance="50.00", mobile="13700000009")


def test_a_partial_refund_goes_to_shared_accounts_first(api, alice, make_citizen, bind):
    child = _child(make_citizen)
    sid = _settle_mixed(api, alice, child, bind)
    status, body = api.post(f"settlements/{sid}/refunds", {"request_id": "f-1", "amount": "100.00"})
    assert status == 201
    assert (body["acct_mulaid_refund"], body["acct_refund"], body["cash_refund"]) == ("100.00", "0.00", "0.00")
    assert body["payers"] == [{"source": "shared", "name": "张*", "relation": "child", "amount": "100.00"}]
    assert _balance(alice) == Decimal("100.00") and _balance(child) == Decimal("0.00")


def test_a_full_refund_returns_everything_to_exactly_the_accounts_that_paid(api, alice, make_citizen, bind, dave):
    child = _child(make_citizen)
    sid = _settle_mixed(api, alice, child, bind)
    status, body = api.post(f"settlements/{sid}/refunds", {"request_id": "f-all", "amount": "3100.00"})
    assert status == 201
    assert (body["acct_mulaid_refund"], body["acct_refund"], body["cash_refund"]) == ("3000.00", "50.00", "50.00")
    assert _balance(alice) == Decimal("3000.00") and _balance(child) == Decimal("50.00")
    assert _balance(dave) == Decimal("100.00")
    status, body = api.post(f"settlements/{sid}/refunds", {"request_id": "f-more", "amount": "0.01"})
    assert status == 400 and body["code"] == "REFUND_EXCEEDS_PAID"


def test_refunds_never_exceed_what_was_paid_in_total(api, bob):
    sid = api.settle(bob.person, "100.00")[1]["settlement_id"]
    assert api.post(f"settlements/{sid}/refunds", {"request_id": "a", "amount": "60.00"})[0] == 201
    status, body = api.post(f"settlements/{sid}/refunds", {"request_id": "b", "amount": "40.01"})
    assert status == 400 and body["code"] == "REFUND_EXCEEDS_PAID"
    assert api.post(f"settlements/{sid}/refunds", {"request_id": "c", "amount": "40.00"})[0] == 201
    assert _balance(bob) == Decimal("500.00")


def test_a_refund_is_idempotent_and_a_changed_retry_conflicts(api, bob):
    sid = api.settle(bob.person, "100.00")[1]["settlement_id"]
    first = api.post(f"settlements/{sid}/refunds", {"request_id": "r", "amount": "30.00"})
    entries = LedgerEntry.objects.count()
    again = api.post(f"settlements/{sid}/refunds", {"request_id": "r", "amount": "30.00"})
    assert first[0] == 201 and again[0] == 200 and again[1] == first[1]
    assert LedgerEntry.objects.count() == entries
    status, body = api.post(f"settlements/{sid}/refunds", {"request_id": "r", "amount": "31.00"})
    assert status == 409 and body["code"] == "REQUEST_ID_CONFLICT"
    assert _balance(bob) == Decimal("430.00")


def test_another_institution_cannot_refund_a_settlement(api, bob):
    from settlement.keys import api_key_issue
    from settlement.models import Institution

    sid = api.settle(bob.person, "100.00")[1]["settlement_id"]
    other = Institution.objects.create(fixmedins_code="P32030200001", name="大药房", region_id="320300")
    status, body = api.post(f"settlements/{sid}/refunds", {"request_id": "x", "amount": "1.00"},
                            key=api_key_issue(institution=other)[1])
    assert status == 404 and body["code"] == "SETTLEMENT_NOT_FOUND"


def test_refund_input_is_validated(api, bob):
    sid = api.settle(bob.person, "100.00")[1]["settlement_id"]
    for bad in [{"request_id": "x", "amount": 1}, {"request_id": "x", "amount": "-1.00"}, {"amount": "1.00"},
                {"request_id": "x", "amount": "1.001"}]:
        status, body = api.post(f"settlements/{sid}/refunds", bad)
        assert status == 400 and body["code"] == "INVALID_FIELD"
