"""The counter: every action for a citizen goes through the same services as online (channel "hall", the staff
member and the hall), inside an open visit, and leaves an audit row naming the documents checked in person."""

import datetime
import hashlib

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.refusals import refusal_log
from audit.services import audit_record
from core.reasons import Refused
from family import eligibility as family_eligibility
from family import services as family_services
from family.models import FamilyMembership
from hall import reasons
from hall.models import CounterSignature, Document, Visit
from notifications.messages import MessageList
from notifications.messages import message as _  # texts of in-site messages, rendered when read
from notifications.services import notify
from registry import idnumber
from registry.models import InsuredPerson, Relation
from sharing import services as sharing_services
from sharing.counter import OVERRIDE_DOCUMENTS, RelationOverride
from sharing.eligibility.binding import member_lookup
from sharing.models import Binding

HALL = "hall"


def _documents(documents) -> list[str]:
    valid = [d for d in Document.values if d in set(documents or [])]
    return valid


def _find(certno: str) -> InsuredPerson | None:
    return InsuredPerson.objects.select_related("region__province").filter(certno=idnumber.normalize(certno)).first()


def _audit(visit: Visit, event: str, subject=None, **after) -> None:
    audit_record(actor=visit.staff, subject=subject if subject is not None else visit, event=event, hall=visit.hall,
                 channel=HALL, after={"visit": str(visit.pk), "citizen": visit.citizen.masked_certno,
                                      "documents": list(visit.documents),
                                      "companion": visit.companion.masked_certno if visit.companion_id else None,
                                      "companion_documents": list(visit.companion_documents), **after})


def _open(visit: Visit) -> Visit:
    """The visit, locked, if it is still open; staff act only inside an open visit."""
    locked = Visit.objects.select_for_update(of=("self",)).select_related("citizen", "companion", "staff", "hall").get(
        pk=visit.pk)
    if locked.ended_at is not None:
        raise ValueError("this visit has ended")
    return locked


def visit_open(*, staff, certno: str, documents) -> Visit:
    """Find the citizen by ID number within the hall's province and open a visit. Every lookup is audited, also
    a refused one (so the lookup's row is written outside the visit's transaction)."""
    documents = _documents(documents)
    hall = staff.hall
    person = _find(certno)
    in_scope = person is not None and person.region.province_id == hall.region.province_id
    audit_record(actor=staff, subject=("registry.insuredperson", person.pk if person else certno[-4:]),
                 region=person.region_id if person else None,
                 event="hall.lookup" if in_scope else "hall.lookup_refused", hall=hall, channel=HALL)
    refusal_log([] if in_scope else [reasons.PERSON_NOT_IN_REGISTRY if person is None else reasons.OUTSIDE_HALL_SCOPE],
                channel="hall", region=hall.region_id)
    if person is None:
        raise Refused(reasons.PERSON_NOT_IN_REGISTRY)
    if not in_scope:
        raise Refused(reasons.OUTSIDE_HALL_SCOPE)
    if Document.ID_CARD not in documents:
        raise Refused(reasons.ID_CARD_NOT_CHECKED)
    try:
        with transaction.atomic():
            visit = Visit.objects.create(hall=hall, staff=staff, citizen=person, documents=documents)
            _audit(visit, "hall.visit_opened")
    except IntegrityError:
        raise Refused(reasons.VISIT_ALREADY_OPEN) from None
    return visit


@transaction.atomic
def visit_record_documents(*, visit: Visit, documents, companion: bool = False) -> Visit:
    """Add documents checked in person during the visit (for the citizen, or the relative present)."""
    visit = _open(visit)
    field = "companion_documents" if companion else "documents"
    if companion and not visit.companion_id:
        raise Refused(reasons.NOT_PRESENT)
    setattr(visit, field, _documents([*getattr(visit, field), *documents]))
    visit.save(update_fields=[field])
    _audit(visit, "hall.documents_recorded")
    return visit


@transaction.atomic
def visit_identify_companion(*, visit: Visit, certno: str, documents) -> Visit:
    """A relative present (a spouse consenting, an adult joining a family account), found nationwide: they are
    identified only to act on their relationship with the citizen, and the engine decides what that allows."""
    visit = _open(visit)
    person = _find(certno)
    if person is None:
        raise Refused(reasons.PERSON_NOT_IN_REGISTRY)
    documents = _documents(documents)
    if Document.ID_CARD not in documents:
        raise Refused(reasons.ID_CARD_NOT_CHECKED)
    if person.pk == visit.citizen_id:
        raise Refused(reasons.NOT_PRESENT)
    visit.companion, visit.companion_documents = person, documents
    visit.save(update_fields=["companion", "companion_documents"])
    _audit(visit, "hall.companion_identified")
    return visit


def _done(visit: Visit, event: str, subject, reference: str = "", person_id=None) -> None:
    visit.actions = [*visit.actions, {"event": event, "reference": reference}]
    visit.save(update_fields=["actions"])
    _audit(visit, f"hall.{event}", subject=subject, reference=reference,
           for_person=str(person_id or visit.citizen_id))


SUMMARY = {
    "bound": lambda: _("binding %(reference)s signed"),
    "consented": lambda: _("spouse binding %(reference)s agreed"),
    "refused": lambda: _("spouse binding %(reference)s refused"),
    "unbound": lambda: _("binding %(reference)s ended"),
    "withdrawn": lambda: _("spouse request %(reference)s withdrawn"),
    "family_joined": lambda: _("joined a family account"),
    "family_declined": lambda: _("declined a family account"),
    "family_minor_added": lambda: _("a child added to the family account"),
    "printed": lambda: _("records printed"),
}


@transaction.atomic
def visit_end(*, visit: Visit) -> Visit:
    """End the visit: the workspace forgets the citizen; they get a summary (SMS if the registry has a mobile, and
    an in-site message for a web account they may have or open later)."""
    visit = _open(visit)
    visit.ended_at = timezone.now()
    visit.save(update_fields=["ended_at"])
    _audit(visit, "hall.visit_ended", actions=visit.actions)
    done = MessageList(SUMMARY[a["event"]]() % a for a in visit.actions if a["event"] in SUMMARY)
    values = {"hall": visit.hall.name, "time": timezone.localtime(visit.ended_at).strftime("%Y-%m-%d %H:%M"),
              "done": done if done else _("a consultation, nothing changed")}
    notify(person=visit.citizen, title=_("Your visit to the service hall"),
           body=_("%(hall)s, %(time)s: %(done)s. Questions? Ask at any service hall.") % values,
           link=reverse("sharing:records"))
    return visit


def _signature(visit: Visit, person: InsuredPerson, binding: Binding, purpose: str, image: bytes, mime: str) -> None:
    CounterSignature.objects.create(visit=visit, person=person, binding=binding, purpose=purpose, image=image,
                                    mime=mime, sha256=hashlib.sha256(image).hexdigest())


@transaction.atomic
def counter_bind(*, visit: Visit, relation: str, member: InsuredPerson, signature_method: str, signature_image: bytes,
                 signature_mime: str, valid_from: datetime.date | None = None,
                 valid_until: datetime.date | None = None, override_note: str = "",
                 spouse_signature: tuple[bytes, str] | None = None) -> Binding:
    """Bind for the citizen (the authorizer), signed on a tablet or on paper (scanned). With `override_note`, the
    relationship is confirmed with a document checked in this visit (sharing.counter: only RELATION_IMPLAUSIBLE).
    With `spouse_signature`, the spouse is the relative present and agrees at once: active with both signatures."""
    visit = _open(visit)
    override = None
    if override_note.strip():
        # The marriage certificate proves a spouse best, the household register everything else; either one, seen
        # for the citizen or for the relative present, is recorded in this visit.
        preferred = OVERRIDE_DOCUMENTS[::-1] if relation == Relation.SPOUSE else OVERRIDE_DOCUMENTS
        document = next((d for d in preferred if d in visit.all_documents), None)
        if document is None:
            raise Refused(reasons.DOCUMENT_NOT_CHECKED)
        override = RelationOverride(staff=visit.staff, document=document, note=override_note)
    if spouse_signature is not None and (relation != Relation.SPOUSE or member.pk != visit.companion_id):
        raise Refused(reasons.NOT_PRESENT)
    binding = sharing_services.binding_create(
        authorizer=visit.citizen, relation=relation, member=member, actor=visit.staff,
        signature_method=signature_method, signature_image=signature_image, signature_mime=signature_mime,
        valid_from=valid_from, valid_until=valid_until, channel=HALL, staff=visit.staff, hall=visit.hall,
        override=override)
    _done(visit, "bound", binding, binding.reference)
    if spouse_signature is not None:
        _signature(visit, member, binding, "consent", *spouse_signature)
        binding = sharing_services.binding_consent(binding=binding, agree=True, actor=visit.staff, channel=HALL,
                                                   staff=visit.staff)
        _done(visit, "consented", binding, binding.reference, person_id=member.pk)
    return binding


@transaction.atomic
def counter_consent(*, visit: Visit, binding: Binding, agree: bool, signature: tuple[bytes, str] | None) -> Binding:
    """A spouse at the counter (the citizen, or the relative present) answers a pending request after the ID check;
    agreeing is signed on the tablet."""
    visit = _open(visit)
    if binding.member_id not in visit.people_ids:
        raise Refused(reasons.NOT_PRESENT)
    if agree and signature is None:
        raise ValueError("agreeing is signed")
    binding = sharing_services.binding_consent(binding=binding, agree=agree, actor=visit.staff, channel=HALL,
                                               staff=visit.staff)
    if signature is not None:
        _signature(visit, binding.member, binding, "consent" if agree else "refusal", *signature)
    _done(visit, "consented" if agree else "refused", binding, binding.reference, person_id=binding.member_id)
    return binding


@transaction.atomic
def counter_unbind(*, visit: Visit, binding: Binding) -> Binding:
    """End an active binding the citizen gave or received, or withdraw a spouse request they sent."""
    visit = _open(visit)
    if visit.citizen_id not in (binding.authorizer_id, binding.member_id):
        raise Refused(reasons.NOT_PRESENT)
    if binding.status == Binding.Status.AWAITING_CONSENT and binding.authorizer_id == visit.citizen_id:
        binding = sharing_services.binding_withdraw(binding=binding, actor=visit.staff, channel=HALL,
                                                    staff=visit.staff)
        _done(visit, "withdrawn", binding, binding.reference)
    else:
        binding = sharing_services.binding_unbind(binding=binding, actor=visit.staff, staff=visit.staff,
                                                  channel=HALL)
        _done(visit, "unbound", binding, binding.reference)
    return binding


@transaction.atomic
def counter_family_answer(*, visit: Visit, membership: FamilyMembership, agree: bool) -> FamilyMembership:
    """An adult present (the citizen or the relative identified) agrees, or not, to join a family account."""
    visit = _open(visit)
    if membership.member_id not in visit.people_ids:
        raise Refused(reasons.NOT_PRESENT)
    membership = family_services.family_request_answer(actor=visit.staff, membership=membership, agree=agree,
                                                       hall=visit.hall)
    _done(visit, "family_joined" if agree else "family_declined", membership, person_id=membership.member_id)
    return membership


@transaction.atomic
def counter_family_add_minor(*, visit: Visit, member_name: str, member_certno: str) -> FamilyMembership:
    """The citizen adds their child under 16 to their family account, the household register checked in person."""
    visit = _open(visit)
    if Document.HOUSEHOLD_REGISTER not in visit.documents:
        raise Refused(reasons.DOCUMENT_NOT_CHECKED)
    member = member_lookup(member_name, member_certno)
    if member is not None and not family_eligibility.is_minor(member.age_on(timezone.localdate())):
        raise Refused(reasons.ADULT_AGREES_THEMSELVES)
    membership = family_services.family_member_add(
        actor=visit.staff, holder=visit.citizen, relation=Relation.CHILD, member_name=member_name,
        member_certno=member_certno, member_present=True, hall=visit.hall)
    _done(visit, "family_minor_added", membership)
    return membership


def visit_printed(*, visit: Visit, what: str) -> None:
    with transaction.atomic():
        _done(_open(visit), "printed", visit, what)
