"""Compile .po to .mo in pure Python (Babel), so no GNU gettext is needed to run the portal or its tests."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def compile_all(locale_dirs) -> int:
    count = 0
    for locale_dir in locale_dirs:
        for po_path in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
            with po_path.open("rb") as fh:
                catalog = read_po(fh)
            with po_path.with_suffix(".mo").open("wb") as fh:
                write_mo(fh, catalog, use_fuzzy=False)
            count += 1
    return count


def reset_django_caches() -> None:
    """Forget catalogues Django already loaded (as its own autoreloader does when a .mo changes)."""
    from django.utils.translation.reloader import translation_file_changed

    translation_file_changed(sender=None, file_path=Path("x.mo"))

