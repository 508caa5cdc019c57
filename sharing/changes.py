"""The shared steps of every binding change: lock, record, audit snapshot, tell both sides, expire, re-check.

Used by sharing.services (changes a person asks for) and sharing.review (changes by time, registry or official).
"""



import datetime

from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from core.reasons import Reason
from notifications.messages import from_lazy
from notifications.messages import message as _  # texts of in-site messages, rendered when read
from notifications.services import notify
from registry.models import Relation
from sharing import reasons
from sharing.eligibility.life import SUSPENSION_CODES, binding_review
from sharing.models import Binding
from sharing.reserves import quota_return
from sharing.selectors import effective_status

S = Binding.Status


class BindingRefused(Exception):
    """Carries every reason the request was refused."""

    def __init__(self, reasons: list[Reason]):
        super().__init__(", ".join(r.code for r in reasons))
        self.reasons = reasons


def _snapshot(binding: Binding) -> dict:
    return {"status": binding.status, "status_reason": binding.status_reason, "reference": binding.reference}


def _relation_label(binding: Binding):
    """The relationship's label, lazily: an in-site message shows it in the reader's language."""
    return Relation(binding.relation).label


def _tell_both(binding: Binding, *, authorizer_title: str, authorizer_body: str, member_title: str,
               member_body: str, member_link: str | None = None) -> None:
    records = reverse("sharing:binding_detail", args=[binding.pk])
    notify(person=binding.authorizer, title=authorizer_title, body=authorizer_body, link=records)
    notify(person=binding.member, title=member_title, body=member_body,
           link=member_link if member_link is not None else reverse("sharing:my_authorizers"))


def _lock(binding: Binding) -> Binding:
    return Binding.objects.select_for_update(of=("self",)).select_related("authorizer__region", "member__region").get(
        pk=binding.pk)


def _changed(binding: Binding, now: datetime.datetime, **fields) -> None:
    """Record a change of a locked binding. Every ending passes here: its unused quota returns to the authorizer
    in the same transaction (sharing.reserves)."""
    for key, value in fields.items():
        setattr(binding, key, value)
    binding.save(update_fields=[*fields, "updated_at"])
    if fields.get("status") == S.ENDED:
        quota_return(binding, now)


def _state_changed(binding: Binding, now: datetime.datetime) -> BindingRefused:
    status = effective_status(binding, now)
    if status == S.EXPIRED and binding.status == S.AWAITING_CONSENT:
        _expire(Binding.objects.filter(pk=binding.pk), now)
        return BindingRefused([reasons.CONSENT_EXPIRED.with_detail(
            days=(binding.consent_deadline - binding.signed_at).days)])
    return BindingRefused([reasons.BINDING_STATE_CHANGED.with_detail(status=S(status).label)])


def _expire(queryset, now: datetime.datetime) -> int:
    count = 0
    for binding in queryset.select_for_update(skip_locked=True, of=("self",)).select_related("authorizer", "member"):
        if effective_status(binding, now) != S.EXPIRED or binding.status != S.AWAITING_CONSENT:
            continue
        before = _snapshot(binding)
        _changed(binding, now, status=S.EXPIRED, ended_at=binding.consent_deadline, status_reason="CONSENT_EXPIRED")
        audit_record(actor=None, subject=binding, event="binding.expired", before=before, after=_snapshot(binding))
        params = {"name": binding.member.name, "ref": binding.reference}
        _tell_both(binding, authorizer_title=_("Spouse request expired"),
                   authorizer_body=_("%(name)s did not answer request %(ref)s in time; it has expired. You may "
                                     "bind again.") % params,
                   member_title=_("A spouse request expired"),
                   member_body=_("Request %(ref)s expired without an answer.") % params)
        count += 1
    return count


def _tell_rule(binding: Binding, title: str, reason: Reason) -> None:
    params = {"ref": binding.reference, "authorizer": binding.authorizer.name, "name": binding.member.name}
    body = from_lazy(*reason.detail) if reason.detail else from_lazy(reason.message)
    _tell_both(binding, authorizer_title=title, authorizer_body=_("Binding %(ref)s with %(name)s: ") % params + body,
               member_title=title, member_body=_("Binding %(ref)s from %(authorizer)s: ") % params + body)


def _reevaluate(binding: Binding, now: datetime.datetime, actor=None, on: datetime.date | None = None) -> bool:
    """Apply what the engine says of a locked active or suspended binding (sharing.eligibility.life); True if it
    changed. An official's suspension for cause is left alone unless the binding ends by itself."""
    review = binding_review(binding, on)
    before = _snapshot(binding)
    params = {"ref": binding.reference, "authorizer": binding.authorizer.name, "name": binding.member.name}
    by_rule = binding.status == S.ACTIVE or binding.status_reason in SUSPENSION_CODES
    if review.ends is not None:
        _changed(binding, now, status=S.ENDED, ended_at=now, status_reason=review.ends.code)
        event = "binding.ended_by_rule"
        _tell_rule(binding, _("Family sharing ended"), review.ends)
    elif review.broken and binding.status == S.ACTIVE:
        reason = review.broken[0]
        if review.end_on_break:
            _changed(binding, now, status=S.ENDED, ended_at=now, status_reason=reason.code)
        else:
            _changed(binding, now, status=S.SUSPENDED, status_reason=reason.code)
        event = "binding.ended_by_registry" if review.end_on_break else "binding.suspended"
        _tell_rule(binding, _("Family sharing ended") if review.end_on_break else _("Family sharing suspended"),
                   reason)
    elif review.broken and by_rule and review.suspension_reason(binding.status_reason).code != binding.status_reason:
        # Still suspended, but for another rule now: show the one broken now.
        reason = review.suspension_reason(binding.status_reason)
        _changed(binding, now, status_reason=reason.code)
        event = "binding.suspension_reason_changed"
        _tell_rule(binding, _("Family sharing still suspended"), reason)
    elif not review.broken and binding.status == S.SUSPENDED and by_rule:
        _changed(binding, now, status=S.ACTIVE, status_reason="")
        event = "binding.resumed"
        _tell_both(binding, authorizer_title=_("Family sharing works again"),
                   authorizer_body=_("Binding %(ref)s with %(name)s works again.") % params,
                   member_title=_("Family sharing works again"),
                   member_body=_("Binding %(ref)s from %(authorizer)s works again.") % params)
    else:
        return False
    audit_record(actor=actor, subject=binding, event=event, before=before, after=_snapshot(binding))
    return True


def _end_past_validity(queryset, now: datetime.datetime) -> int:
    """Record the end of bindings whose signed validity period is over (pages already show them as ended)."""
    today = timezone.localdate(now)
    due = queryset.filter(status__in=[S.ACTIVE, S.SUSPENDED], valid_until__lt=today)
    count = 0
    for binding in due.select_for_update(of=("self",)).select_related("authorizer__region__province",
                                                                       "member__region__province"):
        count += _reevaluate(binding, now)
    return count
