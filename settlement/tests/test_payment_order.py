"""A settlement draws on the shared accounts in the paying order the member set on "who shares with me"."""

import datetime
from decimal import Decimal

from sharing.payment_order import payment_order_move


def test_the_settlement_follows_the_members_paying_order(api, alice, make_citizen, charlie, bind):
    father = make_citizen(name="王波", birth=datetime.date(1984, 6, 1), balance="500.00", mobile="13700000051")
    first = bind(alice, charlie)
    second = bind(father, charlie)
    status, body = api.settle(charlie, "100.00", request_id="before")
    assert [(p["name"], p["amount"]) for p in body["payers"]] == [("张*", "100.00")]  # earliest activation first

    payment_order_move(member=charlie, binding_id=second.pk, direction="up", actor=None)
    status, body = api.settle(charlie, "600.00", request_id="after")
    assert [(p["name"], p["amount"]) for p in body["payers"]] == [("王*", "500.00"), ("张*", "100.00")]
    alice.person.account.refresh_from_db()
    assert alice.person.account.balance == Decimal("2800.00")
    assert first.pk != second.pk
