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
    assert any("FROM ledger_personalaccount WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE" in s for s in prepared)
    assert any("INSERT INTO settlement_settlement" in s for s in prepared)
    assert any("LEFT JOIN registry_insuredperson p ON p.certno = $" in s for s in prepared)
    assert not any('"settlement_apikey"' in s or '"auth_' in s for s in prepared)


def test_the_prepared_statements_are_planned_once_not_at_every_run(api, bob):
    # DJANGO_DB_GENERIC_PLANS (portal/settings.py): plan_cache_mode=force_generic_plan on the portal's connections.
    # PostgreSQL's default ("auto") plans the first five runs of a prepared statement each anew, and keeps re-planning
    # the account lock (`id = ANY($1::bigint[])`) at every settlement after that.
    if connection.settings_dict["OPTIONS"].get("prepare_threshold") is None:
        pytest.skip("DJANGO_DB_PREPARE_THRESHOLD=-1: nothing is prepared (behind a transaction-mode pooler)")
    if "plan_cache_mode=force_generic_plan" not in connection.settings_dict["OPTIONS"].get("options", ""):
        pytest.skip("DJANGO_DB_GENERIC_PLANS=0")
    for n in range(3):
        body = {"request_id": f"g-{n}", "mdtrt_cert_type": "02", "mdtrt_cert_no": bob.person.certno,
                "amount": "1.00", "category": "pharmacy"}
        assert api.post("settlements", body)[0] == 201
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements")
        plans = {statement: (generic, custom) for statement, generic, custom in cursor.fetchall()}
    lock = [counts for statement, counts in plans.items()
            if "FROM ledger_personalaccount WHERE id = ANY($1::bigint[])" in statement]
    assert lock and all(generic >= 1 and custom == 0 for generic, custom in lock)
    assert all(custom == 0 for _generic, custom in plans.values())


def test_the_refund_and_enquiry_statements_are_prepared_too(api, bob):
    if connection.settings_dict["OPTIONS"].get("prepare_threshold") is None:
        pytest.skip("DJANGO_DB_PREPARE_THRESHOLD=-1: nothing is prepared (behind a transaction-mode pooler)")
    for n in range(3):
        body = {"request_id": f"r-{n}", "mdtrt_cert_type": "02", "mdtrt_cert_no": bob.person.certno,
                "amount": "2.00", "category": "pharmacy"}
        sid = api.post("settlements", body)[1]["settlement_id"]
        assert api.post(f"settlements/{sid}/refunds", {"request_id": f"r-{n}", "amount": "1.00"})[0] == 201
        assert api.get(f"patients/{bob.person.certno}")[0] == 200
    prepared = _prepared()
    for text in ("FROM settlement_settlement s0", "ORDER BY a.id FOR UPDATE OF a", "INSERT INTO settlement_refund",
                 "INSERT INTO accounts_ratecounter", "INSERT INTO audit_auditevent"):
        assert any(text in s for s in prepared), text
