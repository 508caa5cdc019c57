"""A settlement's writes in one fixed statement (docs/settle-fast.md): the settlement row with its reply, its
ledger entries, its payments, the paying authorizers' in-site notifications and the audit event, as
data-modifying CTEs of one INSERT, prepared per connection (core.sql.fast_cursor).

The same rows the ORM wrote (settlement_create's tests and the query budget check them); the database's own
rules still apply per row: the ledger trigger moves each balance (and fills balance_after) and the balance /
quota check constraints refuse an overdraft; the audit trigger chains the event; the unique (institution,
request_id) index refuses a repeated request_id (the whole statement fails, nothing is written).

Each payment is matched to its ledger entry by account: an account pays at most once per settlement (the own
account, then one per authorizer); `settlement_write` refuses anything else.
"""

import json

from django.db import IntegrityError
from django.utils import timezone

from audit.services import audit_values
from core.sql import fast_cursor
from ledger.services import InsufficientBalance, to_money

SETTLE_SQL = """
WITH s AS (
  INSERT INTO settlement_settlement (id, institution_id, request_id, request_hash, patient_id, category, amount,
                                     acct_pay, acct_mulaid_pay, cash_pay, refunded, reply, created_at)
  VALUES (%(id)s, %(institution_id)s, %(request_id)s, %(request_hash)s, %(patient_id)s, %(category)s, %(amount)s,
          %(acct_pay)s, %(acct_mulaid_pay)s, %(cash_pay)s, 0, %(reply)s::jsonb, %(now)s)
  RETURNING id
), u AS (
  SELECT * FROM unnest(%(accounts)s::bigint[], %(reserves)s::bigint[], %(payers)s::uuid[], %(sources)s::text[],
                       %(bindings)s::uuid[], %(relations)s::text[], %(pays)s::numeric[])
         WITH ORDINALITY AS u(account_id, reserve_id, payer_id, source, binding_id, relation, amount, n)
), e AS (
  INSERT INTO ledger_ledgerentry (account_id, reserve_id, kind, amount, memo, reference, created_at)
  SELECT u.account_id, u.reserve_id, 'settlement', -u.amount, %(memo)s, %(id)s::text, %(now)s FROM u ORDER BY u.n
  RETURNING id, account_id
), p AS (
  INSERT INTO settlement_payment (settlement_id, account_id, payer_id, member_id, source, binding_id, relation,
                                  institution_id, category, amount, refunded, ledger_entry_id, created_at)
  SELECT s.id, u.account_id, u.payer_id, %(patient_id)s, u.source, u.binding_id, u.relation, %(institution_id)s,
         %(category)s, u.amount, 0, e.id, %(now)s
  FROM u JOIN e ON e.account_id = u.account_id CROSS JOIN s ORDER BY u.n
  RETURNING id
), nt AS (
  INSERT INTO notifications_notification (recipient_id, title, body, link, message, created_at)
  SELECT r, t, b, %(link)s, m::jsonb, %(now)s
  FROM unnest(%(recipients)s::uuid[], %(titles)s::text[], %(bodies)s::text[], %(messages)s::text[]) AS n(r, t, b, m)
  RETURNING id
)
INSERT INTO audit_auditevent (actor_id, actor_label, hall_id, channel, subject_type, subject_id, subject_label, event,
                              created_at, region_id, other_region_id, province_id, before, after, chain_seq,
                              prev_hash, chain_hash)
SELECT NULL, %(actor_label)s, NULL, %(channel)s, %(subject_type)s, %(subject_id)s, %(subject_label)s, %(event)s,
       %(now)s, %(region_id)s, %(other_region_id)s, %(province_id)s, NULL, %(after)s::jsonb, NULL, '', ''
FROM s
RETURNING (SELECT count(*) FROM p), (SELECT count(*) FROM nt)
"""


def settlement_write(*, settlement, parts: list[tuple], notifications: list[tuple], link: str, memo: str,
                     audit: dict) -> None:
    """Write `settlement` (unsaved, with its reply), one ledger entry and one payment per part
    (account, payer, source, binding, relation, amount, reserve), `notifications` ((person, title, body, message)
    each) and the audit event (audit.services.audit_values of a system actor, no `before`)."""
    accounts = [account.pk for account, *_rest in parts]
    if len(set(accounts)) != len(accounts):
        raise ValueError("an account pays at most once per settlement")
    if audit["actor"] is not None or audit["hall"] is not None or audit["before"] is not None:
        raise ValueError("the settlement's audit event is the system's")
    now = timezone.now()
    params = {
        "id": settlement.pk, "institution_id": settlement.institution_id, "request_id": settlement.request_id,
        "request_hash": settlement.request_hash, "patient_id": settlement.patient_id,
        "category": settlement.category, "amount": settlement.amount, "acct_pay": settlement.acct_pay,
        "acct_mulaid_pay": settlement.acct_mulaid_pay, "cash_pay": settlement.cash_pay,
        "reply": json.dumps(settlement.reply), "now": now, "memo": memo,
        "accounts": accounts,
        "reserves": [reserve.pk if reserve is not None else None for *_rest, reserve in parts],
        "payers": [payer.pk for _account, payer, *_rest in parts],
        "sources": [str(kind) for _account, _payer, kind, *_rest in parts],
        "bindings": [binding.pk if binding is not None else None for _a, _p, _k, binding, *_rest in parts],
        "relations": [relation for *_rest, relation, _pay, _reserve in parts],
        "pays": [to_money(pay) for *_rest, pay, _reserve in parts],
        "link": link,
        "recipients": [person.pk for person, *_rest in notifications],
        "titles": [title for _person, title, _body, _message in notifications],
        "bodies": [body for _person, _title, body, _message in notifications],
        "messages": [json.dumps(message) for *_rest, message in notifications],
        "actor_label": audit["actor_label"], "channel": audit["channel"], "subject_type": audit["subject_type"],
        "subject_id": audit["subject_id"], "subject_label": audit["subject_label"], "event": audit["event"],
        "region_id": audit["region_id"], "other_region_id": audit["other_region_id"],
        "province_id": audit["province_id"], "after": json.dumps(audit["after"]),
    }
    try:
        with fast_cursor() as cursor:
            cursor.execute(SETTLE_SQL, params)
            payments, _notifications = cursor.fetchone()
    except IntegrityError as exc:
        if "balance_never_negative" in str(exc) or "reserve_never_negative" in str(exc):
            raise InsufficientBalance("a settlement entry would overdraw an account or a quota") from exc
        raise
    if payments != len(parts):  # pragma: no cover - every part has its entry (one per account)
        raise RuntimeError("a payment lost its ledger entry")


def audit_of(settlement, after: dict) -> dict:
    return audit_values(actor=None, subject=settlement, event="settlement.create", after=after, channel="api")


# One audit event of the system (no actor, no hall, no `before`), as audit.services.audit_record writes it (the
# fields from audit_values), in a fixed statement prepared per connection: the patient enquiry's audit.
AUDIT_SQL = """
INSERT INTO audit_auditevent (actor_id, actor_label, hall_id, channel, subject_type, subject_id, subject_label, event,
                              created_at, region_id, other_region_id, province_id, before, after, chain_seq,
                              prev_hash, chain_hash)
VALUES (NULL, %(actor_label)s, NULL, %(channel)s, %(subject_type)s, %(subject_id)s, %(subject_label)s, %(event)s,
        %(now)s, %(region_id)s, %(other_region_id)s, %(province_id)s, NULL, %(after)s::jsonb, NULL, '', '')
"""


def audit_write(audit: dict) -> None:
    """Append `audit` (audit.services.audit_values of a system actor, no `before`); the audit trigger chains it."""
    if audit["actor"] is not None or audit["hall"] is not None or audit["before"] is not None:
        raise ValueError("only the system's events")
    with fast_cursor() as cursor:
        cursor.execute(AUDIT_SQL, {
            "actor_label": audit["actor_label"], "channel": audit["channel"], "subject_type": audit["subject_type"],
            "subject_id": audit["subject_id"], "subject_label": audit["subject_label"], "event": audit["event"],
            "now": timezone.now(), "region_id": audit["region_id"], "other_region_id": audit["other_region_id"],
            "province_id": audit["province_id"], "after": json.dumps(audit["after"])})
