"""The national version sets the quota scope too (a separate migration, as 0005: no ALTER after data updates in one
transaction)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_policy_quota_scope")]

    operations = [
        migrations.RemoveConstraint(model_name="sharingpolicy", name="national_policy_sets_every_field"),
        migrations.AddConstraint(
            model_name="sharingpolicy",
            constraint=models.CheckConstraint(condition=models.Q(("province__isnull", False), models.Q(("allowed_relations__isnull", False), ("consent_expiry_days__isnull", False), ("cross_city_allowed__isnull", False), ("cross_province_allowed__isnull", False), ("ends_on_insurance_change__isnull", False), ("on_registry_break__isnull", False), ("premiums_payable__isnull", False), ("quota_scope__isnull", False), ("single_authorizer_per_settlement__isnull", False), ("uses_validity_period__isnull", False)), _connector="OR"), name="national_policy_sets_every_field"),
        ),
    ]
