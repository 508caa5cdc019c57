from django.db import migrations


def load(apps, schema_editor):
    from registry import seed

    seed.load(apps)


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
