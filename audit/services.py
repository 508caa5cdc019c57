from django.db import models

from audit.models import AuditEvent

SYSTEM_LABEL = "system"


def _label(actor) -> str:
    if actor is None:
        return SYSTEM_LABEL
    name = getattr(actor, "get_full_name", lambda: "")() or ""
    return f"{actor.get_username()} {name}".strip()[:100]


def subject_regions(subject) -> tuple[str | None, str | None]:
    """The pooling region(s) a subject belongs to, for officials' scope: a model tells through `audit_regions()`
    (a tuple of region codes, the first its own); a person or anything with a `region_id` by that."""
    if hasattr(subject, "audit_regions"):
        regions = [r for r in subject.audit_regions() if r]
    else:
        regions = [getattr(subject, "region_id", None)] if getattr(subject, "region_id", None) else []
    regions = list(dict.fromkeys(regions))  # the same region twice is one
    return (regions[0] if regions else None), (regions[1] if len(regions) > 1 else None)


def audit_values(*, actor, subject, event: str, before: dict | None = None, after: dict | None = None, hall=None,
                 channel: str = "online", region: str | None = None, province: str | None = None) -> dict:
    """The fields of the event audit_record appends (AuditEvent keyword arguments), for a caller that writes it
    in a statement of its own (the settlement's single write, settlement/writers.py)."""
    other_region, subject_label = None, ""
    if isinstance(subject, models.Model):
        subject_label = str(getattr(subject, "reference", "") or "")[:64]
        subject_type, subject_id = subject._meta.label_lower, str(subject.pk)
        if region is None:
            region, other_region = subject_regions(subject)
    else:
        subject_type, subject_id = subject[0], str(subject[1])
    if hall is None and actor is not None:
        hall = getattr(actor, "hall", None) if getattr(actor, "hall_id", None) else None
    return dict(
        actor=actor if actor is not None and actor.pk else None, actor_label=_label(actor), hall=hall,
        channel=channel, subject_type=subject_type, subject_id=subject_id, subject_label=subject_label, event=event,
        before=before, after=after, region_id=region, province_id=province, other_region_id=other_region,
    )


def audit_record(*, actor, subject, event: str, before: dict | None = None, after: dict | None = None, hall=None,
                 channel: str = "online", region: str | None = None, province: str | None = None) -> AuditEvent:
    """Append one event. `subject` is a model instance (or a (type, id) pair, then give `region`); actor None means
    the system. The subject's region is stored with the event (see AuditEvent.region)."""
    return AuditEvent.objects.create(**audit_values(
        actor=actor, subject=subject, event=event, before=before, after=after, hall=hall, channel=channel,
        region=region, province=province))
