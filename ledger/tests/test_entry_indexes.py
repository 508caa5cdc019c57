"""An account's entries are found through one index, ordered newest first. With a second, narrower index on the
account, a prepared statement's generic plan for "the latest 10 entries" read every entry of a 10,000-entry account
through it and sorted them (8 ms instead of 0.1 ms at bench size; docs/pages-prepared.md)."""

from django.db import connection


def test_the_only_index_leading_with_the_account_is_the_newest_first_one(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'ledger_ledgerentry'")
        indexes = dict(cursor.fetchall())
    leading = [name for name, definition in indexes.items() if "btree (account_id" in definition]
    assert leading == ["ledger_account_latest"], indexes
    assert "(account_id, id DESC)" in indexes["ledger_account_latest"]
