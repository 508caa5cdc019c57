"""Display labels for audit rows written before `AuditEvent.subject_label` existed.

Such rows keep only the subject's type and id. An app above the audit floor registers a bulk look-up for its
subject type (e.g. a binding's GJ reference); the viewer asks it for the rows on the page. Only the display falls
back: audit rows are append-only and hash-chained, and are never updated.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

_lookups: dict[str, Callable[[list[str]], dict[str, str]]] = {}


def register_subject_labels(subject_type: str, lookup: Callable[[list[str]], dict[str, str]]) -> None:
    """`lookup(ids)` returns {subject id (text): label} for the ids it knows."""
    _lookups[subject_type] = lookup


def fallback_labels(events: Iterable) -> None:
    """Set `display_label` on each event without a stored label whose subject can be looked up (one query per type)."""
    missing = defaultdict(list)
    for event in events:
        if not event.subject_label and event.subject_type in _lookups:
            missing[event.subject_type].append(event)
    for subject_type, rows in missing.items():
        labels = _lookups[subject_type]([e.subject_id for e in rows])
        for event in rows:
            if event.subject_id in labels:
                event.display_label = labels[event.subject_id]
