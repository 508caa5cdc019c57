#!/usr/bin/env bash
# Production start (`make serve`): the environment is the operator's, no demo data, and a preflight that refuses
# to serve while demo logins or the demo API key are in the database.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
: "${DATABASE_URL:?DATABASE_URL is required: the production PostgreSQL server}"
: "${DJANGO_SECRET_KEY:?DJANGO_SECRET_KEY is required}"
"$py" manage.py migrate --noinput
"$py" manage.py compile_translations
"$py" manage.py collectstatic --noinput --verbosity 0
"$py" manage.py preflight
# The task worker (SMS, periodic jobs) beside the web server; when either stops, both stop.
"$py" manage.py schedule_periodic_jobs
"$py" manage.py db_worker --no-startup-delay &
worker=$!
.venv/bin/gunicorn portal.wsgi:application --bind "${BIND:-127.0.0.1:${PORT:-8000}}" \
  --workers "${WEB_WORKERS:-3}" --threads 4 --access-logfile - --log-level warning &
web=$!
trap 'kill $web $worker 2>/dev/null; wait' EXIT INT TERM
wait -n $web $worker
