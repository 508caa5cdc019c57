"""Monthly credits now belong to the ledger app (see ledger 0003, which renames the table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("settlement", "0001_initial"),
        ("ledger", "0003_credit_from_settlement"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Credit")]),
    ]
