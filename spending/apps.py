from django.apps import AppConfig


class SpendingConfig(AppConfig):
    """Spending details (支出明细) for citizens: what each account paid, for whom, and what was paid for me."""

    name = "spending"
    verbose_name = "Spending details"
