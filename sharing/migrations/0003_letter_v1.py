"""The first commitment letter (个人承诺书), version 1. Later versions are published by officials in the admin."""

from django.db import migrations


def seed(apps, schema_editor):
    from sharing import seed as sharing_seed

    sharing_seed.load(apps)


class Migration(migrations.Migration):
    dependencies = [("sharing", "0002_signed_records_immutable")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
