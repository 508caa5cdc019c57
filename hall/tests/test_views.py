import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from hall.models import Visit
from hall.uploads import MAX_SCAN_BYTES
from sharing.models import Binding
from sharing.tests.pngs import data_url, png

SIGN = data_url(png())


@pytest.fixture
def staff_client(client, hall_staff):
    client.force_login(hall_staff)
    return client


def _open(client, person, *documents):
    response = client.post(reverse("hall:workspace"), {"certno": person.certno, "documents": ["id_card", *documents]})
    assert response.status_code == 302, response.content
    return Visit.objects.get(ended_at__isnull=True)


def _url(name, visit, *args):
    return reverse(f"hall:{name}", args=[visit.pk, *args])


def test_staff_open_a_visit_by_posting_the_id_number_with_the_id_card_checked(staff_client, grandpa):
    visit = _open(staff_client, grandpa)
    assert visit.citizen == grandpa and visit.documents == ["id_card"]
    page = staff_client.get(_url("visit", visit))
    assert page.status_code == 200 and grandpa.certno in page.text and "¥800.00" in page.text
    assert "no-store" in page["Cache-Control"]


def test_a_visit_is_not_opened_without_the_id_card_ticked(staff_client, grandpa):
    response = staff_client.post(reverse("hall:workspace"), {"certno": grandpa.certno, "documents": []})
    assert response.status_code == 200 and "error-summary" in response.text and not Visit.objects.exists()


def test_another_province_is_refused_with_its_reason(staff_client, make_person):
    beijing = make_person(name="北京人", address="110105", region="110000", balance="777.00")
    response = staff_client.post(reverse("hall:workspace"), {"certno": beijing.certno, "documents": ["id_card"]})
    assert "OUTSIDE_HALL_SCOPE" in response.text and "777.00" not in response.text


def test_the_overview_shows_bindings_both_ways_and_pending_requests_without_a_web_account(
        staff_client, alice, bob, charlie, bind):
    from sharing.services import binding_create

    bind(alice, charlie)
    binding_create(authorizer=bob.person, relation="spouse", member=alice.person, actor=bob,
                   signature_method="typed", typed_name=bob.person.name)
    visit = _open(staff_client, alice.person)
    page = staff_client.get(_url("visit", visit)).text
    assert charlie.name in page and bob.person.name in page and _url("consent", visit, Binding.objects.get(
        relation="spouse").pk) in page


def test_another_staff_members_or_an_ended_visit_answers_404(client, staff_client, grandpa, hall_staff):
    from accounts.models import User

    visit = _open(staff_client, grandpa)
    other = User.objects.create_user(username="hall_other", password="x-Correct-42", role="staff",
                                     hall=hall_staff.hall)
    client.force_login(other)
    assert client.get(_url("visit", visit)).status_code == 404
    client.force_login(hall_staff)
    client.post(_url("end", visit))
    assert client.get(_url("visit", visit)).status_code == 404


def test_a_binding_of_another_citizen_swapped_into_the_url_answers_404(staff_client, alice, charlie, bind, grandpa):
    other = bind(alice, charlie)
    visit = _open(staff_client, grandpa)
    assert staff_client.get(_url("unbind", visit, other.pk)).status_code == 404
    assert staff_client.post(_url("unbind", visit, other.pk)).status_code == 404
    assert staff_client.get(_url("receipt", visit, other.pk)).status_code == 404
    assert Binding.objects.get(pk=other.pk).status == "active"


def test_citizens_and_anonymous_users_never_reach_a_visit(client, staff_client, grandpa, alice):
    visit = _open(staff_client, grandpa)
    client.logout()
    assert client.get(_url("visit", visit)).status_code == 302
    client.force_login(alice)
    assert client.get(_url("visit", visit)).status_code == 404


def test_wrong_methods_are_refused(staff_client, grandpa):
    visit = _open(staff_client, grandpa)
    assert staff_client.get(_url("documents", visit)).status_code == 405
    assert staff_client.post(_url("receipt", visit, visit.pk)).status_code == 405


def _bind_answers(client, visit, member, relation="child", **extra):
    from django.utils import timezone

    return client.post(_url("bind", visit), {"relation": relation, "name": member.name, "certno": member.certno,
                                              "dates-valid_from": timezone.localdate().isoformat(), **extra})


def test_a_full_tablet_binding_ends_on_a_receipt_with_the_reference(staff_client, grandpa, son, hall_staff):
    visit = _open(staff_client, grandpa)
    answered = _bind_answers(staff_client, visit, son)
    assert answered.status_code == 302, answered.text[answered.text.find("<main"):][:3000]
    assert answered.url == _url("bind_letter", visit)
    letter = staff_client.get(_url("bind_letter", visit))
    assert son.name in letter.text and _url("bind_scan", visit) in letter.text
    assert staff_client.post(_url("bind_sign", visit), {"signature": SIGN}).url == _url("bind_check", visit)
    done = staff_client.post(_url("bind_check", visit))
    binding = Binding.objects.get()
    assert done.url == _url("receipt", visit, binding.pk)
    assert binding.channel == "hall" and binding.staff == hall_staff and binding.status == "active"
    assert binding.reference in staff_client.get(done.url).text


def test_an_empty_tablet_signature_is_refused(staff_client, grandpa, son):
    visit = _open(staff_client, grandpa)
    _bind_answers(staff_client, visit, son)
    response = staff_client.post(_url("bind_sign", visit), {"signature": data_url(png(ink=False))})
    assert response.status_code == 200 and "error-summary" in response.text


def test_the_engines_refusal_is_shown_with_its_code(staff_client, grandpa, make_person):
    in_law = make_person(name="李岳", birth=datetime.date(1930, 1, 1))
    visit = _open(staff_client, grandpa, "household_register")
    response = _bind_answers(staff_client, visit, in_law, relation="parent_in_law", note="户口簿")
    assert response.status_code == 200 and "RELATION_NOT_ALLOWED" in response.text
    assert 'name="note"' not in response.text  # no override offered for any other refusal
    from audit.models import RefusalEntry

    assert list(RefusalEntry.objects.values_list("code", "channel")) == [("RELATION_NOT_ALLOWED", "hall")]


def _pdf(size=None) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n" if size is None else b"%PDF-" + b"0" * size + b"%%EOF"
    return SimpleUploadedFile("letter.pdf", body, content_type="application/pdf")


def test_a_scanned_signed_letter_is_attached_and_hashed(staff_client, grandpa, son):
    visit = _open(staff_client, grandpa)
    _bind_answers(staff_client, visit, son)
    response = staff_client.post(_url("bind_scan", visit), {"scan": _pdf()})
    binding = Binding.objects.get()
    assert response.status_code == 302 and binding.signature_method == "scanned"
    assert binding.signature_mime == "application/pdf" and len(binding.signature_sha256) == 64


def test_a_file_that_only_claims_to_be_a_pdf_is_refused(staff_client, grandpa, son):
    visit = _open(staff_client, grandpa)
    _bind_answers(staff_client, visit, son)
    fake = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = staff_client.post(_url("bind_scan", visit), {"scan": fake})
    assert response.status_code == 200 and "error-summary" in response.text and not Binding.objects.exists()


def test_an_oversized_scan_is_refused(staff_client, grandpa, son):
    visit = _open(staff_client, grandpa)
    _bind_answers(staff_client, visit, son)
    response = staff_client.post(_url("bind_scan", visit), {"scan": _pdf(size=MAX_SCAN_BYTES)})
    assert response.status_code == 200 and "error-summary" in response.text and not Binding.objects.exists()


def test_the_override_is_offered_only_with_the_document_and_recorded_on_the_binding(staff_client, grandpa,
                                                                                   make_person, hall_staff):
    step_child = make_person(name="张晓", birth=datetime.date(1965, 5, 1), insutype="390")
    visit = _open(staff_client, grandpa)
    refused = _bind_answers(staff_client, visit, step_child)
    assert "RELATION_IMPLAUSIBLE" in refused.text and 'name="note"' not in refused.text
    staff_client.post(_url("documents", visit), {"documents": ["household_register"]})
    offered = _bind_answers(staff_client, visit, step_child)
    assert 'name="note"' in offered.text
    assert _bind_answers(staff_client, visit, step_child, note="户口簿：继子").status_code == 302
    staff_client.post(_url("bind_sign", visit), {"signature": SIGN})
    staff_client.post(_url("bind_check", visit))
    binding = Binding.objects.get()
    assert binding.override_document == "household_register" and binding.override_staff == hall_staff


def test_both_spouses_present_sign_on_the_tablet_and_the_binding_is_active_at_once(staff_client, grandpa, grandma):
    visit = _open(staff_client, grandpa)
    staff_client.post(_url("companion", visit), {"certno": grandma.certno, "documents": ["id_card"]})
    _bind_answers(staff_client, visit, grandma, relation="spouse")
    assert staff_client.post(_url("bind_sign", visit), {"signature": SIGN}).url == _url("bind_sign_spouse", visit)
    staff_client.post(_url("bind_sign_spouse", visit), {"signature": SIGN})
    staff_client.post(_url("bind_check", visit))
    assert Binding.objects.get().status == "active"


def test_a_spouse_at_the_counter_agrees_with_a_signature(staff_client, alice, bob):
    from sharing.services import binding_create

    request = binding_create(authorizer=alice.person, relation="spouse", member=bob.person, actor=alice,
                             signature_method="typed", typed_name=alice.person.name)
    visit = _open(staff_client, bob.person)
    unsigned = staff_client.post(_url("consent", visit, request.pk), {"answer": "agree", "signature": ""})
    assert unsigned.status_code == 200 and "error-summary" in unsigned.text
    staff_client.post(_url("consent", visit, request.pk), {"answer": "agree", "signature": SIGN})
    assert Binding.objects.get().status == "active"


def test_unbinding_asks_for_confirmation_first(staff_client, alice, charlie, bind):
    binding = bind(alice, charlie)
    visit = _open(staff_client, alice.person)
    page = staff_client.get(_url("unbind", visit, binding.pk))
    assert page.status_code == 200 and Binding.objects.get().status == "active"
    staff_client.post(_url("unbind", visit, binding.pk))
    assert Binding.objects.get().status == "ended"
    assert AuditEvent.objects.get(event="hall.unbound").after["documents"] == ["id_card"]


def test_an_adult_present_agrees_to_join_a_family_account(staff_client, alice, grandma):
    from family.services import family_member_add

    request = family_member_add(actor=alice, holder=alice.person, relation="parent", member_name=grandma.name,
                                member_certno=grandma.certno)
    visit = _open(staff_client, grandma)
    assert _url("family_answer", visit, request.pk) in staff_client.get(_url("visit", visit)).text
    staff_client.post(_url("family_answer", visit, request.pk), {"answer": "agree"})
    request.refresh_from_db()
    assert request.status == "active" and request.channel == "online"


def test_printing_spending_for_a_member_and_period(staff_client, alice, charlie, bind, api):
    from django.utils import timezone

    bind(alice, charlie)
    assert api.settle(charlie, "123.45")[0] == 201
    visit = _open(staff_client, alice.person)
    form = staff_client.get(_url("print_spending", visit))
    assert form.status_code == 200 and charlie.name in form.text
    bad = staff_client.get(_url("print_spending", visit), {"period": "2026-13"})
    assert "error-summary" in bad.text
    page = staff_client.get(_url("print_spending", visit), {"period": f"{timezone.localdate():%Y-%m}",
                                                            "member": charlie.pk})
    assert page.status_code == 200 and "print-header" in page.text and alice.person.masked_certno in page.text
    assert "¥123.45" in page.text
    last_year = staff_client.get(_url("print_spending", visit), {"period": str(timezone.localdate().year - 1)})
    assert "¥123.45" not in last_year.text


def test_printing_authorization_records(staff_client, alice, charlie, bind):
    binding = bind(alice, charlie)
    visit = _open(staff_client, alice.person)
    page = staff_client.get(_url("print_records", visit))
    assert binding.reference in page.text and "hall.css" in page.text


def test_ending_the_visit_forgets_the_citizen(staff_client, grandpa):
    visit = _open(staff_client, grandpa)
    response = staff_client.post(_url("end", visit))
    assert response.url == reverse("hall:workspace")
    assert grandpa.certno not in staff_client.get(reverse("hall:workspace")).text
    assert Visit.objects.get().ended_at is not None


def test_staff_who_open_a_citizen_page_are_sent_to_the_hall_workspace(staff_client):
    response = staff_client.get(reverse("sharing:records"))
    assert response.status_code == 403 and reverse("hall:workspace") in response.text


def test_officials_still_get_a_bare_404_on_citizen_pages(client, db):
    from accounts.models import User

    client.force_login(User.objects.create_user(username="official_t", password="x-Correct-42", role="official"))
    assert client.get(reverse("sharing:records")).status_code == 404


def test_a_spouse_at_the_counter_may_refuse_without_signing(staff_client, alice, bob):
    from sharing.services import binding_create

    request = binding_create(authorizer=alice.person, relation="spouse", member=bob.person, actor=alice,
                             signature_method="typed", typed_name=alice.person.name)
    visit = _open(staff_client, bob.person)
    staff_client.post(_url("consent", visit, request.pk), {"answer": "refuse", "signature": ""})
    assert Binding.objects.get().status == "refused"


def test_a_child_under_16_is_added_at_the_counter_with_the_household_register(staff_client, alice, make_person):
    from family.models import FamilyMembership

    child = make_person(name="张小小", birth=datetime.date(2020, 1, 1), insutype="390")
    visit = _open(staff_client, alice.person)
    refused = staff_client.post(_url("family_add_minor", visit), {"name": child.name, "certno": child.certno})
    assert "DOCUMENT_NOT_CHECKED" in refused.text and not FamilyMembership.objects.exists()
    staff_client.post(_url("documents", visit), {"documents": ["household_register"]})
    staff_client.post(_url("family_add_minor", visit), {"name": child.name, "certno": child.certno})
    assert FamilyMembership.objects.get().status == "active"


def test_a_family_request_of_someone_outside_the_visit_answers_404(staff_client, alice, grandma, grandpa):
    from family.services import family_member_add

    request = family_member_add(actor=alice, holder=alice.person, relation="parent", member_name=grandma.name,
                                member_certno=grandma.certno)
    visit = _open(staff_client, grandpa)
    assert staff_client.post(_url("family_answer", visit, request.pk), {"answer": "agree"}).status_code == 404


def test_every_page_of_a_visit_is_no_store(staff_client, grandpa, son):
    visit = _open(staff_client, grandpa)
    _bind_answers(staff_client, visit, son)
    for name in ["visit", "companion", "end", "bind", "bind_letter", "bind_sign", "bind_scan", "family_add_minor",
                 "print_records", "print_spending"]:
        response = staff_client.get(_url(name, visit))
        assert response.status_code == 200 and "no-store" in response["Cache-Control"], name
    assert "no-store" in staff_client.get(reverse("hall:workspace"))["Cache-Control"]


def test_the_overview_keeps_a_query_budget(staff_client, alice, charlie, bob, bind, make_person,
                                           django_assert_max_num_queries):
    bind(alice, charlie)
    for n in range(3):
        bind(alice, make_person(name=f"父母{n}", birth=datetime.date(1950, 1, 1) + datetime.timedelta(days=n)),
             relation="parent")
    visit = _open(staff_client, alice.person)
    with django_assert_max_num_queries(25):
        assert staff_client.get(_url("visit", visit)).status_code == 200


def test_staff_of_another_province_can_neither_open_a_visit_here_nor_reach_one(client, staff_client, grandpa):
    from accounts.models import User
    from registry.models import ServiceHall

    visit = _open(staff_client, grandpa)
    beijing_hall = ServiceHall.objects.create(name="北京市医保服务大厅", region_id="110000")
    beijing = User.objects.create_user(username="hall_bj", password="x-Correct-42", role="staff", hall=beijing_hall)
    client.force_login(beijing)
    assert client.get(_url("visit", visit)).status_code == 404
    response = client.post(reverse("hall:workspace"), {"certno": grandpa.certno, "documents": ["id_card"]})
    assert "OUTSIDE_HALL_SCOPE" in response.text and Visit.objects.count() == 1
