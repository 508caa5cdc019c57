"""Lock order of a settlement: the member's bindings first, then the accounts in id order."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_a_settlement_locks_the_bindings_before_the_accounts(api, alice, bob, charlie, bind):
    bind(alice, charlie)
    bind(bob, charlie)
    with CaptureQueriesContext(connection) as queries:
        status, _ = api.settle(charlie, "50.00")
    assert status == 201
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    # The loader locks the active bindings in a subquery of its own (FOR UPDATE of the binding rows only).
    binding_lock = next(i for i, sql in enumerate(locks) if re.search(
        r"FROM sharing_binding b0\s+WHERE b0.member_id = p.id AND b0.status = 'active' ORDER BY b0.id FOR UPDATE\)",
        sql))
    account_lock = next(i for i, sql in enumerate(locks) if "FROM ledger_personalaccount WHERE" in sql)
    assert binding_lock < account_lock
    assert "ORDER BY id FOR UPDATE" in locks[account_lock]


def test_an_ended_binding_pays_nothing(api, alice, charlie, bind):
    from sharing.services import binding_unbind

    binding = bind(alice, charlie)
    binding_unbind(binding=binding, actor=alice)
    status, reply = api.settle(charlie, "50.00")
    assert status == 201 and reply["acct_mulaid_pay"] == "0.00" and reply["cash_pay"] == "50.00"
