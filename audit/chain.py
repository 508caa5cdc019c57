"""Checking the audit trail's hash chain (the chaining itself is the database's: audit migration 0007).

Each event holds its chain number, the hash of the event before it (`prev_hash`) and its own hash over its columns
and that `prev_hash`. Walking the chain in order finds
- a deleted event: a gap in the chain numbers (or, at the end, the chain head pointing past the last event),
- an altered event: its columns no longer give its hash, or the next event's `prev_hash` is not its hash,
- an event inserted past the trigger or out of order: no chain number, or a `prev_hash` that is not the hash
  of the event before it.
The database recomputes the hashes with the very function the trigger used (`audit_event_digest`).
"""

from dataclasses import dataclass, field

from django.db import connection

GENESIS = "0" * 64


@dataclass
class ChainReport:
    events: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def whole(self) -> bool:
        return not self.problems


def audit_chain_verify(chunk: int = 2000) -> ChainReport:
    """Walk every audit event in chain order; the report lists each break with the event's id and chain number."""
    report = ChainReport()
    expected, previous = 1, GENESIS
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, seq, chain_hash FROM audit_auditchainhead ORDER BY id")
        heads = cursor.fetchall()
        cursor.execute("SELECT id FROM audit_auditevent WHERE chain_seq IS NULL ORDER BY id")
        for (event_id,) in cursor.fetchall():
            report.problems.append(f"event id {event_id} is not in the chain (inserted past the chain trigger)")
        last_seq = 0
        while True:
            cursor.execute(
                "SELECT id, chain_seq, prev_hash, chain_hash, audit_event_digest(e) FROM audit_auditevent e "
                "WHERE chain_seq > %s ORDER BY chain_seq LIMIT %s", [last_seq, chunk])
            rows = cursor.fetchall()
            for event_id, seq, prev_hash, chain_hash, computed in rows:
                report.events += 1
                where = f"event id {event_id} (chain #{seq})"
                if seq > expected:
                    missing = f"#{expected}" if seq == expected + 1 else f"#{expected}–#{seq - 1}"
                    report.problems.append(f"chain {missing} missing before {where}: event(s) deleted")
                elif prev_hash != previous:
                    report.problems.append(f"{where} does not follow the event before it: that event was altered "
                                           f"or deleted, or this one inserted out of order")
                if computed != chain_hash:
                    report.problems.append(f"{where} was altered: its columns no longer give its hash")
                expected, previous, last_seq = seq + 1, chain_hash, seq
            if len(rows) < chunk:
                break
    if len(heads) > 1 or (heads and heads[0][0] != 1):
        report.problems.append("the chain head table holds rows other than the one head")
    if heads:
        _, report.head_seq, report.head_hash = heads[0]
        if report.head_seq > last_seq:
            missing = f"#{last_seq + 1}" if report.head_seq == last_seq + 1 else f"#{last_seq + 1}–#{report.head_seq}"
            report.problems.append(f"chain {missing} missing at the end (the head is at #{report.head_seq}): "
                                   f"event(s) deleted")
        elif report.head_seq < last_seq or (last_seq and report.head_hash != previous):
            report.problems.append(f"the chain head (#{report.head_seq}) does not point at the last event "
                                   f"(#{last_seq}): events inserted past the trigger, or the head altered")
    elif last_seq:
        report.problems.append("the chain head is missing")
    return report
