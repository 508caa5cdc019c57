"""The audit trail lives on floor 3, yet floors below it (the registry's admin and import command, the ledger's
monthly credits, the admins' shared mixins) must write to it. The audit app registers its recorder here when
Django starts (AuditConfig.ready); callers below it record through `record()` without importing it.

`record(actor=…, subject=…, event=…, before=…, after=…, region=…, channel=…)` has the signature of
`audit.services.audit_record`.
"""

import getpass
from collections.abc import Callable

_recorder: Callable | None = None


def register_recorder(recorder: Callable) -> None:
    global _recorder
    _recorder = recorder


def record(**kwargs):
    if _recorder is None:
        raise RuntimeError("No audit recorder is registered: is the audit app installed?")
    return _recorder(**kwargs)


def operator_actor(actor_name: str | None):
    """Who runs a management command: the named account (`--actor`), else a label with the OS user's name.

    Returns a user instance (saved or not); an unsaved one carries only the label into the trail."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if actor_name:
        user = User.objects.filter(username=actor_name).first()
        if user is None:
            raise LookupError(actor_name)
        return user
    try:
        os_user = getpass.getuser()
    except (KeyError, OSError):
        os_user = "unknown"
    return User(username=f"os:{os_user}"[:150])
