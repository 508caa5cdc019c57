import datetime

import pytest

from audit.models import AuditEvent
from core.reasons import Refused
from hall import services
from hall.models import CounterSignature, Visit
from hall.tests.conftest import SIGNATURE
from notifications import sms
from notifications.models import Notification
from sharing.models import Binding


def test_a_visit_opens_for_a_citizen_of_the_halls_province_with_the_id_card_checked(open_visit, grandpa, hall_staff):
    visit = open_visit(grandpa, "household_register")
    assert visit.citizen == grandpa and visit.hall == hall_staff.hall
    assert visit.documents == ["id_card", "household_register"]
    event = AuditEvent.objects.get(event="hall.visit_opened")
    assert event.actor == hall_staff and event.hall == hall_staff.hall and event.channel == "hall"
    assert event.after["documents"] == ["id_card", "household_register"]


def test_a_visit_needs_the_id_card_checked(hall_staff, grandpa):
    with pytest.raises(Refused) as refused:
        services.visit_open(staff=hall_staff, certno=grandpa.certno, documents=["household_register"])
    assert refused.value.reason.code == "ID_CARD_NOT_CHECKED" and not Visit.objects.exists()


def test_staff_cannot_open_a_visit_for_a_citizen_of_another_province(hall_staff, make_person):
    beijing = make_person(name="北京人", address="110105", region="110000")
    with pytest.raises(Refused) as refused:
        services.visit_open(staff=hall_staff, certno=beijing.certno, documents=["id_card"])
    assert refused.value.reason.code == "OUTSIDE_HALL_SCOPE"
    assert AuditEvent.objects.filter(event="hall.lookup_refused").exists()


def test_one_staff_member_serves_one_citizen_at_a_time(open_visit, grandpa, grandma):
    open_visit(grandpa)
    with pytest.raises(Refused) as refused:
        open_visit(grandma)
    assert refused.value.reason.code == "VISIT_ALREADY_OPEN"


def test_a_relative_present_is_identified_with_their_own_id_check(open_visit, grandpa, grandma):
    visit = open_visit(grandpa)
    with pytest.raises(Refused):
        services.visit_identify_companion(visit=visit, certno=grandma.certno, documents=[])
    visit = services.visit_identify_companion(visit=visit, certno=grandma.certno, documents=["id_card"])
    assert visit.companion == grandma and visit.companion_documents == ["id_card"]


def test_binding_for_the_citizen_goes_through_the_sharing_service_on_the_hall_channel(open_visit, grandpa, son,
                                                                                      hall_staff):
    visit = open_visit(grandpa)
    binding = services.counter_bind(visit=visit, relation="child", member=son, signature_method="drawn",
                                    signature_image=SIGNATURE[0], signature_mime=SIGNATURE[1])
    assert binding.status == "active" and binding.channel == "hall"
    assert binding.staff == hall_staff and binding.hall == hall_staff.hall and len(binding.signature_sha256) == 64
    action = AuditEvent.objects.get(event="hall.bound")
    assert action.after["reference"] == binding.reference and action.after["documents"] == ["id_card"]


def test_a_scanned_letter_is_kept_with_its_hash(open_visit, grandpa, son):
    import hashlib

    scan = b"%PDF-1.4\n...\n%%EOF\n"
    binding = services.counter_bind(visit=open_visit(grandpa), relation="child", member=son,
                                    signature_method="scanned", signature_image=scan,
                                    signature_mime="application/pdf")
    binding.refresh_from_db()
    assert bytes(binding.signature_image) == scan and binding.signature_sha256 == hashlib.sha256(scan).hexdigest()


def test_both_spouses_present_make_a_spouse_binding_active_at_once(open_visit, grandpa, grandma):
    visit = services.visit_identify_companion(visit=open_visit(grandpa), certno=grandma.certno, documents=["id_card"])
    binding = services.counter_bind(visit=visit, relation="spouse", member=grandma, signature_method="drawn",
                                    signature_image=SIGNATURE[0], signature_mime=SIGNATURE[1],
                                    spouse_signature=SIGNATURE)
    assert binding.status == "active"
    assert CounterSignature.objects.get(binding=binding).person == grandma


def test_a_spouse_who_is_not_present_cannot_sign_for_themselves(open_visit, grandpa, grandma):
    with pytest.raises(Refused) as refused:
        services.counter_bind(visit=open_visit(grandpa), relation="spouse", member=grandma, signature_method="drawn",
                              signature_image=SIGNATURE[0], signature_mime=SIGNATURE[1], spouse_signature=SIGNATURE)
    assert refused.value.reason.code == "NOT_PRESENT" and not Binding.objects.exists()


def _step_child(make_person):
    # Only 12 years younger than 张国华 (born 1953): RELATION_IMPLAUSIBLE for a child (a step-child), nothing else.
    return make_person(name="张晓", birth=datetime.date(1965, 5, 1), insutype="390")


def test_staff_who_saw_the_household_register_confirm_an_implausible_relation(open_visit, grandpa, make_person,
                                                                             hall_staff):
    member = _step_child(make_person)
    visit = open_visit(grandpa, "household_register")
    binding = services.counter_bind(visit=visit, relation="child", member=member, signature_method="drawn",
                                    signature_image=SIGNATURE[0], signature_mime=SIGNATURE[1],
                                    override_note="户口簿第3页：孙女")
    assert binding.status == "active" and binding.override_document == "household_register"
    assert binding.override_staff == hall_staff and binding.override_note == "户口簿第3页：孙女"
    assert AuditEvent.objects.get(event="binding.created").after["override_document"] == "household_register"


def test_no_override_without_the_document_recorded_in_the_visit(open_visit, grandpa, make_person):
    member = _step_child(make_person)
    with pytest.raises(Refused) as refused:
        services.counter_bind(visit=open_visit(grandpa, "birth_certificate"), relation="child", member=member,
                              signature_method="drawn", signature_image=SIGNATURE[0], signature_mime=SIGNATURE[1],
                              override_note="看过")
    assert refused.value.reason.code == "DOCUMENT_NOT_CHECKED"


def test_no_other_refusal_can_be_overridden(open_visit, grandpa, make_person):
    from sharing.services import BindingRefused

    nanjing_in_law = make_person(name="李岳", birth=datetime.date(1930, 1, 1), address="320102", region="320100")
    with pytest.raises(BindingRefused) as refused:
        services.counter_bind(visit=open_visit(grandpa, "household_register"), relation="parent_in_law",
                              member=nanjing_in_law, signature_method="drawn", signature_image=SIGNATURE[0],
                              signature_mime=SIGNATURE[1], override_note="户口簿")
    assert [r.code for r in refused.value.reasons] == ["RELATION_NOT_ALLOWED"]
    assert not Binding.objects.exists()


def test_an_override_does_not_lift_other_refusals_found_with_an_implausible_relation(open_visit, grandpa,
                                                                                    make_person):
    from sharing.services import BindingRefused

    ended = make_person(name="张停", birth=datetime.date(1990, 1, 1), status="ended")
    with pytest.raises(BindingRefused) as refused:
        services.counter_bind(visit=open_visit(grandpa, "household_register"), relation="parent", member=ended,
                              signature_method="drawn", signature_image=SIGNATURE[0], signature_mime=SIGNATURE[1],
                              override_note="户口簿")
    assert {"RELATION_IMPLAUSIBLE", "MEMBER_NOT_ENROLLED"} <= {r.code for r in refused.value.reasons}


def test_a_spouse_at_the_counter_agrees_to_a_pending_request(open_visit, alice, bob, bind):
    from sharing.services import binding_create

    request = binding_create(authorizer=alice.person, relation="spouse", member=bob.person, actor=alice,
                             signature_method="typed", typed_name=alice.person.name)
    visit = open_visit(bob.person)
    binding = services.counter_consent(visit=visit, binding=request, agree=True, signature=SIGNATURE)
    assert binding.status == "active" and CounterSignature.objects.filter(person=bob.person).exists()
    assert AuditEvent.objects.get(event="binding.consented").channel == "hall"


def test_nobody_answers_a_request_for_someone_not_in_the_visit(open_visit, alice, bob, grandpa):
    from sharing.services import binding_create

    request = binding_create(authorizer=alice.person, relation="spouse", member=bob.person, actor=alice,
                             signature_method="typed", typed_name=alice.person.name)
    with pytest.raises(Refused):
        services.counter_consent(visit=open_visit(grandpa), binding=request, agree=False, signature=None)


def test_unbinding_and_withdrawing_for_the_citizen(open_visit, alice, charlie, bob, bind):
    from sharing.services import binding_create

    active = bind(alice, charlie)
    request = binding_create(authorizer=alice.person, relation="spouse", member=bob.person, actor=alice,
                             signature_method="typed", typed_name=alice.person.name)
    visit = open_visit(alice.person)
    assert services.counter_unbind(visit=visit, binding=active).status == "ended"
    assert services.counter_unbind(visit=visit, binding=request).status == "withdrawn"


def test_an_adult_present_joins_a_relatives_family_account(open_visit, alice, grandma):
    from family.services import family_member_add

    request = family_member_add(actor=alice, holder=alice.person, relation="parent", member_name=grandma.name,
                                member_certno=grandma.certno)
    assert request.status == "awaiting_consent"
    membership = services.counter_family_answer(visit=open_visit(grandma), membership=request, agree=True)
    assert membership.status == "active"
    assert AuditEvent.objects.get(event="family.request_agreed").channel == "hall"


def test_a_minor_is_added_only_with_the_household_register(open_visit, alice, make_person):
    child = make_person(name="张小小", birth=datetime.date(2020, 1, 1), insutype="390")
    with pytest.raises(Refused) as refused:
        services.counter_family_add_minor(visit=open_visit(alice.person), member_name=child.name,
                                          member_certno=child.certno)
    assert refused.value.reason.code == "DOCUMENT_NOT_CHECKED"
    services.visit_end(visit=Visit.objects.get())
    membership = services.counter_family_add_minor(visit=open_visit(alice.person, "household_register"),
                                                   member_name=child.name, member_certno=child.certno)
    assert membership.status == "active" and membership.added_as_minor and membership.channel == "hall"


def test_an_adult_is_never_added_without_their_own_agreement(open_visit, alice, grandma):
    with pytest.raises(Refused) as refused:
        services.counter_family_add_minor(visit=open_visit(alice.person, "household_register"),
                                          member_name=grandma.name, member_certno=grandma.certno)
    assert refused.value.reason.code == "ADULT_AGREES_THEMSELVES"


def test_ending_the_visit_sends_a_summary_and_closes_it(open_visit, grandpa, son,
                                                        django_capture_on_commit_callbacks):
    visit = open_visit(grandpa)
    with django_capture_on_commit_callbacks(execute=True):
        binding = services.counter_bind(visit=visit, relation="child", member=son, signature_method="drawn",
                                        signature_image=SIGNATURE[0], signature_mime=SIGNATURE[1])
        services.visit_end(visit=visit)
    visit.refresh_from_db()
    assert visit.ended_at is not None
    summary = sms.outbox[-1]
    assert summary[0] == grandpa.mobile and binding.reference in summary[1] and visit.hall.name in summary[1]
    assert Notification.objects.filter(recipient=grandpa, body__contains=binding.reference).exists()
    with pytest.raises(ValueError):
        services.counter_unbind(visit=visit, binding=binding)


def test_a_spouse_override_records_the_marriage_certificate_when_both_documents_were_seen(open_visit, make_person):
    # Married at 19 abroad: RELATION_IMPLAUSIBLE online (men 22).
    young = make_person(name="李青", birth=datetime.date(2006, 1, 1), balance="10.00")
    wife = make_person(name="王青", birth=datetime.date(2005, 1, 1), sex="F", insutype="390")
    visit = open_visit(young, "household_register", "marriage_certificate")
    binding = services.counter_bind(visit=visit, relation="spouse", member=wife, signature_method="drawn",
                                    signature_image=SIGNATURE[0], signature_mime=SIGNATURE[1],
                                    override_note="结婚证（境外登记）")
    assert binding.override_document == "marriage_certificate" and binding.status == "awaiting_consent"


def test_the_relatives_household_register_counts_for_the_override(open_visit, grandpa, make_person):
    member = _step_child(make_person)
    visit = services.visit_identify_companion(visit=open_visit(grandpa), certno=member.certno,
                                              documents=["id_card", "household_register"])
    binding = services.counter_bind(visit=visit, relation="child", member=member, signature_method="drawn",
                                    signature_image=SIGNATURE[0], signature_mime=SIGNATURE[1], override_note="户口簿")
    assert binding.override_document == "household_register"
