from django.core.management.base import BaseCommand, CommandError
from django.db import connection

# Each query lists what breaks one invariant; all of them must come back empty.
CHECKS = {
    "balance differs from the sum of its ledger entries": """
        SELECT a.id, a.balance, COALESCE(s.total, 0) FROM ledger_personalaccount a
        LEFT JOIN (SELECT account_id, SUM(amount) AS total FROM ledger_ledgerentry WHERE reserve_id IS NULL
                   GROUP BY account_id) s
          ON s.account_id = a.id
        WHERE a.balance <> COALESCE(s.total, 0) OR a.balance < 0""",
    "sharing quota (reserve) differs from the sum of its ledger entries": """
        SELECT r.id, r.balance, COALESCE(s.total, 0) FROM ledger_reserve r
        LEFT JOIN (SELECT reserve_id, SUM(amount) AS total FROM ledger_ledgerentry WHERE reserve_id IS NOT NULL
                   GROUP BY reserve_id) s
          ON s.reserve_id = r.id
        WHERE r.balance <> COALESCE(s.total, 0) OR r.balance < 0""",
    "quota payment is not an entry of its binding's quota": """
        SELECT p.id, p.amount, -e.amount FROM settlement_payment p
        JOIN ledger_ledgerentry e ON e.id = p.ledger_entry_id
        LEFT JOIN ledger_reserve r ON r.id = e.reserve_id
        WHERE (p.source = 'quota') <> (e.reserve_id IS NOT NULL)
           OR (p.source = 'quota' AND r.binding_ref IS DISTINCT FROM p.binding_id)""",
    "premium payment differs from its ledger entry": """
        SELECT p.id, p.amount, -e.amount FROM sharing_premiumpayment p
        JOIN ledger_ledgerentry e ON e.id = p.ledger_entry_id
        WHERE -e.amount <> p.amount OR e.kind <> 'premium' OR e.account_id <> p.account_id
           OR e.reserve_id IS NOT NULL""",
    "closed sharing quota still holds money": """
        SELECT r.id, r.balance, 0 FROM ledger_reserve r WHERE r.closed_at IS NOT NULL AND r.balance <> 0""",
    "settlement's account parts differ from its payments": """
        SELECT s.id, s.acct_pay + s.acct_mulaid_pay, COALESCE(p.total, 0) FROM settlement_settlement s
        LEFT JOIN (SELECT settlement_id, SUM(amount) AS total FROM settlement_payment GROUP BY settlement_id) p
          ON p.settlement_id = s.id
        WHERE s.acct_pay + s.acct_mulaid_pay <> COALESCE(p.total, 0)""",
    "payment's refunded amount differs from its refund lines": """
        SELECT p.id, p.refunded, COALESCE(r.total, 0) FROM settlement_payment p
        LEFT JOIN (SELECT payment_id, SUM(amount) AS total FROM settlement_refundline GROUP BY payment_id) r
          ON r.payment_id = p.id
        WHERE p.refunded <> COALESCE(r.total, 0)""",
}


class Command(BaseCommand):
    help = "Check that every balance equals the sum of its ledger entries (and settlements add up). Exit 1 if not."

    def handle(self, *args, **options):
        problems = 0
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM ledger_personalaccount")
            accounts = cursor.fetchone()[0]
            for label, sql in CHECKS.items():
                cursor.execute(sql)
                for row_id, recorded, computed in cursor.fetchall():
                    problems += 1
                    self.stderr.write(f"{label}: id {row_id} has {recorded}, entries say {computed}")
        if problems:
            raise CommandError(f"{problems} difference(s) found.")
        self.stdout.write(f"OK: {accounts} account(s), every balance and quota equals the sum of its entries.")
