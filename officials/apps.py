from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficialsConfig(AppConfig):
    name = "officials"
    verbose_name = _("Officials' workspace")

    def ready(self):
        # Audit rows written before the subject label existed show the binding's GJ reference (display only).
        from audit.labels import register_subject_labels
        from sharing.selectors import binding_references

        register_subject_labels("sharing.binding", binding_references)
