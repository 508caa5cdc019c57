"""A refund's reads and writes in fixed SQL (docs/refunds-fast.md), prepared per connection (core.sql.fast_cursor).

Three statements instead of ~20 (four when a payment drew on a quota):
1. `settlement_load`: the API key still valid (settlement.loaders.KEY_VALID), the settlement locked (FOR UPDATE of its
   row only, in a subquery of its own, as before), its patient's region, and a stored refund with this request_id;
2. `payments_load`, after that lock (a new snapshot: what earlier refunds of this settlement committed): its
   payments in paying order with their payer's name and the quota their entry drew on, the accounts locked in id
   order (ORDER BY the account id, FOR UPDATE of the accounts only), then `reserves_lock` for open quotas;
3. `refund_write`: the refund row with its reply, one ledger entry and one refund line per account paid back, the
   payments' and the settlement's `refunded`, and the audit event, as data-modifying CTEs of one INSERT.

What each account gets back is still decided by the engine (sharing.eligibility.payment.resettle, called by
settlement.services). The database keeps its rules per row: the ledger trigger moves each balance (or the quota's),
entries stay append-only, the check constraints keep `refunded` within the amount paid, the audit trigger chains
the event, and the unique (institution, request_id) index refuses a repeated request_id (nothing is written).
"""

import json
from decimal import Decimal

from django.utils import timezone

from core.sql import fast_cursor
from settlement.loaders import KEY_VALID, KeyNotValid, key_params
from settlement.writers import AUDIT_INSERT, AUDIT_ROW, audit_params

SETTLEMENT_SQL = f"""
SELECT s.id, s.amount, s.refunded, p.region_id, r.request_hash, r.reply
FROM {KEY_VALID} k
LEFT JOIN LATERAL (SELECT s0.id, s0.amount, s0.refunded, s0.patient_id FROM settlement_settlement s0
                   WHERE s0.id = %(settlement_id)s AND s0.institution_id = %(institution_id)s FOR UPDATE) s ON true
LEFT JOIN registry_insuredperson p ON p.id = s.patient_id
LEFT JOIN settlement_refund r ON r.institution_id = %(institution_id)s AND r.request_id = %(request_id)s
"""

PAYMENTS_SQL = """
SELECT p.id, p.account_id, p.source, p.relation, p.amount, p.refunded, e.reserve_id, pr.name
FROM settlement_payment p
JOIN ledger_personalaccount a ON a.id = p.account_id
JOIN ledger_ledgerentry e ON e.id = p.ledger_entry_id
JOIN registry_insuredperson pr ON pr.id = p.payer_id
WHERE p.settlement_id = %(settlement_id)s
ORDER BY a.id FOR UPDATE OF a
"""

LOCK_RESERVES_SQL = "SELECT id FROM ledger_reserve WHERE id = ANY(%s) AND closed_at IS NULL ORDER BY id FOR UPDATE"

REFUND_SQL = f"""
WITH r AS (
  INSERT INTO settlement_refund (id, institution_id, settlement_id, request_id, request_hash, amount, reply,
                                 created_at)
  VALUES (%(id)s, %(institution_id)s, %(settlement_id)s, %(request_id)s, %(request_hash)s, %(amount)s,
          %(reply)s::jsonb, %(now)s)
  RETURNING id
), u AS (
  SELECT * FROM unnest(%(payments)s::bigint[], %(accounts)s::bigint[], %(reserves)s::bigint[], %(backs)s::numeric[])
         WITH ORDINALITY AS u(payment_id, account_id, reserve_id, amount, n)
), e AS (
  INSERT INTO ledger_ledgerentry (account_id, reserve_id, kind, amount, memo, reference, created_at)
  SELECT u.account_id, u.reserve_id, 'refund', u.amount, %(memo)s, %(settlement_id)s::text, %(now)s FROM u ORDER BY u.n
  RETURNING id, account_id
), l AS (
  INSERT INTO settlement_refundline (refund_id, payment_id, amount, ledger_entry_id)
  SELECT r.id, u.payment_id, u.amount, e.id FROM u JOIN e ON e.account_id = u.account_id CROSS JOIN r ORDER BY u.n
  RETURNING id
), pu AS (
  UPDATE settlement_payment p SET refunded = p.refunded + u.amount FROM u
  WHERE p.id = u.payment_id AND p.settlement_id = %(settlement_id)s
  RETURNING p.id
), su AS (
  UPDATE settlement_settlement SET refunded = refunded + %(amount)s WHERE id = %(settlement_id)s RETURNING id
)
{AUDIT_INSERT}SELECT {AUDIT_ROW}
FROM r
RETURNING (SELECT count(*) FROM l), (SELECT count(*) FROM pu), (SELECT count(*) FROM su)
"""


def settlement_load(*, api_key, settlement_id, request_id: str) -> dict | None:
    """The settlement of this institution, locked: {"id", "amount", "refunded", "patient_region", "stored"} where
    `stored` is (request_hash, reply) of an earlier refund with this request_id, or None. None if there is no such
    settlement of this institution; KeyNotValid if the key (or its institution) is no longer the one cached."""
    with fast_cursor() as cursor:
        cursor.execute(SETTLEMENT_SQL, {**key_params(api_key), "settlement_id": settlement_id,
                                        "request_id": request_id})
        row = cursor.fetchone()
    if row is None:
        raise KeyNotValid
    if row[0] is None:
        return None
    return {"id": row[0], "amount": row[1], "refunded": row[2], "patient_region": row[3],
            "stored": None if row[4] is None else (row[4], json.loads(row[5]))}  # jsonb comes as text (Django)


def payments_load(settlement_id) -> list[dict]:
    """The settlement's payments in paying order (their ids follow it), their accounts locked in id order."""
    with fast_cursor() as cursor:
        cursor.execute(PAYMENTS_SQL, {"settlement_id": settlement_id})
        rows = cursor.fetchall()
    names = ["id", "account_id", "source", "relation", "amount", "refunded", "reserve_id", "payer_name"]
    return sorted((dict(zip(names, row, strict=True)) for row in rows), key=lambda payment: payment["id"])


def reserves_lock(reserve_ids: set) -> set:
    """Lock the quotas among these that are still open, after the accounts, in id order; their ids."""
    if not reserve_ids:
        return set()
    with fast_cursor() as cursor:
        cursor.execute(LOCK_RESERVES_SQL, [sorted(reserve_ids)])
        return {row[0] for row in cursor.fetchall()}


def refund_write(*, refund, lines: list[tuple], memo: str, audit: dict) -> None:
    """Write `refund` (unsaved, with its reply) and, per line (payment id, account id, reserve id or None, amount
    back) in the order given, a ledger entry, a refund line and the payment's `refunded`; the settlement's
    `refunded`; the audit event (audit.services.audit_values of a system actor, no `before`)."""
    accounts = [account for _payment, account, _reserve, _back in lines]
    if len(set(accounts)) != len(accounts):
        raise ValueError("an account is paid back at most once per refund")
    params = {
        "id": refund.pk, "institution_id": refund.institution_id, "settlement_id": refund.settlement_id,
        "request_id": refund.request_id, "request_hash": refund.request_hash, "amount": refund.amount,
        "reply": json.dumps(refund.reply), "now": timezone.now(), "memo": memo,
        "payments": [payment for payment, *_rest in lines], "accounts": accounts,
        "reserves": [reserve for _payment, _account, reserve, _back in lines],
        "backs": [Decimal(back) for *_rest, back in lines],
        **audit_params(audit),
    }
    with fast_cursor() as cursor:
        cursor.execute(REFUND_SQL, params)
        refund_lines, payments, settlements = cursor.fetchone()
    if (refund_lines, payments, settlements) != (len(lines), len(lines), 1):  # pragma: no cover
        raise RuntimeError("a refund line lost its ledger entry or payment")
