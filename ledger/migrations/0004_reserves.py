"""Reserves (sharing quotas): a sub-ledger of a personal account kept by the same database invariants.

- An entry that names a reserve moves the reserve's balance (not the account's) and records balance_after.
- A reserve opens at zero, its balance changes only through entries, never below zero (check constraint).
- An entry's reserve belongs to the entry's account; a closed reserve takes no money in.
Entries stay append-only (migration 0002).
"""

import django.db.models.deletion
from decimal import Decimal

from django.db import migrations, models

SQL = """
CREATE OR REPLACE FUNCTION ledger_apply_entry() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  owner bigint;
  closed timestamptz;
BEGIN
  IF NEW.reserve_id IS NULL THEN
    UPDATE ledger_personalaccount SET balance = balance + NEW.amount WHERE id = NEW.account_id
      RETURNING balance INTO NEW.balance_after;
  ELSE
    SELECT account_id, closed_at INTO owner, closed FROM ledger_reserve WHERE id = NEW.reserve_id;
    IF owner IS DISTINCT FROM NEW.account_id THEN
      RAISE EXCEPTION 'a reserve entry must name the reserve''s own account' USING ERRCODE = 'check_violation';
    END IF;
    IF closed IS NOT NULL AND NEW.amount > 0 THEN
      RAISE EXCEPTION 'a closed reserve takes no money in' USING ERRCODE = 'check_violation';
    END IF;
    UPDATE ledger_reserve SET balance = balance + NEW.amount WHERE id = NEW.reserve_id
      RETURNING balance INTO NEW.balance_after;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER reserve_balance_guard BEFORE INSERT OR UPDATE ON ledger_reserve
  FOR EACH ROW EXECUTE FUNCTION ledger_guard_balance();
"""

REVERSE = """
DROP TRIGGER reserve_balance_guard ON ledger_reserve;
CREATE OR REPLACE FUNCTION ledger_apply_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE ledger_personalaccount SET balance = balance + NEW.amount WHERE id = NEW.account_id
    RETURNING balance INTO NEW.balance_after;
  RETURN NEW;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_credit_from_settlement")]

    operations = [
        migrations.CreateModel(
            name="Reserve",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("binding_ref", models.UUIDField(unique=True, verbose_name="binding")),
                ("balance", models.DecimalField(decimal_places=2, default=Decimal("0.00"), max_digits=14,
                                                verbose_name="left (yuan)")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="closed at")),
                ("account", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="reserves",
                                              to="ledger.personalaccount", verbose_name="personal account")),
            ],
            options={
                "verbose_name": "sharing quota",
                "verbose_name_plural": "sharing quotas",
                "constraints": [models.CheckConstraint(condition=models.Q(("balance__gte", 0)),
                                                       name="reserve_never_negative")],
            },
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="reserve",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="entries", to="ledger.reserve", verbose_name="sharing quota"),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="kind",
            field=models.CharField(choices=[("opening", "Opening balance"), ("credit", "Monthly credit"),
                                            ("settlement", "Payment"), ("refund", "Refund"),
                                            ("adjustment", "Adjustment"), ("quota", "Sharing quota")],
                                   max_length=20, verbose_name="kind"),
        ),
        migrations.RunSQL(SQL, REVERSE),
    ]
