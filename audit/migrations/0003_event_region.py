"""Each audit event keeps its subject's pooling region(s), so officials' scoping reads no other app's tables.

Existing events get them from their subjects as they are now (the trigger that keeps the table append-only is
off for this one statement only, inside the migration's transaction).
"""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = """
ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only;
UPDATE audit_auditevent e SET region_id = p.region_id
  FROM sharing_binding b JOIN registry_insuredperson p ON p.id = b.authorizer_id
 WHERE e.subject_type = 'sharing.binding' AND e.subject_id = b.id::text;
UPDATE audit_auditevent e SET region_id = p.region_id
  FROM family_familymembership f JOIN registry_insuredperson p ON p.id = f.holder_id
 WHERE e.subject_type = 'family.familymembership' AND e.subject_id = f.id::text;
UPDATE audit_auditevent e SET region_id = p.region_id
  FROM registry_insuredperson p
 WHERE e.subject_type = 'registry.insuredperson' AND e.subject_id = p.id::text;
UPDATE audit_auditevent e SET region_id = p.region_id, other_region_id = NULLIF(i.region_id, p.region_id)
  FROM settlement_settlement s JOIN registry_insuredperson p ON p.id = s.patient_id
       JOIN settlement_institution i ON i.id = s.institution_id
 WHERE e.subject_type = 'settlement.settlement' AND e.subject_id = s.id::text;
UPDATE audit_auditevent e SET region_id = p.region_id, other_region_id = NULLIF(i.region_id, p.region_id)
  FROM settlement_refund r JOIN settlement_settlement s ON s.id = r.settlement_id
       JOIN registry_insuredperson p ON p.id = s.patient_id JOIN settlement_institution i ON i.id = r.institution_id
 WHERE e.subject_type = 'settlement.refund' AND e.subject_id = r.id::text;
ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only"),
        ("registry", "0001_initial"),
        # The backfill reads the subjects' tables (by SQL only; no model of theirs is used).
        ("sharing", "0001_initial"),
        ("family", "0001_initial"),
        ("settlement", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="region",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="registry.poolingregion", verbose_name="pooling region"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="other_region",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="registry.poolingregion", verbose_name="other pooling region"),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
