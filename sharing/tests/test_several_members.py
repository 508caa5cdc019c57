"""Several members in one application (江苏医保云's 增加使用人): one wizard run, one letter signed once, one binding
per member with its own verdict; the refused ones are listed with their reasons and the rest go through."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from sharing.applications import bindings_create_many, signed_payload_many
from sharing.models import Binding
from sharing.services import current_letter


@pytest.fixture
def mother(make_person):
    return make_person(name="张母", birth=datetime.date(1958, 1, 1), insutype="390", sex="F")


@pytest.fixture
def in_law(make_person):
    return make_person(name="王婆婆", birth=datetime.date(1957, 1, 1), insutype="390", sex="F")


def entry(person, relation):
    return {"relation": relation, "member": person, "member_name": person.name, "member_certno": person.certno}


@pytest.mark.django_db
def test_each_member_gets_their_own_verdict_and_one_refusal_stops_nobody_else(alice, charlie, mother, in_law, sign):
    verdicts = bindings_create_many(**sign(alice), entries=[
        entry(charlie, "child"), entry(in_law, "parent_in_law"), entry(mother, "parent")])
    assert [bool(v.binding) for v in verdicts] == [True, False, True]
    assert [r.code for r in verdicts[1].reasons] == ["RELATION_NOT_ALLOWED"]
    bindings = Binding.objects.filter(authorizer=alice.person)
    assert {b.member for b in bindings} == {charlie, mother} and {b.status for b in bindings} == {"active"}


@pytest.mark.django_db
def test_the_letter_is_signed_once_for_all_members(alice, charlie, mother, sign):
    verdicts = bindings_create_many(**sign(alice), entries=[entry(charlie, "child"), entry(mother, "parent")])
    text = signed_payload_many(letter=current_letter(), authorizer=alice.person,
                               members=[(charlie, "child"), (mother, "parent")])
    assert charlie.certno in text and mother.certno in text
    assert {v.binding.letter_sha256 for v in verdicts} == {hashlib.sha256(text.encode()).hexdigest()}
    assert len({v.binding.signed_at for v in verdicts}) <= 2  # signed in the same submission


@pytest.mark.django_db
def test_a_second_spouse_in_the_same_application_is_refused(alice, bob, make_person, sign):
    other = make_person(name="另一人", birth=datetime.date(1983, 1, 1), sex="M")
    verdicts = bindings_create_many(**sign(alice), entries=[entry(bob.person, "spouse"), entry(other, "spouse")])
    assert verdicts[0].binding.status == "awaiting_consent"
    assert [r.code for r in verdicts[1].reasons] == ["SECOND_SPOUSE"]


# The wizard -------------------------------------------------------------------------------------------------------

@pytest.fixture
def logged_in(client, alice):
    client.force_login(alice)
    return client


def add_member(client, person, relation):
    assert client.post(reverse("sharing:bind_relation"), {"relation": relation}).status_code == 302
    response = client.post(reverse("sharing:bind_member"), {"name": person.name, "certno": person.certno})
    assert response.status_code == 302, response.content.decode()[:2000]
    if response.url == reverse("sharing:bind_dates"):
        response = client.post(reverse("sharing:bind_dates"), {"valid_from": timezone.localdate().isoformat()})
    assert response.url == reverse("sharing:bind_letter")


def read_and_sign(client):
    assert client.post(reverse("sharing:bind_letter"), {"read": "on"}).url == reverse("sharing:bind_sign")
    assert client.post(reverse("sharing:bind_sign"), {"method": "typed", "typed_name": "张丽"}).url == \
        reverse("sharing:bind_check")


@pytest.mark.django_db
def test_the_wizard_binds_several_members_with_one_signature(logged_in, alice, charlie, mother):
    logged_in.get(reverse("sharing:bind_start"))
    add_member(logged_in, charlie, "child")
    read_and_sign(logged_in)
    assert logged_in.post(reverse("sharing:bind_add_another")).url == reverse("sharing:bind_relation")
    add_member(logged_in, mother, "parent")
    letter = logged_in.get(reverse("sharing:bind_letter")).content.decode()
    parties = letter.split('class="letter-parties"', 1)[1].split("</section>", 1)[0]
    assert charlie.name in parties and mother.name in parties
    read_and_sign(logged_in)
    check = logged_in.get(reverse("sharing:bind_check")).content.decode()
    assert charlie.name in check and mother.name in check
    response = logged_in.post(reverse("sharing:bind_check"))
    assert response.url == reverse("sharing:bind_results")
    bindings = Binding.objects.filter(authorizer=alice.person)
    assert {b.member for b in bindings} == {charlie, mother}
    assert len({b.letter_sha256 for b in bindings}) == 1
    results = logged_in.get(response.url)
    html = results.content.decode()
    assert all(b.reference in html for b in bindings) and results.context["refused"] == []
    assert "bind_wizard" not in logged_in.session


@pytest.mark.django_db
def test_the_wizard_lists_the_refused_member_with_reasons_and_binds_the_rest(logged_in, alice, charlie, mother, bind):
    add_member(logged_in, charlie, "child")
    read_and_sign(logged_in)
    logged_in.post(reverse("sharing:bind_add_another"))
    add_member(logged_in, mother, "parent")
    read_and_sign(logged_in)
    bind(alice, charlie)  # meanwhile, in another tab
    response = logged_in.post(reverse("sharing:bind_check"))
    results = logged_in.get(response.url)
    (refused,) = results.context["refused"]
    assert refused["name"] == charlie.name and [r.code for r in refused["reasons"]] == ["ALREADY_BOUND"]
    assert [b.member for b in results.context["bound"]] == [mother]
    html = results.content.decode()
    assert "ALREADY_BOUND" in html and charlie.name in html and results.context["bound"][0].reference in html


@pytest.mark.django_db
def test_a_member_added_earlier_can_be_removed_and_the_letter_is_signed_again(logged_in, alice, charlie, mother):
    add_member(logged_in, charlie, "child")
    read_and_sign(logged_in)
    logged_in.post(reverse("sharing:bind_add_another"))
    add_member(logged_in, mother, "parent")
    read_and_sign(logged_in)
    logged_in.post(reverse("sharing:bind_remove_other", args=[0]))
    assert logged_in.get(reverse("sharing:bind_check")).url == reverse("sharing:bind_letter")
    read_and_sign(logged_in)
    response = logged_in.post(reverse("sharing:bind_check"))
    binding = Binding.objects.get(authorizer=alice.person)
    assert binding.member == mother and response.url == reverse("sharing:bind_done", args=[binding.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("name, args", [("bind_add_another", []), ("bind_remove_other", [0])])
def test_adding_and_removing_accept_post_only(logged_in, name, args):
    # A GET goes back to the check page instead of a bare 405; other methods are refused.
    response = logged_in.get(reverse(f"sharing:{name}", args=args))
    assert response.status_code == 302 and response.url == reverse("sharing:bind_check")
    assert logged_in.put(reverse(f"sharing:{name}", args=args)).status_code == 405


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("sharing:bind_results"))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.django_db
def test_the_results_page_without_an_application_goes_to_the_records(logged_in):
    assert logged_in.get(reverse("sharing:bind_results")).url == reverse("sharing:records")
