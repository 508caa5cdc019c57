from django.db import models

from audit.models import AuditEvent

SYSTEM_LABEL = "system"


def _label(actor) -> str:
    if actor is None:
        return SYSTEM_LABEL
    name = getattr(actor, "get_full_name", lambda: "")() or ""
    return f"{actor.get_username()} {name}".strip()[:100]


def audit_record(*, actor, subject, event: str, before: dict | None = None, after: dict | None = None, hall=None,
                 channel: str = "online") -> AuditEvent:
    """Append one event. `subject` is a model instance (or a (type, id) pair); actor None means the system."""
    if isinstance(subject, models.Model):
        subject_type, subject_id = subject._meta.label_lower, str(subject.pk)
    else:
        subject_type, subject_id = subject[0], str(subject[1])
    if hall is None and actor is not None:
        hall = getattr(actor, "hall", None) if getattr(actor, "hall_id", None) else None
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.pk else None, actor_label=_label(actor), hall=hall,
        channel=channel, subject_type=subject_type, subject_id=subject_id, event=event, before=before, after=after,
    )
