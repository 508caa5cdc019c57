"""The audit trail is a hash chain: `verify_audit` finds a deleted, altered or out-of-chain event and names it."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from audit.chain import GENESIS, audit_chain_verify
from audit.models import AuditChainHead, AuditEvent
from audit.services import audit_record


def _events(alice, n=3):
    return [audit_record(actor=alice, subject=alice.person, event=f"test.{i}") for i in range(n)]


def _as_owner_without(trigger: str, sql=None, params=(), *, create=None):
    """What only the table owner can do: switch a trigger off for one statement (the runtime role cannot).
    `create`: the fields of an event to insert through the ORM (every column filled, whatever the model has)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own inserts leave deferred checks pending
        cursor.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {trigger}")
        if create is not None:
            AuditEvent.objects.create(**create)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        else:
            cursor.execute(sql, params)
        cursor.execute(f"ALTER TABLE audit_auditevent ENABLE TRIGGER {trigger}")


def _verify_fails() -> str:
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError, match="break"):
        call_command("verify_audit", stderr=err, stdout=StringIO())
    return err.getvalue()


@pytest.mark.django_db
def test_each_event_holds_the_hash_of_the_event_before_it(alice):
    ids = [e.pk for e in _events(alice)]
    chain = list(AuditEvent.objects.filter(pk__in=ids).order_by("chain_seq"))
    assert [e.pk for e in chain] == ids
    assert [e.chain_seq for e in chain] == list(range(chain[0].chain_seq, chain[0].chain_seq + 3))
    assert chain[1].prev_hash == chain[0].chain_hash and chain[2].prev_hash == chain[1].chain_hash
    assert len({e.chain_hash for e in chain}) == 3 and all(len(e.chain_hash) == 64 for e in chain)
    head = AuditChainHead.objects.get()
    assert (head.seq, head.chain_hash) == (chain[2].chain_seq, chain[2].chain_hash)


@pytest.mark.django_db
def test_verify_audit_passes_on_an_untouched_trail(alice, capsys):
    _events(alice)
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert out.startswith("OK:") and AuditChainHead.objects.get().chain_hash in out


@pytest.mark.django_db
def test_the_chain_ignores_what_python_claims(alice):
    event = AuditEvent.objects.create(subject_type="x", subject_id="1", event="forged", chain_seq=999,
                                      prev_hash=GENESIS, chain_hash="f" * 64)
    event.refresh_from_db()
    assert event.chain_seq != 999 and event.chain_hash != "f" * 64
    assert audit_chain_verify().whole


@pytest.mark.django_db
def test_verify_audit_names_a_deleted_event(alice):
    first, middle, last = _events(alice)
    middle.refresh_from_db()
    _as_owner_without("audit_append_only", "DELETE FROM audit_auditevent WHERE id = %s", [middle.pk])
    err = _verify_fails()
    assert f"chain #{middle.chain_seq} missing before event id {last.pk}" in err


@pytest.mark.django_db
def test_verify_audit_names_the_last_event_deleted(alice):
    *_, last = _events(alice)
    last.refresh_from_db()
    _as_owner_without("audit_append_only", "DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    assert f"chain #{last.chain_seq} missing at the end" in _verify_fails()


@pytest.mark.django_db
def test_verify_audit_names_an_altered_event(alice):
    _, middle, last = _events(alice)
    _as_owner_without("audit_append_only", "UPDATE audit_auditevent SET event = 'tampered' WHERE id = %s",
                      [middle.pk])
    err = _verify_fails()
    assert f"event id {middle.pk} (chain #" in err and "altered" in err and f"event id {last.pk}" not in err


@pytest.mark.django_db
def test_verify_audit_names_an_altered_event_whose_hash_was_recomputed(alice):
    _, middle, last = _events(alice)
    _as_owner_without("audit_append_only", "UPDATE audit_auditevent SET event = 'tampered' WHERE id = %s; "
                      "UPDATE audit_auditevent e SET chain_hash = audit_event_digest(e) WHERE id = %s",
                      [middle.pk, middle.pk])
    assert f"event id {last.pk} (chain #" in _verify_fails()


@pytest.mark.django_db
def test_verify_audit_names_an_event_inserted_past_the_chain(alice):
    _events(alice)
    _as_owner_without("audit_chain", create=dict(subject_type="x", subject_id="1", event="inserted"))
    inserted = AuditEvent.objects.get(event="inserted")
    assert f"event id {inserted.pk} is not in the chain" in _verify_fails()


@pytest.mark.django_db
def test_verify_audit_names_an_event_inserted_out_of_order(alice):
    first, middle, last = _events(alice)
    middle.refresh_from_db()
    # A forged event in the place of a deleted one, claiming the deleted one's number and links.
    _as_owner_without("audit_append_only",
                      "DELETE FROM audit_auditevent WHERE id = %s", [middle.pk])
    _as_owner_without("audit_chain", create=dict(subject_type="x", subject_id="1", event="forged",
                                                 chain_seq=middle.chain_seq, prev_hash=middle.prev_hash,
                                                 chain_hash=middle.chain_hash))
    forged = AuditEvent.objects.get(event="forged")
    assert f"event id {forged.pk} (chain #{middle.chain_seq}) was altered" in _verify_fails()


@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_are_chained_one_after_the_other(alice):
    start = sum(AuditChainHead.objects.values_list("seq", flat=True))
    barrier = threading.Barrier(4)
    errors = []

    def write(n):
        try:
            barrier.wait()
            for i in range(5):
                with transaction.atomic():
                    audit_record(actor=None, subject=("test.thread", n), event=f"test.{n}.{i}")
                    audit_record(actor=None, subject=("test.thread", n), event=f"test.{n}.{i}b")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    report = audit_chain_verify()
    assert report.whole, report.problems
    assert sum(seq for _chain, seq, _hash in report.heads) == start + 40


@pytest.mark.django_db(transaction=True)
def test_the_migration_chains_the_events_already_there_in_the_order_of_their_ids(alice):
    from django.db.migrations.executor import MigrationExecutor

    _events(alice)
    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0003_event_region")])
    with connection.cursor() as cursor:  # events written before the chain existed
        cursor.execute("INSERT INTO audit_auditevent (actor_label, channel, subject_type, subject_id, event, "
                       "created_at) VALUES ('x', 'online', 'x', '1', 'before.chain', now())")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("audit"))
    events = list(AuditEvent.objects.order_by("id"))
    assert [e.chain_seq for e in events] == list(range(1, len(events) + 1)) and len(events) >= 4
    report = audit_chain_verify()
    assert report.whole, report.problems
    assert report.head_seq == len(events)
    audit_record(actor=None, subject=("x", 2), event="after.chain")
    assert audit_chain_verify().whole


@pytest.mark.django_db
def test_a_column_added_later_with_an_empty_default_changes_no_existing_hash(alice):
    _events(alice)
    with connection.cursor() as cursor:  # as another branch's migration adds subject_label and province
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE audit_auditevent ADD COLUMN test_label varchar(64) NOT NULL DEFAULT '', "
                       "ADD COLUMN test_province varchar(2) NULL")
    assert audit_chain_verify().whole
    with connection.cursor() as cursor:  # and new events cover it
        cursor.execute("ALTER TABLE audit_auditevent ALTER COLUMN test_label SET DEFAULT 'GJ1'")
        audit_record(actor=None, subject=("x", 1), event="labelled")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
        cursor.execute("UPDATE audit_auditevent SET test_label = 'GJ2' WHERE event = 'labelled'")
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only")
    assert "altered" in " ".join(audit_chain_verify().problems)


def _held_open(ready: threading.Event, done: threading.Event, errors: list):
    """Another transaction that writes an event and holds its chain's head until `done`."""
    try:
        with transaction.atomic():
            audit_record(actor=None, subject=("test.holder", 1), event="test.held")
            ready.set()
            done.wait(30)
    except Exception as exc:  # noqa: BLE001 - reported by the test
        errors.append(exc)
        ready.set()
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_a_transaction_does_not_wait_for_another_holding_a_chain_head(alice):
    audit_record(actor=None, subject=("x", 1), event="first")  # the first chain exists
    ready, done, errors = threading.Event(), threading.Event(), []
    holder = threading.Thread(target=_held_open, args=(ready, done, errors))
    holder.start()
    try:
        assert ready.wait(30) and not errors
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")  # waiting for the held head would fail here
            mine = audit_record(actor=None, subject=("x", 2), event="not.waiting")
    finally:
        done.set()
        holder.join()
    assert not errors
    held = AuditEvent.objects.get(event="test.held")
    mine.refresh_from_db()
    assert {held.chain, mine.chain} == {None, 2}  # one on the first chain, the other on a second one
    report = audit_chain_verify()
    assert report.whole, report.problems
    assert [chain for chain, _seq, _hash in report.heads] == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_verify_audit_walks_every_chain_and_names_a_break_in_the_second(alice):
    test_a_transaction_does_not_wait_for_another_holding_a_chain_head(alice)
    second = AuditEvent.objects.get(chain=2)
    _as_owner_without("audit_append_only", "UPDATE audit_auditevent SET event = 'tampered' WHERE id = %s",
                      [second.pk])
    assert f"event id {second.pk} (chain 2 #{second.chain_seq}) was altered" in _verify_fails()
