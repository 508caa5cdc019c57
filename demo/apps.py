from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The roof: demo families, staff, officials, bindings and settlements for `make run`. The only app that knows
    every other app; nothing imports it."""

    name = "demo"
    verbose_name = "Demo data"
