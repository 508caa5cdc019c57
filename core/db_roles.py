"""Two database roles: the owner migrates, the runtime role serves.

The web processes and management commands connect with DATABASE_URL as a role that owns nothing: it may read
and write rows, but TRUNCATE, ALTER/DROP TRIGGER, DISABLE TRIGGER and SET session_replication_role are refused
by PostgreSQL itself, so the append-only guarantees of the ledger and the audit trail cannot be switched off from
the application. `migrate` runs as the owner (DATABASE_OWNER_URL, chosen by manage.py) and, after every
migration, grants the runtime role (the user of DATABASE_URL) exactly what the application does.
"""

from pathlib import Path

from django.db import connections

# The embedded server of this checkout (portal/embedded_db.py starts it): `make run`'s demo database.
EMBEDDED_PGDATA = Path(__file__).resolve().parent.parent / "var" / "pgdata"


def is_embedded(db: dict) -> bool:
    """Whether Django database settings (a DATABASES entry) point at this checkout's embedded server."""
    host = db.get("HOST") or (db.get("OPTIONS") or {}).get("host") or ""
    return bool(host) and Path(host).resolve() == EMBEDDED_PGDATA.resolve()

# Rows the application only ever inserts: no UPDATE or DELETE for the runtime role (the triggers refuse them too).
APPEND_ONLY = ["ledger_ledgerentry", "audit_auditevent"]
# Rows only the database's own (SECURITY DEFINER) triggers write: the runtime role may read them, nothing more.
READ_ONLY = ["audit_auditchainhead"]


def grant_runtime(connection, role: str) -> None:
    """As the owner: what the runtime role may do in the public schema, and nothing else."""
    quote = connection.ops.quote_name
    role_q = quote(role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database()")
        database = cursor.fetchone()[0]
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY(%s)",
                       [APPEND_ONLY])
        append_only = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY(%s)",
                       [READ_ONLY])
        read_only = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"GRANT CONNECT ON DATABASE {quote(database)} TO {role_q}")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {role_q}")
        cursor.execute(f"REVOKE CREATE ON SCHEMA public FROM {role_q}")
        cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role_q}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role_q}")
        cursor.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role_q}")
        for table in append_only:
            cursor.execute(f"REVOKE UPDATE, DELETE ON {quote(table)} FROM {role_q}")
        for table in read_only:
            cursor.execute(f"REVOKE INSERT, UPDATE, DELETE ON {quote(table)} FROM {role_q}")


def grant_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: when migrating as the owner with a runtime role configured, (re)grant it."""
    from django.conf import settings

    role = getattr(settings, "DATABASE_RUNTIME_ROLE", "")
    connection = connections[using]
    if role and using == "default" and connection.settings_dict.get("USER") != role:
        grant_runtime(connection, role)
