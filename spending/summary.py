"""The monthly payment summary (`spending.PaymentMonth`) and the triggers that keep it exact.

Statement-level triggers with transition tables on `settlement_payment`: one INSERT … ON CONFLICT per statement
(the settlement writes all its payments in one INSERT), in the same transaction, so the summary can never disagree
with the payments. Only the sharing sources are summed; own-account payments cost the settlement nothing more than
an empty SELECT. Months are local months of settings.TIME_ZONE, as Django's TruncMonth groups them.
"""

from django.conf import settings
from django.db import connection, transaction

SOURCES = "('shared', 'quota')"


def _month(tz: str) -> str:
    return f"(date_trunc('month', created_at AT TIME ZONE '{tz}'))::date"


def _upsert(rows_sql: str) -> str:
    """Add the grouped deltas of `rows_sql` (payer_id, member_id, source, month, paid, refunded, count)."""
    return f"""
    INSERT INTO spending_paymentmonth (payer_id, member_id, source, month, paid, refunded, count)
    SELECT payer_id, member_id, source, month, sum(paid), sum(refunded), sum(count) FROM ({rows_sql}) AS d
    GROUP BY 1, 2, 3, 4 HAVING sum(paid) <> 0 OR sum(refunded) <> 0 OR sum(count) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (payer_id, member_id, source, month) DO UPDATE SET
      paid = spending_paymentmonth.paid + EXCLUDED.paid,
      refunded = spending_paymentmonth.refunded + EXCLUDED.refunded,
      count = spending_paymentmonth.count + EXCLUDED.count;"""


def _rows(table: str, sign: str, tz: str) -> str:
    return (f"SELECT payer_id, member_id, source, {_month(tz)} AS month, {sign}amount AS paid, "
            f"{sign}refunded AS refunded, {sign}1 AS count FROM {table} WHERE source IN {SOURCES}")


def forward_sql(tz: str) -> str:
    added, removed = _rows("new_rows", "", tz), _rows("old_rows", "-", tz)
    return f"""
CREATE FUNCTION spending_payment_month_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {_upsert(added)} RETURN NULL; END $$;
CREATE FUNCTION spending_payment_month_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {_upsert(added + " UNION ALL " + removed)} RETURN NULL; END $$;
CREATE FUNCTION spending_payment_month_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {_upsert(removed)} RETURN NULL; END $$;
CREATE TRIGGER spending_payment_month_insert AFTER INSERT ON settlement_payment
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION spending_payment_month_insert();
CREATE TRIGGER spending_payment_month_update AFTER UPDATE ON settlement_payment
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION spending_payment_month_update();
CREATE TRIGGER spending_payment_month_delete AFTER DELETE ON settlement_payment
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION spending_payment_month_delete();
"""


REVERSE_SQL = """
DROP TRIGGER IF EXISTS spending_payment_month_insert ON settlement_payment;
DROP TRIGGER IF EXISTS spending_payment_month_update ON settlement_payment;
DROP TRIGGER IF EXISTS spending_payment_month_delete ON settlement_payment;
DROP FUNCTION IF EXISTS spending_payment_month_insert();
DROP FUNCTION IF EXISTS spending_payment_month_update();
DROP FUNCTION IF EXISTS spending_payment_month_delete();
"""


def rebuild_sql(tz: str) -> str:
    return "DELETE FROM spending_paymentmonth;" + _upsert(_rows("settlement_payment", "", tz))


def rebuild() -> None:
    """Recompute the whole summary from the payments (after a bulk load that ran with triggers off)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE settlement_payment IN SHARE MODE")
        cursor.execute(rebuild_sql(settings.TIME_ZONE))
