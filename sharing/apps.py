from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = _("Family sharing")

    def ready(self):
        from registry import hooks
        from sharing.context_processors import read_with_the_session
        from sharing.review import person_reevaluate

        # Every citizen page's navigation counts, read with the session (accounts.sessions.also_read).
        read_with_the_session()

        # A registry change (import, an official's edit) may break or mend this person's bindings.
        hooks.on_enrollment_changed(person_reevaluate)
