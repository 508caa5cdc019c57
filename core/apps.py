from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """The ground floor: reasons, form conventions, environment, access by role, admin scoping, translations,
    middleware. It imports no other app of the project."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from django.core import checks

        from core.db_roles import grant_after_migrate
        from core.templatetags.i18n_memo import library_names_check

        checks.register(library_names_check, checks.Tags.templates)

        # post_migrate is sent per app with models (core has none), after all migrations ran: grant once.
        post_migrate.connect(grant_after_migrate, sender=apps.get_app_config("contenttypes"),
                             dispatch_uid="core.db_roles.grant")
