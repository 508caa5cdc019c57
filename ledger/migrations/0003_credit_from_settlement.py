"""Monthly credits moved from the settlement app to the ledger (a state move and a table rename; no data changes)."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0002_ledger_invariants"),
        ("registry", "0001_initial"),
        ("settlement", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL("ALTER TABLE settlement_credit RENAME TO ledger_credit",
                                  "ALTER TABLE ledger_credit RENAME TO settlement_credit"),
            ],
            state_operations=[
                migrations.CreateModel(
                    name="Credit",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("period", models.CharField(max_length=7, validators=[django.core.validators.RegexValidator("^\\d{4}-(0[1-9]|1[0-2])$")], verbose_name="period")),
                        ("amount", models.DecimalField(decimal_places=2, max_digits=14)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("ledger_entry", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="ledger.ledgerentry")),
                        ("person", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="credits", to="registry.insuredperson")),
                    ],
                    options={
                        "constraints": [
                            models.UniqueConstraint(fields=("person", "period"), name="one_credit_per_person_and_period"),
                            models.CheckConstraint(condition=models.Q(("amount__gt", 0)), name="credit_positive"),
                        ],
                    },
                ),
            ],
        ),
    ]
