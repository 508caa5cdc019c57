from django.conf import settings
from django.core.management.base import BaseCommand

from core.translations import compile_all


class Command(BaseCommand):
    help = "Compile the project's .po files to .mo without GNU gettext (Django's compilemessages needs it)."

    def handle(self, *args, **options):
        self.stdout.write(f"Compiled {compile_all(settings.LOCALE_PATHS)} translation catalogue(s).")
