#!/usr/bin/env bash
# Reproduce the figures in bench/README.md: a scratch database on the embedded server (or $BENCH_ADMIN_URL),
# migrated, loaded at --scale $SCALE (with the citizens of the page part), gunicorn on 127.0.0.1:$BENCH_PORT and a
# django-tasks worker, then the load run (settlements, /healthz, citizen pages) and pgbench.
#
#   SCALE=0.1 CLIENTS=16 SECONDS_=20 bash bench/run.sh                  # one tier: gunicorn -> PostgreSQL
#   TOPOLOGY=two-tier SCALE=0.1 CLIENTS=16 SECONDS_=20 bash bench/run.sh # 2 gunicorns -> pgbouncer -> PostgreSQL
#   SCALE=0.1 bash bench/run.sh --baseline main                         # interleaved rounds against another rev
#
# Every process started here (gunicorns, pgbouncer, the tasks worker) is stopped on exit; a taken port is refused.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
py=$root/.venv/bin/python
SCALE=${SCALE:-0.01}; CLIENTS=${CLIENTS:-16}; SECONDS_=${SECONDS_:-30}; PORT=${BENCH_PORT:-8765}
TOPOLOGY=${TOPOLOGY:-one-tier}; POOLER_PORT=${BENCH_POOLER_PORT:-6441}; BASELINE=${BASELINE:-}
PAGE_SECONDS=${PAGE_SECONDS:-$SECONDS_}; ROUNDS=${ROUNDS:-}
while [ $# -gt 0 ]; do
  case $1 in
    --baseline) BASELINE=$2; shift 2 ;;
    *) echo "usage: bash bench/run.sh [--baseline REV]" >&2; exit 2 ;;
  esac
done
case $TOPOLOGY in one-tier|two-tier) ;; *) echo "TOPOLOGY must be one-tier or two-tier" >&2; exit 2 ;; esac
if [ -n "$BASELINE" ] && [ "$TOPOLOGY" != one-tier ]; then echo "--baseline runs in the one-tier topology only" >&2; exit 2; fi

# Refuse to measure somebody else's server: another checkout's bench may already listen on our ports.
taken() { $py -c "import socket,sys; sys.exit(socket.socket().connect_ex(('127.0.0.1', int(sys.argv[1]))) != 0)" "$1"; }
ports=("$PORT")
[ "$TOPOLOGY" = two-tier ] && ports+=("$((PORT + 1))" "$POOLER_PORT")
[ -n "$BASELINE" ] && ports+=("$((PORT + 2))")
for p in "${ports[@]}"; do
  if taken "$p"; then echo "127.0.0.1:${p} is already in use; set BENCH_PORT / BENCH_POOLER_PORT to free ports" >&2; exit 1; fi
done

admin=${BENCH_ADMIN_URL:-$($py -m portal.embedded_db)}
bench_url=${admin/\/postgres\?/\/gjt_bench?}
mkdir -p var
pids=()      # pid files of what we started, stopped by cleanup
worktree=""
cleanup() {
  local f pid n
  for f in "${pids[@]}"; do
    [ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
  done
  for f in "${pids[@]}"; do  # wait (at most 30 s each) until they are gone, so the ports are free again
    [ -s "$f" ] || continue
    pid=$(cat "$f"); n=0
    while kill -0 "$pid" 2>/dev/null && [ $n -lt 60 ]; do sleep 0.5; n=$((n + 1)); done
  done
  [ -n "$worktree" ] && git worktree remove --force "$worktree" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

# --baseline REV: a worktree of REV. Same migrations: it serves the same database. Different migrations: it serves
# gjt_bench_base, a copy of the generated database (CREATE DATABASE … TEMPLATE) rolled back with this checkout's
# code to the migrations both have (bench/baseline_db.py) and migrated forward with REV's code; if that fails, the
# run stops there.
changed=""
if [ -n "$BASELINE" ]; then
  rev=$(git rev-parse --verify "$BASELINE^{commit}")
  # Migration files that differ between REV and this checkout's files (committed or not), and new untracked ones.
  changed=$( { git diff --name-status "$rev" -- '*/migrations/*.py';
               git ls-files --others --exclude-standard -- '*/migrations/*.py'; } )
  worktree=/tmp/gjt-bench-baseline-$$
  git worktree add --detach --quiet "$worktree" "$rev"
  ln -s "$root/.venv" "$worktree/.venv"
fi

$py - "$admin" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    c.execute("DROP DATABASE IF EXISTS gjt_bench WITH (FORCE)")
    c.execute("CREATE DATABASE gjt_bench")
PY
export DATABASE_URL=$bench_url DJANGO_SECRET_KEY=bench-only-$RANDOM$RANDOM$RANDOM DJANGO_HTTPS=0
$py manage.py migrate --noinput -v 0
# Pages need the static manifest and the compiled translations, as `make run` prepares them (and so does the
# baseline's worktree, which has neither).
for dir in "$root" ${worktree:+"$worktree"}; do
  (cd "$dir" && $py manage.py compile_translations -v 0 >/dev/null && $py manage.py collectstatic --noinput -v 0)
done
$py bench/generate.py --scale "$SCALE"
base_url=$bench_url
if [ -n "$changed" ]; then
  base_url=${admin/\/postgres\?/\/gjt_bench_base?}
  echo "baseline: migrations differ from $BASELINE, so it gets gjt_bench_base (a copy of gjt_bench):"
  echo "$changed"
  $py - "$admin" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    c.execute("DROP DATABASE IF EXISTS gjt_bench_base WITH (FORCE)")
    c.execute("CREATE DATABASE gjt_bench_base TEMPLATE gjt_bench")
PY
  if ! { $py bench/baseline_db.py "$rev" | while read -r app target; do
           echo "baseline: unapplying $app after $target"
           DATABASE_URL=$base_url $py manage.py migrate "$app" "$target" --noinput -v 0 || exit 1
         done && (cd "$worktree" && DATABASE_URL=$base_url $py manage.py migrate --noinput -v 0); }; then
    echo "refusing --baseline $BASELINE: its migrations could not be brought onto a copy of the bench database" >&2
    exit 1
  fi
fi

# A freshly bulk-loaded database is not what a portal serves from: its first reads set every row's hint bits, and
# autovacuum and a checkpoint would run through the first measured round (it ran 20-30% slower than the second).
# Vacuum and checkpoint now, so that every round measures the steady state (both databases alike).
$py - "$bench_url" ${base_url:+"$base_url"} <<'PY'
import sys, psycopg
for url in dict.fromkeys(sys.argv[1:]):
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("VACUUM (ANALYZE)")
        c.execute("CHECKPOINT")
PY

web_url=$bench_url
if [ "$TOPOLOGY" = two-tier ]; then
  # pgbouncer in transaction mode in front of gjt_bench (bench/pgbouncer.py writes its config under var/).
  # Session state cannot cross transactions, so the statement timeout is set on the database (it applies to
  # pgbouncer's server connections) instead of the `options` startup parameter, and psycopg prepares nothing
  # (pgbouncer 1.18 does not keep server-side prepared statements in transaction mode).
  web_url=$($py bench/pgbouncer.py write --admin-url "$admin" --port "$POOLER_PORT" --dir var/pgbouncer)
  $py - "$bench_url" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    c.execute("ALTER DATABASE gjt_bench SET statement_timeout = '30s'")
PY
  export DJANGO_DB_STATEMENT_TIMEOUT_MS=0 DJANGO_DB_PREPARE_THRESHOLD=-1 DJANGO_DB_DISABLE_SERVER_SIDE_CURSORS=1
  pids+=("var/pgbouncer/pgbouncer.pid")
  if [ "$(id -u)" = 0 ]; then  # pgbouncer refuses to run as root; the embedded server's owner can reach its socket
    owner=$(stat -c %U "$($py bench/pgbouncer.py socket-dir --admin-url "$admin")")
    [ "$owner" = root ] && owner=nobody
    chown -R "$owner" var/pgbouncer
    runuser -u "$owner" -- pgbouncer -d -q var/pgbouncer/pgbouncer.ini
  else
    pgbouncer -d -q var/pgbouncer/pgbouncer.ini
  fi
  sleep 1
  $py bench/pgbouncer.py check --url "$web_url"
fi

rm -rf var/bench_stmts
start_gunicorn() {  # port pidfile workers [chdir [database url]]
  (cd "${4:-$root}" && rm -rf var/bench_stmts && mkdir -p var &&
   DATABASE_URL=${5:-$web_url} "$root/.venv/bin/gunicorn" portal.wsgi:application -c "$root/bench/gunicorn_count.py" \
     --bind "127.0.0.1:$1" --workers "$3" --threads "${WEB_THREADS:-4}" --log-level warning --pid "$2" --daemon)
  pids+=("$2")
}
load=(--clients "$CLIENTS" --seconds "$SECONDS_" --page-seconds "$PAGE_SECONDS" --tasks-worker-pid var/bench_tasks.pid)
[ -n "$ROUNDS" ] && load+=(--rounds "$ROUNDS")
if [ "$TOPOLOGY" = two-tier ]; then
  start_gunicorn "$PORT" "$root/var/bench_gunicorn.pid" "${WEB_WORKERS:-2}"
  start_gunicorn "$((PORT + 1))" "$root/var/bench_gunicorn2.pid" "${WEB_WORKERS:-2}"
  load+=(--name two-tier --url "http://127.0.0.1:${PORT}" --gunicorn-pid var/bench_gunicorn.pid
         --url "http://127.0.0.1:$((PORT + 1))" --gunicorn-pid var/bench_gunicorn2.pid
         --pooler-pid var/pgbouncer/pgbouncer.pid)
else
  start_gunicorn "$PORT" "$root/var/bench_gunicorn.pid" "${WEB_WORKERS:-3}"
  load+=(--url "http://127.0.0.1:${PORT}" --gunicorn-pid var/bench_gunicorn.pid)
fi
if [ -n "$BASELINE" ]; then
  start_gunicorn "$((PORT + 2))" "$root/var/bench_gunicorn_base.pid" "${WEB_WORKERS:-3}" "$worktree" "$base_url"
  load+=(--name "current($(git rev-parse --short HEAD))" --baseline-name "baseline($(git rev-parse --short "$rev"))"
         --baseline-url "http://127.0.0.1:$((PORT + 2))" --baseline-gunicorn-pid var/bench_gunicorn_base.pid
         --baseline-stmts-dir "$worktree/var/bench_stmts" --baseline-database-url "$base_url")
fi
# The django-tasks worker, as scripts/web-and-worker.sh runs it beside gunicorn (its RSS is reported).
DATABASE_URL=$web_url $py manage.py db_worker --no-startup-delay >var/bench_tasks.log 2>&1 &
echo $! >var/bench_tasks.pid
pids+=("var/bench_tasks.pid")
sleep 3
$py bench/load.py "${load[@]}"
DJANGO_DB_STATEMENT_TIMEOUT_MS=0 PGOPTIONS="-c statement_timeout=0" $py manage.py verify_ledger
if [ "$base_url" != "$bench_url" ]; then
  (cd "$worktree" && DATABASE_URL=$base_url DJANGO_DB_STATEMENT_TIMEOUT_MS=0 PGOPTIONS="-c statement_timeout=0" \
     $py manage.py verify_ledger)
fi
