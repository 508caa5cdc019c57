"""The runtime role the portal serves as cannot switch off the database's append-only guarantees."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]

REFUSED = [
    "TRUNCATE ledger_ledgerentry",
    "TRUNCATE audit_auditevent CASCADE",
    "ALTER TABLE ledger_ledgerentry DISABLE TRIGGER ALL",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only",
    "DROP TRIGGER ledger_append_only ON ledger_ledgerentry",
    "SET session_replication_role = replica",
    "DELETE FROM audit_auditevent",
    "UPDATE ledger_ledgerentry SET amount = 0",
    "ALTER TABLE ledger_personalaccount DROP CONSTRAINT IF EXISTS balance_not_negative",
    # The audit chain's head is moved by the insert trigger only; a runtime role that could move it could fork
    # the chain, or stop every insert.
    "UPDATE audit_auditchainhead SET seq = 0",
    "DELETE FROM audit_auditchainhead",
    "INSERT INTO audit_auditchainhead (id, seq, chain_hash) VALUES (2, 0, '')",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_chain",
]


@pytest.fixture
def runtime_role(transactional_db, settings):
    """A runtime role granted by `migrate` run as the owner, exactly as `make run` and `make serve` do."""
    role = f"gjt_runtime_test_{os.getpid()}"
    with connection.cursor() as cursor:
        try:
            cursor.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'runtime-test-password'")
        except Exception as exc:  # noqa: BLE001 - a server where the test user may not create roles
            pytest.skip(f"cannot create a role on this server: {exc}")
    settings.DATABASE_RUNTIME_ROLE = role
    call_command("migrate", verbosity=0)  # nothing to apply; post_migrate grants the runtime role
    params = {**connection.get_connection_params(), "user": role, "password": "runtime-test-password"}
    params.pop("cursor_factory", None), params.pop("context", None)
    try:
        with psycopg.connect(**params, autocommit=True) as runtime:
            yield runtime
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")


@pytest.mark.parametrize("sql", REFUSED)
def test_the_runtime_role_is_refused_what_would_bypass_the_append_only_guarantees(runtime_role, sql):
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        runtime_role.execute(sql)


def test_the_runtime_role_can_do_what_the_portal_does(runtime_role, alice):
    assert runtime_role.execute("SELECT count(*) FROM ledger_ledgerentry").fetchone()[0] >= 1
    account = runtime_role.execute("SELECT id FROM ledger_personalaccount LIMIT 1").fetchone()[0]
    runtime_role.execute("INSERT INTO ledger_ledgerentry (account_id, amount, kind, reference, memo, created_at) "
                         "VALUES (%s, 1.00, 'credit', 'rt-test', '', now())", [account])
    runtime_role.execute("SELECT id FROM ledger_personalaccount WHERE id = %s FOR UPDATE", [account])
    runtime_role.execute("UPDATE accounts_user SET last_login = now() WHERE id = %s", [alice.pk])
    runtime_role.execute("DELETE FROM accounts_session")


def test_the_runtime_role_writes_audit_events_into_the_chain(runtime_role):
    from audit.models import AuditEvent

    event = AuditEvent(subject_type="x", subject_id="1", event="rt.test", actor_label="rt")
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    values = [f.get_db_prep_save(f.pre_save(event, True), connection) for f in fields]
    runtime_role.execute(f"INSERT INTO audit_auditevent ({', '.join(f.column for f in fields)}) "
                         f"VALUES ({', '.join(['%s'] * len(fields))})", values)
    seq, head = runtime_role.execute("SELECT e.chain_seq, h.seq FROM audit_auditevent e, audit_auditchainhead h "
                                     "WHERE e.event = 'rt.test'").fetchone()
    assert seq == head
    from audit.chain import audit_chain_verify

    assert audit_chain_verify().whole


def test_make_run_serves_the_embedded_database_as_the_runtime_role_and_migrates_as_the_owner():
    if os.environ.get("DATABASE_URL") and "var/pgdata" not in os.environ["DATABASE_URL"]:
        pytest.skip("the suite runs on an external server")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_OWNER_URL"}}
    show = "import os; print(os.environ['DATABASE_URL']); print(os.environ['DATABASE_OWNER_URL'])"
    out = subprocess.run([sys.executable, "-m", "portal.embedded_db", "--runtime", sys.executable, "-c", show],
                         cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=True).stdout.split()
    assert out[0].startswith("postgresql://gjt_app:") and not out[1].startswith("postgresql://gjt_app:")
