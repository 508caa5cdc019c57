"""The ledger entries' reference index without its LIKE-pattern twin, which Django adds to a text column's
db_index and no query of the portal uses; every settlement wrote both. The plain index stays, renamed to the name
Meta now gives it. No index is rebuilt."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("ledger", "0006_entry_account_index_is_the_latest_one")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(
                "DROP INDEX IF EXISTS ledger_ledgerentry_reference_6ab88fc0_like;\n"
                "ALTER INDEX ledger_ledgerentry_reference_6ab88fc0 RENAME TO ledger_entry_reference;",
                "ALTER INDEX ledger_entry_reference RENAME TO ledger_ledgerentry_reference_6ab88fc0;\n"
                "CREATE INDEX ledger_ledgerentry_reference_6ab88fc0_like ON ledger_ledgerentry "
                "(reference varchar_pattern_ops);")],
            state_operations=[
                migrations.AlterField("ledgerentry", "reference",
                                      models.CharField(blank=True, max_length=64, verbose_name="reference")),
                migrations.AddIndex("ledgerentry", models.Index(fields=["reference"], name="ledger_entry_reference")),
            ],
        ),
    ]
