import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ledger.models import Credit


def _run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_verify_ledger_passes_on_a_clean_ledger_and_fails_on_a_difference(alice, bob):
    assert "OK" in _run("verify_ledger")
    with connection.cursor() as cursor:  # tamper behind the triggers' back, as a broken migration might
        cursor.execute("SET session_replication_role = replica")  # triggers off: the balance will not move
        cursor.execute("INSERT INTO ledger_ledgerentry (account_id, kind, amount, memo, reference, created_at) "
                       "VALUES (%s, 'adjustment', 1, '', '', now())", [alice.person.account.pk])
        cursor.execute("SET session_replication_role = DEFAULT")
    with pytest.raises(CommandError):
        _run("verify_ledger")


def _csv(tmp_path, text):
    path = tmp_path / "credits.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_post_credits_posts_once_per_person_and_period(tmp_path, alice, bob):
    path = _csv(tmp_path, f"certno,amount,period\n{alice.person.certno},120.35,2026-05\n"
                          f"{bob.person.certno},80.00,2026-05\n")
    assert "posted 2" in _run("post_credits", path)
    assert "posted 0, already posted 2" in _run("post_credits", path)
    alice.person.account.refresh_from_db()
    assert alice.person.account.balance == Decimal("3120.35") and Credit.objects.count() == 2
    _run("verify_ledger")


def test_post_credits_is_all_or_nothing_with_line_numbers(tmp_path, alice, charlie):
    path = _csv(tmp_path, f"certno,amount,period\n{alice.person.certno},10.00,2026-05\n"
                          f"{charlie.certno},10.00,2026-05\n"
                          f"{alice.person.certno},-1,2026-13\n"
                          f"{alice.person.certno},10.00,2026-05\n")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("post_credits", path, stdout=io.StringIO(), stderr=err)
    text = err.getvalue()
    assert "line 3:" in text and "line 4:" in text and "line 5:" in text and "line 2:" not in text
    assert Credit.objects.count() == 0
    alice.person.account.refresh_from_db()
    assert alice.person.account.balance == Decimal("3000.00")


def test_post_credits_refuses_a_changed_amount_for_a_posted_period(tmp_path, alice):
    _run("post_credits", _csv(tmp_path, f"certno,amount,period\n{alice.person.certno},10.00,2026-05\n"))
    with pytest.raises(CommandError):
        _run("post_credits", _csv(tmp_path, f"certno,amount,period\n{alice.person.certno},11.00,2026-05\n"))


def test_post_credits_refuses_a_bad_header(tmp_path, db):
    with pytest.raises(CommandError):
        _run("post_credits", _csv(tmp_path, "a,b,c\n"))
