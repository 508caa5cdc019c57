from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from audit.services import audit_record
        from core import audit_hook

        audit_hook.register_recorder(audit_record)
