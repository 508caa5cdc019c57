from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Web accounts")

    def ready(self):
        from accounts import throttle  # noqa: F401  (connects the login signal receivers)
