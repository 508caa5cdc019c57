from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = _("Family sharing")

    def ready(self):
        from registry import hooks
        from sharing.review import person_reevaluate

        # A registry change (import, an official's edit) may break or mend this person's bindings.
        hooks.on_enrollment_changed(person_reevaluate)
