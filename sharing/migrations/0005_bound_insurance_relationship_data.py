"""Bindings signed before 0004 did not record the insurance relationship they were signed under: take it from the
registry as it is now (the best record there is; a change before this migration goes unnoticed)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    Binding = apps.get_model("sharing", "Binding")
    InsuredPerson = apps.get_model("registry", "InsuredPerson")

    def of(side, field):
        return Subquery(InsuredPerson.objects.filter(pk=OuterRef(side)).values(field)[:1])

    Binding.objects.filter(bound_authorizer_region__isnull=True).update(
        bound_authorizer_region=of("authorizer_id", "region_id"),
        bound_authorizer_insutype=of("authorizer_id", "insutype"),
        bound_member_region=of("member_id", "region_id"),
        bound_member_insutype=of("member_id", "insutype"),
    )


class Migration(migrations.Migration):
    dependencies = [("sharing", "0004_bound_insurance_relationship")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
