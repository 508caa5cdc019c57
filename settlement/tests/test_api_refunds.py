from decimal import Decimal

import pytest

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


def test_a_partial_refund_gives_back_cash_first_then_shared_accounts_in_reverse_then_own(api, alice, bob,
                                                                                         make_citizen, bind):
    """全额冲销 + 重新结算: own ¥50, alice ¥3,000, bob ¥500, cash ¥50 for ¥3,600; refunds peel them off backwards."""
    child = _child(make_citizen)
    bind(alice, child.person)
    bind(bob, child.person)  # activated after alice's: pays after her
    status, body = api.settle(child.person, "3600.00", request_id="s-1")
    assert [(p["name"], p["amount"]) for p in body["payers"]] == [
        ("王*", "50.00"), ("张*", "3000.00"), ("王*", "500.00")] and body["cash_pay"] == "50.00"
    sid = body["settlement_id"]

    def refund(request_id, amount):
        status, body = api.post(f"settlements/{sid}/refunds", {"request_id": request_id, "amount": amount})
        assert status == 201
        return (body["cash_refund"], body["acct_mulaid_refund"], body["acct_refund"],
                [(p["name"], p["amount"]) for p in body["payers"]])

    assert refund("f-1", "100.00") == ("50.00", "50.00", "0.00", [("王*", "50.00")])  # cash, then bob
    assert _balance(bob) == Decimal("50.00") and _balance(alice) == Decimal("0.00")
    assert refund("f-2", "600.00") == ("0.00", "600.00", "0.00", [("王*", "450.00"), ("张*", "150.00")])
    assert refund("f-3", "2850.00") == ("0.00", "2850.00", "0.00", [("张*", "2850.00")])
    assert _balance(child) == Decimal("0.00")  # the own account paid first, so it is the last to get money back
    assert refund("f-4", "50.00") == ("0.00", "0.00", "50.00", [("王*", "50.00")])
    assert (_balance(alice), _balance(bob), _balance(child)) == (Decimal("3000.00"), Decimal("500.00"),
                                                                  Decimal("50.00"))


@pytest.mark.parametrize(("bill", "refunded", "reduced"), [("500.00", "200.00", "300.00"),
                                                            ("800.00", "200.00", "600.00"),
                                                            ("800.00", "700.00", "100.00")])
def test_a_partial_refund_leaves_what_settling_the_reduced_bill_would_have_paid(api, bob, make_citizen, bind,
                                                                                bill, refunded, reduced):
    """Settle the bill and refund part of it; then (balances back as they were) settle the reduced bill afresh:
    every account has paid the same, and so has the patient in cash."""
    import datetime

    from settlement.models import Settlement

    child = _child(make_citizen)
    small = make_citizen(name="王小钱", birth=datetime.date(1984, 2, 2), balance="120.00", mobile="13700000010",
                         sex="F")
    bind(small, child.person)
    bind(bob, child.person)
    status, body = api.settle(child.person, bill, request_id="s-big")
    sid = body["settlement_id"]
    assert api.post(f"settlements/{sid}/refunds", {"request_id": "part", "amount": refunded})[0] == 201
    settlement = Settlement.objects.get(pk=sid)
    after_refund = [(p.payer_id, p.source, p.net) for p in settlement.payments.order_by("id") if p.net > 0]
    cash_after_refund = settlement.amount - settlement.refunded - sum(net for *_x, net in after_refund)

    # Give back the rest: every balance is as it was before the first settlement.
    rest = str(settlement.amount - settlement.refunded)
    assert api.post(f"settlements/{sid}/refunds", {"request_id": "rest", "amount": rest})[0] == 201
    assert (_balance(child), _balance(small), _balance(bob)) == (Decimal("50.00"), Decimal("120.00"),
                                                                  Decimal("500.00"))
    status, fresh = api.settle(child.person, reduced, request_id="s-small")
    again = Settlement.objects.get(pk=fresh["settlement_id"])
    assert [(p.payer_id, p.source, p.amount) for p in again.payments.order_by("id")] == after_refund
    assert again.cash_pay == cash_after_refund


def test_a_partial_refund_only_appends_ledger_entries(api, alice, make_citizen, bind):
    child = _child(make_citizen)
    sid = _settle_mixed(api, alice, child, bind)
    before = {e.pk: (e.amount, e.balance_after) for e in LedgerEntry.objects.all()}
    api.post(f"settlements/{sid}/refunds", {"request_id": "f-1", "amount": "100.00"})
    after = {e.pk: (e.amount, e.balance_after) for e in LedgerEntry.objects.all()}
    assert {pk: after[pk] for pk in before} == before
    new = [after[pk][0] for pk in after.keys() - before.keys()]
    assert new == [Decimal("50.00")]  # ¥50 cash back (the institution's), ¥50 to alice's account


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
