"""Policy inheritance, data: the seeded province versions keep only the fields they set themselves.

Resolved on any day, every seeded province's policy stays exactly what it was (the fields emptied here held the
national default's values); a later national version now reaches the fields a province did not set. Versions an
official published are left as they are: nobody can tell which of their fields were meant as the province's own.
The seeded rows are copied here (a migration must not import the live seed module).
"""

import datetime

from django.db import migrations

INHERITABLE = ["allowed_relations", "cross_city_allowed", "cross_province_allowed", "consent_expiry_days",
               "uses_validity_period", "shared_floor", "per_payment_cap", "single_authorizer_per_settlement",
               "on_registry_break", "premiums_payable", "ends_on_insurance_change"]

# (province, effective_from, title) -> the fields that province set itself.
SEEDED_PROVINCE_VERSIONS = {
    ("32", datetime.date(2021, 10, 1), "江苏省家庭共济政策"): dict(cross_city_allowed=True, uses_validity_period=True),
    ("13", datetime.date(2021, 10, 1), "河北省家庭共济政策"): dict(cross_city_allowed=True),
    ("11", datetime.date(2026, 1, 1), "北京市跨省共济政策（2026年）"): dict(
        allowed_relations=["parent", "spouse", "child", "sibling", "grandparent", "grandchild"],
        cross_city_allowed=True, cross_province_allowed=True, on_registry_break="end", premiums_payable=True,
        ends_on_insurance_change=True),
    ("14", datetime.date(2023, 1, 1), "山西省家庭共济政策"): dict(
        allowed_relations=["parent", "spouse", "child", "sibling", "grandparent", "grandchild"],
        cross_city_allowed=True, shared_floor="1000.00", per_payment_cap="500.00",
        single_authorizer_per_settlement=True),
}


def forwards(apps, schema_editor):
    SharingPolicy = apps.get_model("registry", "SharingPolicy")
    # Every national version existing so far predates the 2026 rule: it does not end bindings on a change.
    SharingPolicy.objects.filter(province__isnull=True, ends_on_insurance_change__isnull=True).update(
        ends_on_insurance_change=False)
    for (province, effective_from, title), own in SEEDED_PROVINCE_VERSIONS.items():
        fields = {name: None for name in INHERITABLE}
        fields.update(own)
        SharingPolicy.objects.filter(province_id=province, effective_from=effective_from, title=title).update(**fields)


def backwards(apps, schema_editor):
    """Write the resolved values back into every province version (the older schema has no empty fields)."""
    SharingPolicy = apps.get_model("registry", "SharingPolicy")
    nationals = list(SharingPolicy.objects.filter(province__isnull=True).order_by("-effective_from"))
    for version in SharingPolicy.objects.filter(province__isnull=False):
        national = next((n for n in nationals if n.effective_from <= version.effective_from), nationals[-1])
        for name in INHERITABLE:
            if getattr(version, name) is None and name not in ("shared_floor", "per_payment_cap"):
                setattr(version, name, getattr(national, name))
        version.save()


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_policy_inheritance")]
    operations = [migrations.RunPython(forwards, backwards)]
