import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
ZH_PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_string_has_a_simplified_chinese_translation():
    catalog = read_po(ZH_PO.open("rb"))
    untranslated = [m.id for m in catalog if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is needed to extract strings")
def test_the_catalogue_is_up_to_date_with_the_code(tmp_path):
    """Every translatable string in the code is in the .po (run `make messages` after changing strings)."""
    import os

    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", "var", ".git", "static", "bench", "tests",
                                                              "__pycache__", "*.mo"))
    env = dict(os.environ, DJANGO_DEBUG="1", DATABASE_URL="postgres://unused/x", DJANGO_SETTINGS_MODULE="portal.settings")
    subprocess.run([sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
                   cwd=copy, env=env, check=True, capture_output=True)
    fresh = {m.id for m in read_po((copy / "locale/zh_Hans/LC_MESSAGES/django.po").open("rb")) if m.id}
    committed = {m.id for m in read_po(ZH_PO.open("rb")) if m.id}
    assert sorted(map(str, fresh - committed)) == []


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_the_catalogues_are_well_formed(language):
    """A merge must not leave an entry without its msgstr (Babel would skip it silently)."""
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    read_po(path.open("rb"), abort_invalid=True)
    text = path.read_text(encoding="utf-8").split("\n\n")
    broken = [block for block in text if "\nmsgid " in "\n" + block and "msgstr" not in block]
    assert broken == []
    import re
    ids = ["".join(m) for m in re.findall(r'^(msgctxt .*\n)?msgid ((?:".*"\n)+)', path.read_text(encoding="utf-8"), re.M)]
    assert sorted({i for i in ids if ids.count(i) > 1 and i != '""\n'}) == []  # a merge may add an entry twice
