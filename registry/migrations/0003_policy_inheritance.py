"""Policy inheritance: a province's version may leave a field empty to follow the national version."""

import django.contrib.postgres.fields
import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0002_seed_reference_data'),
    ]

    operations = [
        migrations.AddField(
            model_name='sharingpolicy',
            name='ends_on_insurance_change',
            field=models.BooleanField(blank=True, default=None, help_text='Pooling region, insurance type, or enrollment ended (the 2026 rules).', null=True, verbose_name="a binding ends when either side's insurance relationship changes"),
        ),
        migrations.AlterField(
            model_name='sharingpolicy',
            name='allowed_relations',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('parent', 'Parent'), ('spouse', 'Spouse'), ('child', 'Child'), ('sibling', 'Sibling'), ('grandparent', 'Grandparent'), ('grandchild', 'Grandchild')], max_length=20), blank=True, null=True, verbose_name='allowed relationships'),
        ),
        migrations.AlterField(
            model_name='sharingpolicy',
            name='consent_expiry_days',
            field=models.PositiveSmallIntegerField(blank=True, default=None, null=True, validators=[django.core.validators.MinValueValidator(1)], verbose_name='days a spouse has to answer'),
        ),
        migrations.AlterField(
            model_name='sharingpolicy',
            name='cross_city_allowed',
            field=models.BooleanField(blank=True, default=None, null=True, verbose_name='sharing between cities of the province allowed'),
        ),
        migrations.AlterField(
            model_name='sharingpolicy',
            name='cross_province_allowed',
            field=models.BooleanField(blank=True, default=None, null=True, verbose_name='sharing across provinces allowed'),
        ),
        migrations.AlterField(
            model_name='sharingpolicy',
            name='on_registry_break',
            field=models.CharField(blank=True, choices=[('suspend', 'Suspend the binding until the rule holds again'), ('end', 'End the binding')], default=None, max_length=10, null=True, verbose_name='when a registry change breaks a rule'),
        ),
        migrations.AlterField(
            model_name='sharingpolicy',
            name='premiums_payable',
            field=models.BooleanField(blank=True, default=None, null=True, verbose_name="may pay the member's resident-insurance premiums"),
        ),
        migrations.AlterField(
            model_name='sharingpolicy',
            name='single_authorizer_per_settlement',
            field=models.BooleanField(blank=True, default=None, null=True, verbose_name='one settlement draws on one authorizer only'),
        ),
        migrations.AlterField(
            model_name='sharingpolicy',
            name='uses_validity_period',
            field=models.BooleanField(blank=True, default=None, null=True, verbose_name='bindings have a validity period'),
        ),
    ]
