"""A citizen page's fixed reads run prepared: the session with the user and their person and the compile-once
querysets (core.compiled) bind their parameters on the server, so PostgreSQL parses and plans each once per
connection instead of at every page."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone


def _prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_spending_page_reads_through_prepared_statements(client, alice, charlie, bind, api):
    if connection.settings_dict["OPTIONS"].get("prepare_threshold") is None:
        pytest.skip("DJANGO_DB_PREPARE_THRESHOLD=-1: nothing is prepared (behind a transaction-mode pooler)")
    bind(alice, charlie)
    api.settle(charlie, "1.00", request_id="prep-1")
    client.force_login(alice, backend="accounts.backends.IdOrMobileBackend")  # as a real login
    for _ in range(3):
        assert client.get(reverse("money:spending")).status_code == 200
    prepared = _prepared()
    # The session with its user, their person and the navigation counts (accounts/sessions.py), one statement.
    assert any('FROM "accounts_session" s LEFT JOIN "accounts_user" u' in s and '"session_key" = $' in s
               and '"registry_insuredperson"' in s and '"notifications_notification"' in s and "LATERAL" in s
               for s in prepared), prepared
    # The totals with the chart, one statement (spending.reads.totals_and_monthly).
    assert any('FROM "spending_paymentmonth"' in s and "FULL JOIN" in s and "$1" in s for s in prepared), prepared
    # The payments too (their generic plan walks the newest-first index: spending/tests/test_summary.py) …
    assert any('FROM "settlement_payment"' in s and "UNION ALL" in s for s in prepared), prepared
    # … except filtered (here by a period) or later pages, planned with their values at each call.
    for _ in range(3):
        assert client.get(reverse("money:spending"), {"year": timezone.localdate().year}).status_code == 200
    prepared = _prepared()
    assert any('FROM "spending_paymentmonth"' in s and '"month" >= $' in s for s in prepared), prepared
    assert not any('FROM "settlement_payment"' in s and '"created_at" >= $' in s for s in prepared), prepared
