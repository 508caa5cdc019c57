"""Settling, refunding and crediting: the only writers of money besides account opening.

Concurrency (see settlement/tests/test_concurrency.py):
- every account a settlement or refund touches is locked first, in one fixed order
  (SELECT … FOR UPDATE ORDER BY id), so two transactions never wait on each other in a cycle;
- the amounts are computed from the balances read under those locks;
- (institution, request_id) is unique: a concurrent retry fails on the index, rolls back and is
  answered with the stored reply;
- the ledger's check constraint (balance >= 0) stays the last line of defence.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.refusals import refusal_codes
from audit.services import audit_values
from core.reasons import Reason, Refused
from core.reversing import reverse_remembered
from family.selectors import family_account_holder_ids
from ledger.models import PersonalAccount
from ledger.services import InsufficientBalance
from registry.models import InsuredPerson
from settlement import loaders, refunds, writers
from settlement import reasons as api_reasons
from settlement.models import Category, Institution, Payment, Refund, Settlement
from sharing.eligibility.payment import UNLIMITED, PaymentPlan, resettle, shareable_now
from sharing.payers import payers_for

ZERO = Decimal("0.00")
SELF = "self"


def money(value: Decimal) -> str:
    return f"{value:.2f}"


def mask_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def request_hash(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass
class Outcome:
    """A reply and whether it is new (201) or the stored reply of an earlier identical request (200)."""

    reply: dict
    created: bool


# --- who the patient is, and who may pay for them ------------------------------------------------------------


def patient_resolve(*, cert_type: str, cert_no: str, consume: bool) -> InsuredPerson:
    """Only the patient's own identity selects payers: their ID number (02) or their live insurance code (01)."""
    if cert_type == "02":
        # With the account: the own account needs no query of its own.
        patient = InsuredPerson.objects.select_related("region", "account").filter(certno=cert_no).first()
        if patient is None:
            raise Refused(api_reasons.PATIENT_NOT_FOUND)
        return patient
    from family.tokens import token_resolve

    return token_resolve(cert_no, consume=consume).member


def patient_summary(*, patient: InsuredPerson, payers=None, reserves: dict | None = None) -> dict:
    """The API's patient enquiry: balances and what each authorizer could pay now (no locks, no writes).
    `payers` and `reserves` (binding id -> open quota left) as settlement.loaders.enquiry_load read them, else
    read here."""
    if payers is None:
        payers = payers_for(patient, family_holder_ids=family_account_holder_ids(patient))
    any_account = payers.own or getattr(patient, "account", None)
    sources = payers.sources(reserves=reserves)

    # What the shared accounts could pay for an unlimited bill: mulaid_balc, and the notes that explain it.
    shared = payers.plan(amount=UNLIMITED, sources=sources, with_own=False)
    return {
        "psn_name": mask_name(patient.name),
        "insutype": patient.insutype,
        "insuplc_admdvs": patient.region_id,
        "status": patient.status,
        "acct_balc": money(any_account.balance if any_account else ZERO),
        "mulaid_balc": money(shared.shared_total),
        "authorizers": [
            {"name": mask_name(s.binding.authorizer.name), "relation": s.binding.relation,
             "payable": money(shareable_now(s)[0])}
            for s in sources
        ],
        "notes": [_note(n) for n in shared.notes],
    }


# --- settling ------------------------------------------------------------------------------------------------


def _note(reason: Reason) -> dict:
    return {"code": reason.code, "message": str(reason.message)}


def _stored(model, *, institution: Institution, request_id: str, digest: str) -> Outcome | None:
    row = model.objects.filter(institution=institution, request_id=request_id).only("request_hash", "reply").first()
    if row is None:
        return None
    if row.request_hash != digest:
        raise Refused(api_reasons.REQUEST_ID_CONFLICT)
    return Outcome(reply=row.reply, created=False)


def settlement_create(*, institution: Institution, body: dict, api_key=None) -> Outcome:
    """Settle a bill. `body` is already validated: request_id, mdtrt_cert_type, mdtrt_cert_no, amount, category.

    `api_key`: the key as the API's per-process cache holds it; the transaction's first statement checks it is
    still valid (settlement.loaders.KeyNotValid if not), so a revoked key settles nothing.

    No stored-reply check first: a repeated request_id fails on the unique (institution, request_id) index at the
    settlement's INSERT (its first write), the transaction rolls back, and the stored reply is answered. Only an
    insurance code (01) is looked up first: resolving it consumes it, so a retry must not resolve it again."""
    digest = request_hash({**body, "amount": money(body["amount"])})
    if body["mdtrt_cert_type"] != "02":
        stored = _stored(Settlement, institution=institution, request_id=body["request_id"], digest=digest)
        if stored:
            return stored
    try:
        return _settle(institution=institution, body=body, digest=digest, api_key=api_key)
    except Refused:
        # A refusal before the INSERT (no such patient any more, RETRY) must not hide an earlier stored reply.
        stored = _stored(Settlement, institution=institution, request_id=body["request_id"], digest=digest)
        if stored:
            return stored
        raise
    except InsufficientBalance:
        # Cannot happen while accounts are locked before reading balances; the check constraint is the last line.
        raise Refused(api_reasons.RETRY) from None
    except IntegrityError as exc:
        if "settlement_request_once" not in str(exc):
            raise
    # A concurrent request with the same request_id won the race: answer as it did.
    stored = _stored(Settlement, institution=institution, request_id=body["request_id"], digest=digest)
    if stored is None:  # pragma: no cover - the winner is committed by the time the index refused us
        raise Refused(api_reasons.REQUEST_ID_CONFLICT)
    return stored


@transaction.atomic
def _settle(*, institution: Institution, body: dict, digest: str, api_key=None) -> Outcome:
    amount: Decimal = body["amount"]
    today = timezone.localdate()
    # bindings first (locked by the loader), then accounts in id order, then the quotas
    if body["mdtrt_cert_type"] == "02":
        payers = loaders.payers_load(api_key=api_key, certno=body["mdtrt_cert_no"], on=today)
        if payers is None:
            raise Refused(api_reasons.PATIENT_NOT_FOUND)
        patient = payers.patient
    else:
        if api_key is not None:
            loaders.key_check(api_key)
        patient = patient_resolve(cert_type=body["mdtrt_cert_type"], cert_no=body["mdtrt_cert_no"], consume=True)
        payers = payers_for(patient, family_holder_ids=family_account_holder_ids(patient), lock=True)
    balances = loaders.accounts_lock(payers.account_ids())
    reserves = loaders.reserves_lock(payers.quota_binding_ids())
    sources = payers.sources(balances, {ref: reserve.balance for ref, reserve in reserves.items()})
    plan = payers.plan(amount=amount, sources=sources, balances=balances)
    settlement = Settlement(
        institution=institution, request_id=body["request_id"], request_hash=digest, patient=patient,
        category=body["category"], amount=amount, acct_pay=plan.own, acct_mulaid_pay=plan.shared_total,
        cash_pay=plan.cash,
    )
    parts = _parts(patient=patient, own=payers.own, plan=plan, reserves=reserves)
    # The reply depends only on the plan (the id is made here), so the row is written once, with it. A concurrent
    # request with the same request_id makes this INSERT fail on the unique index; the IntegrityError leaves
    # this transaction (rolled back) and settlement_create answers with the winner's reply.
    settlement.reply = {
        "settlement_id": str(settlement.pk), "request_id": settlement.request_id, "amount": money(amount),
        "acct_pay": money(plan.own), "acct_mulaid_pay": money(plan.shared_total), "cash_pay": money(plan.cash),
        "payers": [{"source": kind, "name": mask_name(payer.name), "relation": relation, "amount": money(pay)}
                   for _account, payer, kind, _binding, relation, pay, _reserve in parts],
        "notes": [_note(n) for n in plan.notes],
    }
    # One statement writes the settlement, its ledger entries and payments (ids in paying order: refunds rely on
    # it), the authorizers' notifications and the audit event (settlement/writers.py).
    writers.settlement_write(
        settlement=settlement, parts=parts,
        notifications=_paid_notifications(parts, member=patient, institution=institution, today=today),
        link=reverse_remembered("money:spending"),  # reversing cost as much as planning the payment
        memo=f"{institution.name} {Category(settlement.category).label}"[:200],
        audit=writers.audit_of(settlement, after={**settlement.reply, "institution": institution.fixmedins_code}),
        refusals=refusal_codes(plan.notes, channel="api"), refusal_region=patient.region_id)
    return Outcome(reply=settlement.reply, created=True)


def _parts(*, patient: InsuredPerson, own: PersonalAccount | None, plan: PaymentPlan,
           reserves: dict | None = None) -> list[tuple]:
    """(account, payer, source, binding, relation, amount, reserve) for each account that pays, in paying order;
    `reserve` is the quota a payment draws on (source `quota`), else None."""
    parts = []
    if plan.own > 0:
        parts.append((own, patient, Payment.Source.OWN, None, SELF, plan.own, None))
    for source, pay in plan.shared:
        binding = source.binding
        reserve = (reserves or {}).get(binding.pk) if source.quota else None
        kind = Payment.Source.QUOTA if reserve is not None else Payment.Source.SHARED
        parts.append((binding.authorizer.account, binding.authorizer, kind, binding, binding.relation, pay, reserve))
    return parts


# --- refunds -------------------------------------------------------------------------------------------------


def refund_create(*, institution: Institution, api_key, settlement_id, body: dict) -> Outcome:
    """Refund part or all of a settlement. A partial refund reverses the settlement and re-settles the smaller
    bill (sharing.eligibility.payment.resettle): cash comes back first, then the shared accounts in reverse
    paying order, then the patient's own account. A full refund returns every account what it paid.

    `api_key`: the key as the API's per-process cache holds it; the transaction's first statement checks it is
    still valid (settlement.loaders.KeyNotValid if not), so a revoked key refunds nothing."""
    digest = request_hash({"settlement_id": str(settlement_id), "request_id": body["request_id"],
                           "amount": money(body["amount"])})
    try:
        return _refund(institution=institution, api_key=api_key, settlement_id=settlement_id, body=body,
                       digest=digest)
    except Refused as refused:
        if refused.reason.code != api_reasons.REFUND_EXCEEDS_PAID.code:
            raise
        # A concurrent retry of this very request may have committed while we waited for the settlement's lock
        # (the stored-refund read of the first statement did not see it): answer as it did.
        stored = _stored(Refund, institution=institution, request_id=body["request_id"], digest=digest)
        if stored:
            return stored
        raise
    except IntegrityError as exc:
        if "refund_request_once" not in str(exc):
            raise
    stored = _stored(Refund, institution=institution, request_id=body["request_id"], digest=digest)
    if stored is None:  # pragma: no cover
        raise Refused(api_reasons.REQUEST_ID_CONFLICT)
    return stored


@transaction.atomic
def _refund(*, institution: Institution, api_key, settlement_id, body: dict, digest: str) -> Outcome:
    # Locking the settlement row serialises refunds of one settlement; accounts are locked after it, in id order,
    # then the open quotas (settlement/refunds.py).
    settlement = refunds.settlement_load(api_key=api_key, settlement_id=settlement_id, request_id=body["request_id"])
    if settlement is None:
        raise Refused(api_reasons.SETTLEMENT_NOT_FOUND)
    if settlement["stored"] is not None:
        stored_hash, stored_reply = settlement["stored"]
        if stored_hash != digest:
            raise Refused(api_reasons.REQUEST_ID_CONFLICT)
        return Outcome(reply=stored_reply, created=False)
    amount: Decimal = body["amount"]
    left = settlement["amount"] - settlement["refunded"]
    if amount > left:
        raise Refused(api_reasons.REFUND_EXCEEDS_PAID.with_detail(refundable=money(left)))
    # Payment ids follow the paying order: own account first, then the shared accounts as they paid.
    payments = refunds.payments_load(settlement["id"])
    # A refund goes back into a quota while it is open (its binding live), else to the authorizer's spendable
    # balance (rules.md, "Quotas").
    open_reserves = refunds.reserves_lock({p["reserve_id"] for p in payments if p["reserve_id"]})
    refund = Refund(institution=institution, settlement_id=settlement["id"], request_id=body["request_id"],
                    request_hash=digest, amount=amount, reply={})
    # What each account pays once the bill is `amount` smaller; each gets back what it paid beyond that.
    kept = resettle([p["amount"] - p["refunded"] for p in payments], left - amount)
    own_back, shared_back, payers, lines = ZERO, ZERO, [], []
    for payment, keep in reversed(list(zip(payments, kept, strict=True))):
        back = payment["amount"] - payment["refunded"] - keep
        if back <= 0:
            continue
        reserve = payment["reserve_id"] if payment["reserve_id"] in open_reserves else None
        lines.append((payment["id"], payment["account_id"], reserve, back))
        if payment["source"] == Payment.Source.OWN:
            own_back += back
        else:
            shared_back += back
        payers.append({"source": payment["source"], "name": mask_name(payment["payer_name"]),
                       "relation": payment["relation"], "amount": money(back)})
    refund.reply = {
        "refund_id": str(refund.pk), "settlement_id": str(settlement["id"]), "request_id": refund.request_id,
        "amount": money(amount), "acct_refund": money(own_back), "acct_mulaid_refund": money(shared_back),
        "cash_refund": money(amount - own_back - shared_back), "payers": payers,
    }
    # The refund's regions for officials' scope: the patient's, then the institution's (Refund.audit_regions).
    regions = list(dict.fromkeys(r for r in (settlement["patient_region"], institution.region_id) if r))
    audit = audit_values(actor=None, subject=refund, event="settlement.refund", channel="api",
                         region=regions[0] if regions else None,
                         after={**refund.reply, "institution": institution.fixmedins_code})
    audit["other_region_id"] = regions[1] if len(regions) > 1 else None
    refunds.refund_write(refund=refund, lines=lines, memo=f"{institution.name} refund"[:200], audit=audit)
    return Outcome(reply=refund.reply, created=True)


# --- side effects --------------------------------------------------------------------------------------------


def _audit(**kwargs) -> None:
    from audit.services import audit_record

    # The actor is an institution, not a user: the system label, with the institution code in `after`.
    audit_record(actor=None, channel="api", **kwargs)


def _paid_notifications(parts: list[tuple], *, member: InsuredPerson, institution: Institution,
                        today: datetime.date) -> list[tuple]:
    """An in-site message to each authorizer who paid (notifications.services.notification_values each)."""
    from notifications.messages import message as _  # rendered in the reader's language
    from notifications.services import notification_values

    paid = [(payer, pay) for _account, payer, kind, _binding, _relation, pay, _reserve in parts
            if kind in (Payment.Source.SHARED, Payment.Source.QUOTA)]
    if not paid:
        return []
    title = _("Your personal account paid for %(member)s") % {"member": member.name}
    today = today.isoformat()
    # In-site only: an SMS for every pharmacy purchase would be noise; the spending page has the detail.
    return [notification_values(payer, title, _("¥%(amount)s at %(institution)s on %(date)s.") % {
        "amount": money(amount), "institution": institution.name, "date": today}) for payer, amount in paid]
