"""Demo bindings in every status (called from demo.data.load). Idempotent: skipped once they exist.

Made through the real services (so each has its audit trail and messages), except the suspended one,
whose history (bound while 赵敏's enrollment was active) predates the demo registry.
"""

import datetime
import hashlib
from decimal import Decimal

from django.utils import timezone

from audit.services import audit_record
from ledger.models import Reserve
from registry.policy import policy_in_force
from sharing.models import Binding
from sharing.quotas import quota_add
from sharing.review import bindings_expire_due
from sharing.services import (
    binding_consent,
    binding_create,
    binding_unbind,
    binding_withdraw,
    current_letter,
    new_reference,
    signed_payload,
)


def _user(person):
    return getattr(person, "user", None)


def _bind(authorizer, member, relation):
    return binding_create(authorizer=authorizer, member=member, relation=relation, actor=_user(authorizer),
                          signature_method=Binding.SignatureMethod.TYPED, typed_name=authorizer.name)


def load_bindings(persons: dict) -> None:
    worker, spouse = persons["worker"], persons["spouse"]
    if Binding.objects.filter(authorizer=worker).exists():
        return
    # 张伟: his child (active) and his mother in 南京 (active: Jiangsu allows sharing between its cities).
    _bind(worker, persons["child"], "child")
    _bind(worker, persons["mother"], "parent")
    # His father was bound and later unbound (ended).
    binding_unbind(binding=_bind(worker, persons["father"], "parent"), actor=_user(worker))
    # Spouse requests to 李娜: refused, withdrawn, expired, and the current one waiting in her inbox.
    binding_consent(binding=_bind(worker, spouse, "spouse"), agree=False, actor=_user(spouse))
    binding_withdraw(binding=_bind(worker, spouse, "spouse"), actor=_user(worker))
    _unanswered(worker, spouse)
    bindings_expire_due()
    _bind(worker, spouse, "spouse")
    # 刘洋 (balance ¥0) shares with his mother 陈桂兰: bound, but pays nothing (SHARED_BALANCE_ZERO).
    _bind(persons["zero_worker"], persons["zero_mother"], "parent")
    # 孙立 in Beijing shares with his father 孙德明 in Hebei: cross-province, allowed under the 2026 rules.
    _bind(persons["beijing_worker"], persons["beijing_father"], "parent")
    _suspended(persons["suspended_worker"], persons["suspended_child"])


def load_quota(persons: dict, settle) -> None:
    """孙立's cross-province binding shares through a quota (2026): ¥500 granted, ¥120 used at a pharmacy
    (`settle(request_id, patient, amount)`), then topped up by ¥200. Skipped once the quota exists."""
    son, father = persons["beijing_worker"], persons["beijing_father"]
    binding = Binding.objects.filter(authorizer=son, member=father, status=Binding.Status.ACTIVE).first()
    if binding is None or Reserve.objects.filter(binding_ref=binding.pk).exists():
        return
    quota_add(binding=binding, amount=Decimal("500.00"), actor=_user(son))
    settle("demo-quota-0001", father, "120.00")
    quota_add(binding=binding, amount=Decimal("200.00"), actor=_user(son))


def _unanswered(authorizer, member) -> None:
    """A spouse request signed the policy's answer period (7 days) before its deadline, which passed an hour ago
    (the signed part of a binding cannot be changed afterwards, so it is made with its past signing time)."""
    letter = current_letter()
    payload = signed_payload(letter=letter, authorizer=authorizer, member=member, relation="spouse")
    deadline = timezone.now() - datetime.timedelta(hours=1)
    signed = deadline - datetime.timedelta(days=policy_in_force(authorizer.region).consent_expiry_days)
    binding = Binding.objects.create(
        reference=new_reference(signed), authorizer=authorizer, member=member, relation="spouse",
        status=Binding.Status.AWAITING_CONSENT, letter=letter,
        letter_sha256=hashlib.sha256(payload.encode("utf-8")).hexdigest(),
        signature_method=Binding.SignatureMethod.TYPED, typed_name=authorizer.name, signed_at=signed,
        consent_deadline=deadline,
    )
    audit_record(actor=_user(authorizer), subject=binding, event="binding.created",
                 after={"status": binding.status, "reference": binding.reference, "relation": "spouse"})


def _suspended(authorizer, member) -> None:
    """赵敏 bound her son while enrolled; her enrollment was then suspended, and so was the binding."""
    letter = current_letter()
    payload = signed_payload(letter=letter, authorizer=authorizer, member=member, relation="child")
    signed = timezone.now() - datetime.timedelta(days=200)
    binding = Binding.objects.create(
        reference=new_reference(signed), authorizer=authorizer, member=member, relation="child",
        status=Binding.Status.SUSPENDED, status_reason="AUTHORIZER_NOT_ENROLLED", letter=letter,
        letter_sha256=hashlib.sha256(payload.encode("utf-8")).hexdigest(),
        signature_method=Binding.SignatureMethod.TYPED, typed_name=authorizer.name, signed_at=signed,
        activated_at=signed,
    )
    audit_record(actor=None, subject=binding, event="binding.suspended", before={"status": "active"},
                 after={"status": "suspended", "status_reason": "AUTHORIZER_NOT_ENROLLED"})
