"""The settlement's fixed statements run prepared (core.sql.fast_cursor with DATABASES OPTIONS prepare_threshold),
and the ORM's do not (client-side binding: nothing else fills the server's prepared-statement list)."""

import pytest
from django.db import connection


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_the_settlement_statements_are_prepared_after_their_first_runs(api, bob, settings):
    if connection.settings_dict["OPTIONS"].get("prepare_threshold") is None:
        pytest.skip("DJANGO_DB_PREPARE_THRESHOLD=-1: nothing is prepared (behind a transaction-mode pooler)")
    for n in range(3):
        body = {"request_id": f"p-{n}", "mdtrt_cert_type": "02", "mdtrt_cert_no": bob.person.certno,
                "amount": "1.00", "category": "pharmacy"}
        assert api.post("settlements", body)[0] == 201
    prepared = _prepared()
    assert any("FROM ledger_personalaccount WHERE id = ANY($1) ORDER BY id FOR UPDATE" in s for s in prepared)
    assert any("INSERT INTO settlement_settlement" in s for s in prepared)
    assert any("LEFT JOIN registry_insuredperson p ON p.certno = $" in s for s in prepared)
    assert not any('"settlement_apikey"' in s or '"auth_' in s for s in prepared)
