"""The switches an operator sets behind a pooler in transaction mode (docs/scale-out.md, docs/operations.md)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

SHOW = ("import json, django; django.setup(); from django.conf import settings; d = settings.DATABASES['default'];"
        "print(json.dumps({'cursors_off': d['DISABLE_SERVER_SIDE_CURSORS'],"
        " 'prepare': d['OPTIONS'].get('prepare_threshold', 'unset'), 'health': d['CONN_HEALTH_CHECKS']}))")


def _settings(show: str = SHOW, **variables) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", DJANGO_DEBUG="1", DATABASE_URL="postgres://u@h/db",
               **variables)
    result = subprocess.run([sys.executable, "-c", show], capture_output=True, text=True, env=env, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_by_default_settlements_run_prepared_without_a_health_check_and_cursors_stay_on_the_server():
    assert _settings() == {"cursors_off": False, "prepare": 1, "health": False}


def test_behind_a_transaction_pooler_nothing_is_prepared_and_no_server_side_cursor_is_opened():
    assert _settings(DJANGO_DB_PREPARE_THRESHOLD="-1", DJANGO_DB_DISABLE_SERVER_SIDE_CURSORS="1",
                     DJANGO_CONN_HEALTH_CHECKS="1") == {"cursors_off": True, "prepare": "unset", "health": True}


OPTIONS = ("import json, django; django.setup(); from django.conf import settings;"
           "print(json.dumps(settings.DATABASES['default']['OPTIONS'].get('options', '')))")


def test_prepared_statements_are_planned_once_and_the_operator_can_leave_it_to_postgresql():
    generic = "-c plan_cache_mode=force_generic_plan"
    assert generic in _settings(OPTIONS)
    assert "statement_timeout=30000" in _settings(OPTIONS)
    assert generic not in _settings(OPTIONS, DJANGO_DB_GENERIC_PLANS="0")
    # Behind pgbouncer 1.18 nothing is prepared, and no startup option may be sent (it refuses `options`).
    assert _settings(OPTIONS, DJANGO_DB_PREPARE_THRESHOLD="-1", DJANGO_DB_STATEMENT_TIMEOUT_MS="0") == ""


def test_every_variable_the_settings_read_is_in_the_operators_table():
    root = Path(__file__).resolve().parents[2]
    settings = (root / "portal" / "settings.py").read_text(encoding="utf-8")
    operations = (root / "docs" / "operations.md").read_text(encoding="utf-8")
    names = set(re.findall(r'env_\w+\("([A-Z_]+)"', settings)) | set(re.findall(r'environ\.get\("([A-Z_]+)"', settings))
    assert "DJANGO_DB_DISABLE_SERVER_SIDE_CURSORS" in names
    assert not [name for name in sorted(names) if f"`{name}`" not in operations]
