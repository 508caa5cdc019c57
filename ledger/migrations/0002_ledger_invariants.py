"""The database, not Python, keeps the ledger honest.

- Inserting an entry moves the balance of its account and records balance_after.
- A balance may change in no other way (direct UPDATEs are refused).
- A new account starts at zero; its opening balance is an entry.
- Entries can never be updated or deleted.
The check constraint balance >= 0 refuses any entry that would overdraw.
"""

from django.db import migrations

SQL = """
CREATE FUNCTION append_only_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE FUNCTION ledger_apply_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE ledger_personalaccount SET balance = balance + NEW.amount WHERE id = NEW.account_id
    RETURNING balance INTO NEW.balance_after;
  RETURN NEW;
END $$;

CREATE FUNCTION ledger_guard_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.balance <> 0 THEN
    RAISE EXCEPTION 'a personal account opens at 0.00; post its opening balance as a ledger entry'
      USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.balance IS DISTINCT FROM OLD.balance AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'a balance changes only through ledger entries' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER ledger_apply_entry BEFORE INSERT ON ledger_ledgerentry
  FOR EACH ROW EXECUTE FUNCTION ledger_apply_entry();
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger_ledgerentry
  FOR EACH ROW EXECUTE FUNCTION append_only_guard();
CREATE TRIGGER account_balance_guard BEFORE INSERT OR UPDATE ON ledger_personalaccount
  FOR EACH ROW EXECUTE FUNCTION ledger_guard_balance();
"""

REVERSE = """
DROP TRIGGER account_balance_guard ON ledger_personalaccount;
DROP TRIGGER ledger_append_only ON ledger_ledgerentry;
DROP TRIGGER ledger_apply_entry ON ledger_ledgerentry;
DROP FUNCTION ledger_guard_balance();
DROP FUNCTION ledger_apply_entry();
DROP FUNCTION append_only_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
