#!/usr/bin/env bash
# Called by `make run` with DATABASE_URL set: prepare everything, then serve with gunicorn.
set -euo pipefail
py=.venv/bin/python
mkdir -p var
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  # A key of this installation, made once and kept out of git.
  [ -s var/secret_key ] || "$py" -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
  export DJANGO_SECRET_KEY=$(cat var/secret_key)
fi
export DJANGO_HTTPS=${DJANGO_HTTPS:-0}   # plain HTTP on 127.0.0.1 for the demo; production sits behind HTTPS
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}
port=${PORT:-8000}

"$py" manage.py migrate --noinput
"$py" manage.py compile_translations
"$py" manage.py collectstatic --noinput --verbosity 0
"$py" manage.py load_demo --quiet
"$py" manage.py demo_banner --url "http://127.0.0.1:${port}/"
exec .venv/bin/gunicorn portal.wsgi:application --bind "127.0.0.1:${port}" \
  --workers "${WEB_WORKERS:-3}" --threads 4 --access-logfile - --log-level warning
