#!/usr/bin/env bash
# Serve on $1 (host:port) with gunicorn, and run the task worker (SMS, periodic jobs) beside it; when either
# stops, both stop. Called by scripts/run.sh (`make run`) and scripts/serve.sh (`make serve`).
set -euo pipefail
py=.venv/bin/python
"$py" manage.py schedule_periodic_jobs
"$py" manage.py db_worker --no-startup-delay &
worker=$!
".venv/bin/gunicorn" portal.wsgi:application -c python:portal.gunicorn_conf --bind "$1" \
  --workers "${WEB_WORKERS:-3}" --threads "${WEB_THREADS:-4}" --access-logfile - --log-level warning &
web=$!
trap 'kill $web $worker 2>/dev/null; wait' EXIT INT TERM
wait -n $web $worker
