"""Both sides' insurance relationship as it was when a binding was signed."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0001_initial'),
        ('sharing', '0003_letter_v1'),
    ]

    operations = [
        migrations.AddField(
            model_name='binding',
            name='bound_authorizer_insutype',
            field=models.CharField(blank=True, choices=[('310', 'Employee insurance'), ('390', 'Resident insurance')], max_length=3, verbose_name="authorizer's insurance type when bound"),
        ),
        migrations.AddField(
            model_name='binding',
            name='bound_authorizer_region',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.poolingregion', verbose_name="authorizer's pooling region when bound"),
        ),
        migrations.AddField(
            model_name='binding',
            name='bound_member_insutype',
            field=models.CharField(blank=True, choices=[('310', 'Employee insurance'), ('390', 'Resident insurance')], max_length=3, verbose_name="member's insurance type when bound"),
        ),
        migrations.AddField(
            model_name='binding',
            name='bound_member_region',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.poolingregion', verbose_name="member's pooling region when bound"),
        ),
    ]
