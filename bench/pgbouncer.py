"""pgbouncer for the two-tier bench (TOPOLOGY=two-tier bash bench/run.sh): config, auth file and a check.

    python bench/pgbouncer.py write --admin-url URL --port 6441 --dir var/pgbouncer   # prints the app's URL
    python bench/pgbouncer.py socket-dir --admin-url URL
    python bench/pgbouncer.py check --url URL

Transaction pooling: a server connection belongs to a client only for one transaction, so N app threads share
a few PostgreSQL backends. What that forbids, and how the bench copes (docs/scale-out.md, "The pooler"):
- session state: the statement timeout is not sent as the `options` startup parameter (pgbouncer 1.18 refuses
  unknown startup parameters, and ignoring it would silently drop the timeout) but set on the database
  (ALTER DATABASE … SET statement_timeout), which every server connection pgbouncer opens inherits;
- server-side prepared statements (pgbouncer 1.18 does not track them in transaction mode): the app runs with
  psycopg preparing nothing (DJANGO_DB_PREPARE_THRESHOLD=-1, Django's own default is already None);
- WITH HOLD cursors (QuerySet.iterator() outside a transaction): not used on the benched paths; a deployment
  behind transaction pooling sets DISABLE_SERVER_SIDE_CURSORS (see docs/scale-out.md).
The client side authenticates with a random password from the auth file (md5); pgbouncer reaches the embedded
server through its Unix socket, where the server trusts its local superuser.
"""

import argparse
import os
import secrets
import sys
import urllib.parse

import psycopg


def _server(admin_url: str) -> tuple[str, str, str]:
    parts = urllib.parse.urlsplit(admin_url)
    query = urllib.parse.parse_qs(parts.query)
    host = query.get("host", [parts.hostname or "127.0.0.1"])[0]
    return host, str(parts.port or 5432), parts.username or "postgres"


def write(admin_url: str, port: int, folder: str, pool_size: int) -> str:
    host, server_port, user = _server(admin_url)
    os.makedirs(folder, exist_ok=True)
    password = secrets.token_hex(16)
    folder = os.path.abspath(folder)
    with open(os.path.join(folder, "userlist.txt"), "w") as fh:
        fh.write(f'"{user}" "{password}"\n')
    with open(os.path.join(folder, "pgbouncer.ini"), "w") as fh:
        fh.write(f"""[databases]
gjt_bench = host={host} port={server_port} dbname=gjt_bench user={user}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = md5
auth_file = {folder}/userlist.txt
pool_mode = transaction
default_pool_size = {pool_size}
max_client_conn = 200
server_reset_query =
logfile = {folder}/pgbouncer.log
pidfile = {folder}/pgbouncer.pid
""")
    return f"postgresql://{user}:{password}@127.0.0.1:{port}/gjt_bench"


def check(url: str) -> None:
    """Through pgbouncer: the database answers, with the statement timeout set at the database level."""
    with psycopg.connect(url, autocommit=True, prepare_threshold=None) as conn:
        timeout = conn.execute("SHOW statement_timeout").fetchone()[0]
    print(f"pgbouncer: connected through it, statement_timeout = {timeout}")
    if timeout in ("0", "0ms"):
        sys.exit("pgbouncer: the statement timeout did not reach the server connections")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["write", "socket-dir", "check"])
    parser.add_argument("--admin-url")
    parser.add_argument("--url")
    parser.add_argument("--port", type=int, default=6441)
    parser.add_argument("--dir", default="var/pgbouncer")
    parser.add_argument("--pool-size", type=int, default=int(os.environ.get("BENCH_POOL_SIZE", "8")))
    args = parser.parse_args()
    if args.action == "write":
        print(write(args.admin_url, args.port, args.dir, args.pool_size))
    elif args.action == "socket-dir":
        host = _server(args.admin_url)[0]
        print(host if host.startswith("/") else "/")
    else:
        check(args.url)


if __name__ == "__main__":
    main()
