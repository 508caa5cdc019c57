from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("settlement", "0003_api_key_alert"), ("ledger", "0004_reserves")]

    operations = [
        migrations.AlterField(
            model_name="payment",
            name="source",
            field=models.CharField(choices=[("own", "Own account"), ("shared", "Shared account"),
                                            ("quota", "Sharing quota")], max_length=6),
        ),
    ]
