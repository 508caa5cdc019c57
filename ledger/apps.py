from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = _("Personal accounts")

    def ready(self):
        from ledger.services import RegistryAccountKeeper
        from registry import hooks

        hooks.register_account_keeper(RegistryAccountKeeper())
