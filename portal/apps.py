from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from portal.db_roles import grant_after_migrate

        # post_migrate is sent per app with models (portal has none), after all migrations ran: grant once.
        post_migrate.connect(grant_after_migrate, sender=apps.get_app_config("contenttypes"),
                             dispatch_uid="portal.db_roles.grant")
