"""Checking the audit trail's hash chains (the chaining itself is the database's: audit migrations 0007, 0010).

Events are chained on one of up to 16 chains, one per head row (`chain` empty for the first). In each chain, each
event holds its chain number, the hash of the event before it (`prev_hash`) and its own hash over its columns and
that `prev_hash`. Walking each chain in order finds
- a deleted event: a gap in the chain numbers (or, at the end, the chain's head pointing past its last event),
- an altered event: its columns no longer give its hash, or the next event's `prev_hash` is not its hash,
- an event inserted past the trigger or out of order: no chain number, or a `prev_hash` that is not the hash
  of the event before it.
The database recomputes the hashes with the very function the trigger used (`audit_event_digest`).
"""

from dataclasses import dataclass, field

from django.db import connection

GENESIS = "0" * 64
MAX_HEADS = 16  # audit migration 0010


@dataclass
class ChainReport:
    events: int = 0
    heads: list[tuple[int, int, str]] = field(default_factory=list)  # (chain, number, hash) of every head
    problems: list[str] = field(default_factory=list)

    @property
    def whole(self) -> bool:
        return not self.problems

    @property
    def head_seq(self) -> int:  # the first chain's head
        return next((seq for chain, seq, _hash in self.heads if chain == 1), 0)

    @property
    def head_hash(self) -> str:
        return next((chain_hash for chain, _seq, chain_hash in self.heads if chain == 1), GENESIS)


def _label(chain: int, seq: int) -> str:
    return f"#{seq}" if chain == 1 else f"{chain} #{seq}"


def _missing(chain: int, first: int, last: int) -> str:
    return _label(chain, first) if first == last else f"{_label(chain, first)}–#{last}"


def _walk(cursor, chain: int, chunk: int, report: ChainReport) -> tuple[int, str]:
    """Walk one chain; (its last number, its last hash)."""
    expected, previous, last_seq = 1, GENESIS, 0
    while True:
        cursor.execute(
            "SELECT id, chain_seq, prev_hash, chain_hash, audit_event_digest(e) FROM audit_auditevent e "
            "WHERE coalesce(chain, 1) = %s AND chain_seq > %s ORDER BY coalesce(chain, 1), chain_seq LIMIT %s",
            [chain, last_seq, chunk])
        rows = cursor.fetchall()
        for event_id, seq, prev_hash, chain_hash, computed in rows:
            report.events += 1
            where = f"event id {event_id} (chain {_label(chain, seq)})"
            if seq > expected:
                report.problems.append(f"chain {_missing(chain, expected, seq - 1)} missing before {where}: "
                                       f"event(s) deleted")
            elif prev_hash != previous:
                report.problems.append(f"{where} does not follow the event before it: that event was altered "
                                       f"or deleted, or this one inserted out of order")
            if computed != chain_hash:
                report.problems.append(f"{where} was altered: its columns no longer give its hash")
            expected, previous, last_seq = seq + 1, chain_hash, seq
        if len(rows) < chunk:
            return last_seq, previous


def audit_chain_verify(chunk: int = 2000) -> ChainReport:
    """Walk every chain's events in order; the report lists each break with the event's id and chain number."""
    report = ChainReport()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, seq, chain_hash FROM audit_auditchainhead ORDER BY id")
        heads = {chain: (seq, chain_hash) for chain, seq, chain_hash in cursor.fetchall()}
        cursor.execute("SELECT id FROM audit_auditevent WHERE chain_seq IS NULL ORDER BY id")
        for (event_id,) in cursor.fetchall():
            report.problems.append(f"event id {event_id} is not in the chain (inserted past the chain trigger)")
        cursor.execute("SELECT DISTINCT coalesce(chain, 1) FROM audit_auditevent WHERE chain_seq IS NOT NULL")
        chains = sorted({row[0] for row in cursor.fetchall()} | set(heads))
        for chain in chains:
            last_seq, previous = _walk(cursor, chain, chunk, report)
            _check_head(report, chain, heads.get(chain), last_seq, previous)
    if any(not 1 <= chain <= MAX_HEADS for chain in heads):
        report.problems.append("the chain head table holds rows other than the chains' heads")
    report.heads = [(chain, seq, chain_hash) for chain, (seq, chain_hash) in sorted(heads.items())]
    return report


def _check_head(report: ChainReport, chain: int, head, last_seq: int, previous: str) -> None:
    name = "the chain head" if chain == 1 else f"the head of chain {chain}"
    if head is None:
        if last_seq:
            report.problems.append(f"{name} is missing")
        return
    head_seq, head_hash = head
    if head_seq > last_seq:
        report.problems.append(f"chain {_missing(chain, last_seq + 1, head_seq)} missing at the end (the head is "
                               f"at #{head_seq}): event(s) deleted")
    elif head_seq < last_seq or (last_seq and head_hash != previous):
        report.problems.append(f"{name} (#{head_seq}) does not point at the last event (#{last_seq}): events "
                               f"inserted past the trigger, or the head altered")
