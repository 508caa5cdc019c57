"""The refusal log: every place that asks the engine and refuses records the reason codes here (one call).

    refusal_log(refusals, channel="wizard", region=person.region_id)

`refusals` holds Reasons, findings (anything with a `.code`) or codes; an empty list records nothing, so a call
site needs no `if`. Only codes, channel, region and time are kept (see RefusalEntry)."""

from collections.abc import Iterable

from audit.models import RefusalEntry

CHANNELS = {choice.value for choice in RefusalEntry.Channel}


def refusal_codes(refusals: Iterable, *, channel: str) -> list[str]:
    """The codes `refusal_log` keeps of `refusals` (each once, cut to the column's length), for a caller that writes
    the rows in a statement of its own (the settlement's single write, settlement/writers.py)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    codes = [getattr(r, "code", r) for r in refusals or ()]
    return [c[:60] for c in dict.fromkeys(c for c in codes if isinstance(c, str) and c)]  # a code once per refusal


def refusal_log(refusals: Iterable, *, channel: str, region: str | None) -> int:
    codes = refusal_codes(refusals, channel=channel)
    if codes:  # an empty bulk_create still costs ~0.05 ms of Python on every settlement without notes
        RefusalEntry.objects.bulk_create([RefusalEntry(code=c, channel=channel, region_id=region) for c in codes])
    return len(codes)
