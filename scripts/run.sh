#!/usr/bin/env bash
# Called by `make run` with DATABASE_URL set: prepare everything, then serve with gunicorn.
set -euo pipefail
py=.venv/bin/python
. scripts/local-env.sh
port=${PORT:-8000}

"$py" manage.py migrate --noinput
"$py" manage.py compile_translations
"$py" manage.py collectstatic --noinput --verbosity 0
# Demo data only ever goes into the embedded database, or elsewhere when DEMO=1 asks for it.
if [ "${DEMO:-}" = 1 ] || "$py" -m portal.embedded_db --is-embedded "$DATABASE_URL"; then
  "$py" manage.py load_demo --quiet
  "$py" manage.py demo_banner --url "http://127.0.0.1:${port}/"
else
  echo "DATABASE_URL is not the embedded database: demo data NOT loaded (DEMO=1 make run loads it)."
  echo "共济通 is running at http://127.0.0.1:${port}/"
fi
exec bash scripts/web-and-worker.sh "127.0.0.1:${port}"
