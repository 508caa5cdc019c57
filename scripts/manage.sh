#!/usr/bin/env bash
# Called by `make manage ARGS="…"` with DATABASE_URL set: one management command, as `make run` sees the portal.
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
. scripts/local-env.sh
exec "$py" manage.py "$@"
