"""The spending pages' payments statement runs prepared for the page as first opened (not filtered
or paged: spending.reads.page), with one generic plan per connection made without knowing whose payments it reads: that
plan must walk the newest-first payer/member index and stop after a page, for the
heavy authorizer too. It can, because no narrower index leads with the payer or the member (with one, the generic
plan read all 10,000 payments of the bench's heavy authorizer through it and sorted them: docs/pages-views.md)."""

import datetime
import re

from django.db import connection
from django.urls import reverse

from spending import reads, selectors
from spending.tests.test_summary import _payment_scans, _payment_statements


def _leading(column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'settlement_payment'")
        return [name for name, definition in cursor.fetchall() if f"btree ({column}" in definition]


def test_the_only_indexes_leading_with_the_payer_or_member_are_the_newest_first_ones(db):
    assert _leading("payer_id") == ["payment_payer_latest"]
    assert _leading("member_id") == ["payment_member_latest"]


def _generic_plan(sql: str, params) -> str:
    """EXPLAIN ANALYZE of the statement as it runs: prepared, with the generic plan (portal/settings.py forces it)."""
    parts = sql.split("%s")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is small enough to read whole
        cursor.execute("PREPARE page_payments AS " + parts[0] + "".join(
            f"${n}{part}" for n, part in enumerate(parts[1:], start=1)))
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) EXECUTE page_payments(" + ", ".join(["%s"] * len(params)) + ")",
                       params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE page_payments")
    return plan


def test_the_generic_plan_reads_only_the_rows_a_page_shows(client, alice, bob, make_citizen, make_person, bind, api,
                                                            monkeypatch):
    # Most of the table is the authorizer's, then other payers' payments come on top (the bench's heavy authorizer).
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    monkeypatch.setattr(reads, "_compiled", {})
    mother = make_citizen(name="张母", birth=datetime.date(1955, 2, 2), sex="F", mobile="13800000009")
    bind(alice, mother.person, "parent")
    for i in range(40):
        assert api.settle(mother.person, "1.00", request_id=f"h{i}")[0] == 201
    other = make_person("其他人", birth=datetime.date(2015, 1, 1))
    bind(bob, other)
    for i in range(25):
        assert api.settle(other, "1.00", request_id=f"o{i}")[0] == 201
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE settlement_payment")
    client.force_login(alice)
    first = _payment_statements(client, reverse("money:spending"))
    client.force_login(mother)  # the member's side
    member = _payment_statements(client, reverse("money:paid_for_me"))
    assert len(first + member) == 2
    for sql, params in first + member:
        plan = _generic_plan(sql, params)
        scans = _payment_scans(plan)
        assert scans and all("payment_payer_latest" in scan or "payment_member_latest" in scan for scan in scans), plan
        assert "settlement_payment_pkey" not in plan and "Rows Removed by Filter" not in plan, plan
        read = sum(int(re.search(r"actual time=\S+ rows=([0-9.]+)", scan).group(1).split(".")[0]) for scan in scans)
        assert read <= selectors.PAGE_SIZE + 1, plan
