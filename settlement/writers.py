"""A settlement's writes in one fixed statement (docs/settle-fast.md): the settlement row with its reply, its
ledger entries, its payments, the paying authorizers' in-site notifications and the audit event, as
data-modifying CTEs of one INSERT, prepared per connection (core.sql.fast_cursor); with the refusal log's entries of
the settlement's notes. Lists travel as jsonb parameters (jsonb_to_recordset): psycopg dumps an array parameter
element by element in Python, a string in C (docs/settle-last.md).

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

# One audit event of the system (no actor, no hall, no `before`), as audit.services.audit_record writes it (the
# fields from audit_values, through audit_params): the row of the settlement's, the refund's and the enquiry's writes.
AUDIT_INSERT = """INSERT INTO audit_auditevent (actor_id, actor_label, hall_id, channel, subject_type, subject_id,
                              subject_label, event, created_at, region_id, other_region_id, province_id, before,
                              after, chain_seq, prev_hash, chain_hash)
"""
AUDIT_ROW = """NULL, %(actor_label)s, NULL, %(channel)s, %(subject_type)s, %(subject_id)s, %(subject_label)s, %(event)s,
       %(now)s, %(region_id)s, %(other_region_id)s, %(province_id)s, NULL, %(after)s::jsonb, NULL, '', ''"""


def audit_params(audit: dict) -> dict:
    """AUDIT_ROW's parameters (but `now`) of `audit`: audit.services.audit_values of a system actor, no `before`."""
    if audit["actor"] is not None or audit["hall"] is not None or audit["before"] is not None:
        raise ValueError("only the system's audit events are written here")
    return {"actor_label": audit["actor_label"], "channel": audit["channel"], "subject_type": audit["subject_type"],
            "subject_id": audit["subject_id"], "subject_label": audit["subject_label"], "event": audit["event"],
            "region_id": audit["region_id"], "other_region_id": audit["other_region_id"],
            "province_id": audit["province_id"], "after": json.dumps(audit["after"])}


SETTLE_SQL = f"""
WITH s AS (
  INSERT INTO settlement_settlement (id, institution_id, request_id, request_hash, patient_id, category, amount,
                                     acct_pay, acct_mulaid_pay, cash_pay, refunded, reply, created_at)
  VALUES (%(id)s, %(institution_id)s, %(request_id)s, %(request_hash)s, %(patient_id)s, %(category)s, %(amount)s,
          %(acct_pay)s, %(acct_mulaid_pay)s, %(cash_pay)s, 0, %(reply)s::jsonb, %(now)s)
  RETURNING id
), u AS (
  SELECT * FROM jsonb_to_recordset(%(parts)s::jsonb)
         AS u(account_id bigint, reserve_id bigint, payer_id uuid, source text, binding_id uuid, relation text,
              amount numeric, n int)
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
  SELECT n.r, n.t, n.b, %(link)s, n.m, %(now)s
  FROM jsonb_to_recordset(%(notifications)s::jsonb) AS n(r uuid, t text, b text, m jsonb, k int) ORDER BY n.k
  RETURNING id
), rf AS (
  INSERT INTO audit_refusalentry (code, channel, region_id, created_at)
  SELECT r.code, 'api', %(refusal_region)s, %(now)s
  FROM jsonb_array_elements_text(%(refusals)s::jsonb) WITH ORDINALITY AS r(code, k) ORDER BY r.k
)
{AUDIT_INSERT}SELECT {AUDIT_ROW}
FROM s
RETURNING (SELECT count(*) FROM p), (SELECT count(*) FROM nt)
"""


def settlement_write(*, settlement, parts: list[tuple], notifications: list[tuple], link: str, memo: str,
                     audit: dict, refusals: list[str] = (), refusal_region: str | None = None) -> None:
    """Write `settlement` (unsaved, with its reply), one ledger entry and one payment per part
    (account, payer, source, binding, relation, amount, reserve), `notifications` ((person, title, body, message)
    each), the audit event (audit.services.audit_values of a system actor, no `before`) and the refusal log's
    entries of the settlement's notes (`refusals`: audit.refusals.refusal_codes of channel "api", in
    `refusal_region`)."""
    accounts = [account.pk for account, *_rest in parts]
    if len(set(accounts)) != len(accounts):
        raise ValueError("an account pays at most once per settlement")
    now = timezone.now()
    params = {
        "id": settlement.pk, "institution_id": settlement.institution_id, "request_id": settlement.request_id,
        "request_hash": settlement.request_hash, "patient_id": settlement.patient_id,
        "category": settlement.category, "amount": settlement.amount, "acct_pay": settlement.acct_pay,
        "acct_mulaid_pay": settlement.acct_mulaid_pay, "cash_pay": settlement.cash_pay,
        "reply": json.dumps(settlement.reply), "now": now, "memo": memo,
        "parts": json.dumps([
            {"account_id": account.pk, "reserve_id": reserve.pk if reserve is not None else None,
             "payer_id": str(payer.pk), "source": str(kind),
             "binding_id": str(binding.pk) if binding is not None else None, "relation": relation,
             "amount": str(to_money(pay)), "n": n}
            for n, (account, payer, kind, binding, relation, pay, reserve) in enumerate(parts, 1)],
            ensure_ascii=False),
        "link": link,
        "notifications": json.dumps([{"r": str(person.pk), "t": title, "b": body, "m": message, "k": k}
                                     for k, (person, title, body, message) in enumerate(notifications, 1)],
                                    ensure_ascii=False),
        **audit_params(audit),
        "refusals": json.dumps(list(refusals)), "refusal_region": refusal_region,
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


# The patient enquiry's audit event alone, a fixed statement prepared per connection.
AUDIT_SQL = f"{AUDIT_INSERT}VALUES ({AUDIT_ROW})"


def audit_write(audit: dict) -> None:
    """Append `audit` (audit.services.audit_values of a system actor, no `before`); the audit trigger chains it."""
    with fast_cursor() as cursor:
        cursor.execute(AUDIT_SQL, {**audit_params(audit), "now": timezone.now()})
