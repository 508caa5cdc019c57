#!/usr/bin/env python3
"""Django's command-line utility, usable as-is from the project folder after `make run`.

`./manage.py COMMAND` (or `make manage ARGS="COMMAND …"`) runs with the project's virtualenv even when started
by a plain `python3`, and, when DATABASE_URL is unset, on the embedded PostgreSQL with this installation's key
(var/secret_key) and plain HTTP, exactly as `make run` serves. `migrate` connects as the owner role
(DATABASE_OWNER_URL) when one is given; every other command as the runtime role of DATABASE_URL.
With DATABASE_URL set, the environment is taken as it is: an external server is production, and production
supplies its own DJANGO_SECRET_KEY.
"""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
VENV_PYTHON = BASE_DIR / ".venv" / "bin" / "python"


def _use_the_virtualenv() -> None:
    try:
        import django  # noqa: F401
    except ImportError:
        if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (BASE_DIR / ".venv").resolve():
            os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])
        sys.exit("Django is not installed: run `make run` once (it creates .venv), then ./manage.py again.")


def _the_local_installation() -> None:
    """The embedded database and this installation's key, as `make run` uses them."""
    if os.environ.get("DATABASE_URL"):
        return
    sys.path.insert(0, str(BASE_DIR))
    from portal.embedded_db import installation_secret_key, runtime_urls

    os.environ["DATABASE_URL"], os.environ["DATABASE_OWNER_URL"] = runtime_urls()
    if not os.environ.get("DJANGO_SECRET_KEY"):
        os.environ["DJANGO_SECRET_KEY"] = installation_secret_key()
    os.environ.setdefault("DJANGO_HTTPS", "0")


def main():
    _use_the_virtualenv()
    _the_local_installation()
    if sys.argv[1:2] == ["migrate"] and os.environ.get("DATABASE_OWNER_URL"):
        os.environ.setdefault("DJANGO_DB_AS_OWNER", "1")  # the owner migrates; everything else runs as the runtime role
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
