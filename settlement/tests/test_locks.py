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
    binding_lock = next(i for i, sql in enumerate(locks) if 'FROM "sharing_binding"' in sql)
    account_lock = next(i for i, sql in enumerate(locks) if 'FROM "ledger_personalaccount"' in sql)
    assert binding_lock < account_lock
    assert 'FOR UPDATE OF "sharing_binding"' in locks[binding_lock]
    assert re.search(r'ORDER BY ("ledger_personalaccount"."id"|1) ASC FOR UPDATE', locks[account_lock])


def test_an_ended_binding_pays_nothing(api, alice, charlie, bind):
    from sharing.services import binding_unbind

    binding = bind(alice, charlie)
    binding_unbind(binding=binding, actor=alice)
    status, reply = api.settle(charlie, "50.00")
    assert status == 201 and reply["acct_mulaid_pay"] == "0.00" and reply["cash_pay"] == "50.00"
