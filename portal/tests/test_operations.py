"""An operator's day: management commands from a second shell, and demo data kept out of production."""

import datetime
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from registry import idnumber

BASE_DIR = Path(__file__).resolve().parents[2]


def _operator_env(**extra):
    """A second shell in the project folder: none of the variables `make run` exported."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "VIRTUAL_ENV")) and k not in {"DATABASE_URL", "DEMO", "SMS_BACKEND"}}
    path = [p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p]
    env["PATH"] = os.pathsep.join(path)
    env.update(extra)
    return env


def _test_database_url() -> str:
    """DATABASE_URL of the server the tests run on, naming the test database."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def test_manage_py_runs_from_a_plain_shell_on_the_embedded_database_with_the_installation_key():
    if os.environ.get("DATABASE_URL") and "var/pgdata" not in os.environ["DATABASE_URL"]:
        pytest.skip("the suite runs on an external server; this checkout has no embedded database to use")
    script = ("from django.conf import settings; from django.db import connection; "
              "from core.db_roles import is_embedded; from portal.embedded_db import SECRET_KEY_FILE; "
              "connection.ensure_connection(); "
              "print('embedded', is_embedded(settings.DATABASES['default'])); "
              "print('key', settings.SECRET_KEY == SECRET_KEY_FILE.read_text().strip())")
    result = subprocess.run(["./manage.py", "shell", "-c", script], cwd=BASE_DIR, env=_operator_env(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "embedded True" in result.stdout and "key True" in result.stdout


@pytest.mark.django_db(transaction=True)
def test_make_manage_imports_a_registry_file_as_the_readme_shows(tmp_path):
    from registry.importer import HEADER
    from registry.models import InsuredPerson

    certno = idnumber.make("320302", datetime.date(1981, 2, 3), 57)
    csv = tmp_path / "export.csv"
    csv.write_text(",".join(HEADER) + f"\n钱七,{certno},310,320300,active,88.00,13912340000\n", encoding="utf-8")
    result = subprocess.run(["make", "--no-print-directory", "manage", f"ARGS=import_registry {csv}"], cwd=BASE_DIR,
                            env=_operator_env(DATABASE_URL=_test_database_url()), capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "created 1" in result.stdout
    assert InsuredPerson.objects.get(certno=certno).name == "钱七"


def test_load_demo_refuses_a_database_that_is_not_the_embedded_one():
    env = _operator_env(DATABASE_URL="postgres://gjt@db.example.invalid/gjt", DJANGO_SECRET_KEY="k" * 50,
                        DJANGO_HTTPS="0")
    result = subprocess.run([sys.executable, "manage.py", "load_demo"], cwd=BASE_DIR, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0
    assert "refusing to load demo data" in result.stderr and "not the embedded one" in result.stderr


def test_load_demo_refuses_with_https_on(db, settings, monkeypatch):
    from accounts.models import User

    monkeypatch.delenv("DEMO", raising=False)
    settings.HTTPS = True
    with pytest.raises(CommandError, match="HTTPS is on"):
        call_command("load_demo", "--quiet")
    assert not User.objects.filter(username="admin").exists()


def test_load_demo_loads_on_production_like_settings_when_demo_1_asks_for_it(db, settings, monkeypatch):
    from accounts.models import User

    monkeypatch.setenv("DEMO", "1")
    settings.HTTPS = True
    call_command("load_demo", "--quiet")
    assert User.objects.filter(username="admin", is_superuser=True).exists()


def test_embedded_db_tells_the_embedded_database_from_another_server():
    embedded = f"postgresql://postgres:@/postgres?host={BASE_DIR / 'var' / 'pgdata'}"
    ask = [sys.executable, "-m", "portal.embedded_db", "--is-embedded"]
    assert subprocess.run([*ask, embedded], cwd=BASE_DIR).returncode == 0
    assert subprocess.run([*ask, "postgres://gjt@db.example.gov.cn/gjt"], cwd=BASE_DIR).returncode == 1


def test_preflight_refuses_production_while_the_demo_superuser_or_demo_api_key_exist(db, monkeypatch):
    from accounts.models import User
    from demo import data as demo
    from settlement.models import ApiKey

    monkeypatch.setenv("SMS_ALLOW_DEV_SENDER", "1")
    monkeypatch.setenv("DB_ALLOW_OWNER_ROLE", "1")
    demo.load()
    with pytest.raises(CommandError):
        call_command("preflight")
    from demo.management.commands.preflight import problems

    assert any("'admin'" in p for p in problems()) and any("demo API key" in p for p in problems())
    User.objects.filter(username__in=["admin", "official_js", "official_xz", "hall_xz"]).delete()
    assert problems() == [p for p in problems() if "demo API key" in p]
    ApiKey.objects.filter(prefix="demo0001").update(revoked_at=datetime.datetime.now(datetime.UTC))
    call_command("preflight")


def test_preflight_refuses_a_development_sms_sender_unless_explicitly_allowed(db, settings, monkeypatch):
    monkeypatch.delenv("SMS_ALLOW_DEV_SENDER", raising=False)
    monkeypatch.setenv("DB_ALLOW_OWNER_ROLE", "1")
    settings.SMS_BACKEND = "notifications.sms.FileSender"
    with pytest.raises(CommandError):
        call_command("preflight")
    monkeypatch.setenv("SMS_ALLOW_DEV_SENDER", "1")
    call_command("preflight")


def test_preflight_accepts_the_http_gateway_only_with_its_address(db, settings, monkeypatch):
    monkeypatch.delenv("SMS_ALLOW_DEV_SENDER", raising=False)
    monkeypatch.setenv("DB_ALLOW_OWNER_ROLE", "1")
    settings.SMS_BACKEND, settings.SMS_GATEWAY_URL = "notifications.sms.HttpGatewaySender", ""
    with pytest.raises(CommandError):
        call_command("preflight")
    settings.SMS_GATEWAY_URL = "https://sms.example.gov.cn/send"
    call_command("preflight")


def test_make_serve_refuses_without_a_production_database_and_key():
    result = subprocess.run(["bash", "scripts/serve.sh"], cwd=BASE_DIR, env=_operator_env(), capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0 and "DATABASE_URL is required" in result.stderr


def test_preflight_refuses_to_serve_as_a_superuser_or_table_owner(db, monkeypatch):
    from demo.management.commands.preflight import problems

    monkeypatch.setenv("SMS_ALLOW_DEV_SENDER", "1")
    monkeypatch.delenv("DB_ALLOW_OWNER_ROLE", raising=False)
    assert any("superuser or the owner" in p for p in problems())  # the test suite connects as the owner
