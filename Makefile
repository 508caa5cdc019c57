# The two commands a newcomer needs: `make run` and `make test`. Everything else is set up by them.
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test venv browser sms lint messages manage serve
.DEFAULT_GOAL := run

venv:
	@bash scripts/setup-venv.sh $(VENV)

# The portal with demo data, on the embedded PostgreSQL unless DATABASE_URL is set.
run: venv
	@$(PY) -m portal.embedded_db --runtime bash scripts/run.sh

# Any management command on the same installation as `make run`, e.g. make manage ARGS="import_registry file.csv".
manage: venv
	@$(PY) -m portal.embedded_db --runtime bash scripts/manage.sh $(ARGS)

# Production start (docs/operations.md): DATABASE_URL and DJANGO_SECRET_KEY given, never demo data.
serve: venv
	@bash scripts/serve.sh

# The whole suite on real PostgreSQL (embedded unless DATABASE_URL is set), browser tests included.
test: venv browser
	@$(PY) -m portal.embedded_db $(PY) -m pytest $(PYTEST_ARGS)

# Debian's Chromium for the browser tests; never a downloaded browser build.
browser:
	@bash scripts/ensure-chromium.sh

# Show the SMS codes the development sender wrote.
sms:
	@tail -n 20 var/sms.log 2>/dev/null || echo "No SMS sent yet."

lint: venv
	@$(PY) -m ruff check .

# Refresh the .po files after changing strings (needs GNU gettext).
messages: venv
	@DJANGO_DEBUG=1 DATABASE_URL=postgres://unused/x $(PY) manage.py makemessages -l zh_Hans -l en --no-obsolete \
	  --ignore=.venv --ignore=var --ignore=bench
