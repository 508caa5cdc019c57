#!/usr/bin/env bash
# Reproduce the figures in bench/README.md: a scratch database on the embedded server (or $BENCH_ADMIN_URL),
# migrated, loaded at --scale $SCALE, gunicorn on 127.0.0.1:8765, then the load run and pgbench.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
SCALE=${SCALE:-0.01}; CLIENTS=${CLIENTS:-16}; SECONDS_=${SECONDS_:-30}; PORT=${BENCH_PORT:-8765}
admin=${BENCH_ADMIN_URL:-$($py -m portal.embedded_db)}
bench_url=${admin/\/postgres\?/\/gjt_bench?}
$py - "$admin" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    c.execute("DROP DATABASE IF EXISTS gjt_bench WITH (FORCE)")
    c.execute("CREATE DATABASE gjt_bench")
PY
export DATABASE_URL=$bench_url DJANGO_SECRET_KEY=bench-only-$RANDOM$RANDOM$RANDOM DJANGO_HTTPS=0
$py manage.py migrate --noinput -v 0
$py bench/generate.py --scale "$SCALE"
# Refuse to measure somebody else's server: another checkout's bench may already listen on this port.
if $py -c "import socket,sys; sys.exit(socket.socket().connect_ex(('127.0.0.1', int(sys.argv[1]))) != 0)" "$PORT"; then
  echo "127.0.0.1:${PORT} is already in use; set BENCH_PORT to a free port" >&2; exit 1
fi
rm -rf var/bench_stmts
.venv/bin/gunicorn portal.wsgi:application -c bench/gunicorn_count.py --bind "127.0.0.1:${PORT}" --workers "${WEB_WORKERS:-3}" --threads 4 \
  --log-level warning --pid var/bench_gunicorn.pid --daemon
trap 'kill "$(cat var/bench_gunicorn.pid)"' EXIT
sleep 3
$py bench/load.py --url "http://127.0.0.1:${PORT}" --clients "$CLIENTS" --seconds "$SECONDS_" --gunicorn-pid var/bench_gunicorn.pid
DJANGO_DB_STATEMENT_TIMEOUT_MS=0 $py manage.py verify_ledger
