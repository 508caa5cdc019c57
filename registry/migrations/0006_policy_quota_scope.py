"""Which bindings share through a quota (共济额度): a policy field; the national versions share cross-province
bindings through a quota (the 2026 default)."""

from django.db import migrations, models


def national_cross_province(apps, schema_editor):
    SharingPolicy = apps.get_model("registry", "SharingPolicy")
    SharingPolicy.objects.filter(province__isnull=True, quota_scope__isnull=True).update(quota_scope="cross_province")


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_national_policy_sets_every_field")]

    operations = [
        migrations.AddField(
            model_name="sharingpolicy",
            name="quota_scope",
            field=models.CharField(blank=True, choices=[
                ("none", "No binding: the live balance is shared"),
                ("cross_province", "Cross-province bindings share through a quota"),
                ("all", "Every binding shares through a quota")], default=None, max_length=16, null=True,
                verbose_name="which bindings share through a quota (共济额度)"),
        ),
        migrations.RunPython(national_cross_province, migrations.RunPython.noop),
    ]
