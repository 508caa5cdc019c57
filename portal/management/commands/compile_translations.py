"""Compile locale/*/LC_MESSAGES/django.po to .mo in pure Python (Babel).

Django's own compilemessages needs GNU gettext installed on the machine; this
keeps `make run` free of anything installed by hand.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the project's .po files to .mo without GNU gettext."

    def handle(self, *args, **options):
        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
                with po_path.open("rb") as fh:
                    catalog = read_po(fh)
                with po_path.with_suffix(".mo").open("wb") as fh:
                    write_mo(fh, catalog, use_fuzzy=False)
                count += 1
        self.stdout.write(f"Compiled {count} translation catalogue(s).")
