"""The database itself refuses to change or delete an audit event (append_only_guard from ledger 0002)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial"), ("ledger", "0002_ledger_invariants")]
    operations = [
        migrations.RunSQL(
            "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditevent "
            "FOR EACH ROW EXECUTE FUNCTION append_only_guard();",
            "DROP TRIGGER audit_append_only ON audit_auditevent;",
        )
    ]
