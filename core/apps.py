from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: reasons, form conventions, environment, access by role, admin scoping, translations,
    middleware. It imports no other app of the project."""

    name = "core"
    verbose_name = "Core"
