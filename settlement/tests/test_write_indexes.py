"""Every index of a table a settlement or refund writes costs each write: none may be redundant there
(docs/settle-tail.md). A foreign key's own index is redundant when another index of the table leads with the same
column; a LIKE-pattern index (what Django adds for a foreign key to a text key) serves no query of the portal."""

import pytest
from django.db import connection

WRITTEN = ["settlement_settlement", "settlement_payment", "settlement_refund", "notifications_notification",
           "audit_auditevent", "ledger_ledgerentry", "ledger_personalaccount", "ledger_reserve"]

REDUNDANT_SQL = """
SELECT t.relname, i.relname, o.relname
  FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_class t ON t.oid = x.indrelid
  JOIN pg_index y ON y.indrelid = x.indrelid AND y.indexrelid <> x.indexrelid AND y.indkey[0] = x.indkey[0]
                 AND y.indpred IS NULL AND y.indexprs IS NULL AND y.indnkeyatts > 1
  JOIN pg_class o ON o.oid = y.indexrelid
 WHERE t.relname = ANY(%s) AND NOT x.indisunique AND x.indnatts = 1 AND x.indpred IS NULL AND x.indexprs IS NULL
 ORDER BY 1, 2"""

PATTERN_SQL = "SELECT tablename, indexname FROM pg_indexes WHERE tablename = ANY(%s) AND indexdef LIKE '%%_pattern_ops%%'"


@pytest.mark.django_db
def test_the_tables_a_settlement_writes_have_no_redundant_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relname = ANY(%s) AND relkind = 'r'", [WRITTEN])
        assert sorted(row[0] for row in cursor.fetchall()) == sorted(WRITTEN)  # the names above are real tables
        cursor.execute(REDUNDANT_SQL, [WRITTEN])
        assert cursor.fetchall() == []
        cursor.execute(PATTERN_SQL, [WRITTEN])
        assert cursor.fetchall() == []
