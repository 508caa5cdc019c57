"""Bindings changing by themselves or by an official: spouse requests expiring, re-evaluation after a registry,
policy or date change, suspension for cause and its lifting. Atomic, audited, told to both sides.
"""



import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_record
from notifications.messages import message as _  # texts of in-site messages, rendered when read
from registry.models import InsuredPerson
from sharing import reasons
from sharing.changes import (
    _changed,
    _expire,
    _lock,
    _reevaluate,
    _snapshot,
    _state_changed,
    _tell_both,
    _tell_rule,
)
from sharing.eligibility.life import binding_review
from sharing.models import Binding

S = Binding.Status


@transaction.atomic
def bindings_expire_due(now: datetime.datetime | None = None) -> int:
    """Record the expiry of every spouse request past its deadline. Safe to run any time, any number of times
    (the pages already show such requests as expired; this makes the records and messages follow)."""
    now = now or timezone.now()
    return _expire(Binding.objects.filter(status=S.AWAITING_CONSENT, consent_deadline__lte=now), now)


def _live_for_review():
    return (Binding.objects.select_for_update(of=("self",)).filter(status__in=[S.ACTIVE, S.SUSPENDED])
            .select_related("authorizer__region__province", "member__region__province").order_by("created_at"))


@transaction.atomic
def person_reevaluate(*, person: InsuredPerson, actor=None) -> list[Binding]:
    """After a registry change: end, suspend or bring back the person's bindings as the engine says (every rule
    against the policy in force; see sharing.eligibility.life). Returns the bindings that changed."""
    now = timezone.now()
    return [b for b in _live_for_review().filter(Q(authorizer=person) | Q(member=person)) if _reevaluate(b, now, actor)]


REEVALUATE_CHUNK = 500


def bindings_reevaluate(*, on: datetime.date | None = None, actor=None) -> list[Binding]:
    """After a policy change or a change of date: the same for every active or suspended binding (validity periods
    that are over end, a policy version now in force applies). Safe to run any time, any number of times.

    One transaction per chunk of bindings, so that settlements (which lock bindings too) never wait long."""
    now = timezone.now()
    ids = list(Binding.objects.filter(status__in=[S.ACTIVE, S.SUSPENDED]).order_by("created_at")
               .values_list("pk", flat=True))
    changed = []
    for start in range(0, len(ids), REEVALUATE_CHUNK):
        with transaction.atomic():
            chunk = _live_for_review().filter(pk__in=ids[start:start + REEVALUATE_CHUNK])
            changed += [b for b in chunk if _reevaluate(b, now, actor, on)]
    return changed


# An official's suspension for cause: only an official lifts it (person_reevaluate leaves it alone).
OFFICIAL_SUSPENSION = reasons.OFFICIAL_SUSPENSION.code  # the catalogue is the one definition


@transaction.atomic
def binding_suspend(*, binding: Binding, actor, cause: str) -> Binding:
    """An official suspends an active binding for cause (it stops paying at once); a binding already suspended
    because of the registry becomes suspended for cause, so the registry coming right does not bring it back."""
    now = timezone.now()
    locked = _lock(binding)
    if locked.status not in (S.ACTIVE, S.SUSPENDED) or locked.status_reason == OFFICIAL_SUSPENSION:
        raise _state_changed(locked, now)
    before = _snapshot(locked)
    _changed(locked, now, status=S.SUSPENDED, status_reason=OFFICIAL_SUSPENSION)
    audit_record(actor=actor, subject=locked, event="binding.suspended_by_official", before=before,
                 after={**_snapshot(locked), "cause": cause.strip()}, channel="admin")
    params = {"ref": locked.reference, "authorizer": locked.authorizer.name, "name": locked.member.name}
    _tell_both(locked, authorizer_title=_("Family sharing suspended"),
               authorizer_body=_("The medical insurance office suspended binding %(ref)s with %(name)s; your account "
                                 "does not pay for them meanwhile. The service hall of your pooling region can tell "
                                 "you more.") % params,
               member_title=_("Family sharing suspended"),
               member_body=_("The medical insurance office suspended binding %(ref)s from %(authorizer)s; their "
                             "account does not pay for you meanwhile.") % params)
    return locked


@transaction.atomic
def binding_lift_suspension(*, binding: Binding, actor) -> Binding:
    """An official lifts their suspension. The rules are checked again, as person_reevaluate would: if one no longer
    holds, the binding stays suspended for that reason (back by itself once it holds again), or ends where the
    policy ends bindings on a registry break."""
    now = timezone.now()
    locked = _lock(binding)
    if locked.status != S.SUSPENDED or locked.status_reason != OFFICIAL_SUSPENSION:
        raise _state_changed(locked, now)
    before = _snapshot(locked)
    review = binding_review(locked)
    ending = review.ends or (review.broken[0] if review.broken and review.end_on_break else None)
    if ending is not None:
        _changed(locked, now, status=S.ENDED, ended_at=now, status_reason=ending.code)
    elif review.broken:
        _changed(locked, now, status_reason=review.broken[0].code)
    else:
        _changed(locked, now, status=S.ACTIVE, status_reason="")
    audit_record(actor=actor, subject=locked, event="binding.suspension_lifted", before=before,
                 after=_snapshot(locked), channel="admin")
    params = {"ref": locked.reference, "authorizer": locked.authorizer.name, "name": locked.member.name}
    if ending is not None:
        _tell_rule(locked, _("Family sharing ended"), ending)
    elif review.broken:
        _tell_rule(locked, _("Family sharing still suspended"), review.broken[0])
    else:
        _tell_both(locked, authorizer_title=_("Family sharing works again"),
                   authorizer_body=_("Binding %(ref)s with %(name)s works again.") % params,
                   member_title=_("Family sharing works again"),
                   member_body=_("Binding %(ref)s from %(authorizer)s works again.") % params)
    return locked
