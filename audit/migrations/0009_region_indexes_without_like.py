"""The audit events' region, other region and province indexes without their LIKE-pattern twins.

A foreign key to a text primary key gets two indexes from Django: a plain one and a `varchar_pattern_ops` one for
`LIKE 'prefix%'`, which no query of the portal makes. Every audit event (one per settlement) wrote both. The plain
indexes stay, renamed to the names Meta now gives them; the pattern ones are dropped. No index is rebuilt."""

import django.db.models.deletion
from django.db import migrations, models

COLUMNS = [("region_id", "0773953d", "audit_event_region"),
           ("other_region_id", "d127b235", "audit_event_other_region"),
           ("province_id", "246e2114", "audit_event_province")]

FORWARD = "\n".join(
    f"DROP INDEX IF EXISTS audit_auditevent_{column}_{digest}_like;\n"
    f"ALTER INDEX audit_auditevent_{column}_{digest} RENAME TO {name};" for column, digest, name in COLUMNS)
REVERSE = "\n".join(
    f"ALTER INDEX {name} RENAME TO audit_auditevent_{column}_{digest};\n"
    f"CREATE INDEX audit_auditevent_{column}_{digest}_like ON audit_auditevent ({column} varchar_pattern_ops);"
    for column, digest, name in COLUMNS)


def _fk(to, verbose_name):
    return models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                             related_name="+", to=to, verbose_name=verbose_name)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0008_refusal_channel_money"),
        ("registry", "0009_registry_import_job"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(FORWARD, REVERSE)],
            state_operations=[
                migrations.AlterField("auditevent", "region", _fk("registry.poolingregion", "pooling region")),
                migrations.AlterField("auditevent", "other_region",
                                      _fk("registry.poolingregion", "other pooling region")),
                migrations.AlterField("auditevent", "province", _fk("registry.province", "province")),
                migrations.AddIndex("auditevent", models.Index(fields=["region"], name="audit_event_region")),
                migrations.AddIndex("auditevent", models.Index(fields=["other_region"],
                                                               name="audit_event_other_region")),
                migrations.AddIndex("auditevent", models.Index(fields=["province"], name="audit_event_province")),
            ],
        ),
    ]
