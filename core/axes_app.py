"""django-axes under a name officials understand in the admin (the package gives its app no verbose name)."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    verbose_name = _("Login throttling")
