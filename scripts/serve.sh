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
exec bash scripts/web-and-worker.sh "${BIND:-127.0.0.1:${PORT:-8000}}"
