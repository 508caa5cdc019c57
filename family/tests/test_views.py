import datetime
import re

import pytest
from django.urls import reverse

from family import reasons as family_reasons
from family import services
from family.models import CodeToken, FamilyMembership
from sharing import reasons as sharing_reasons
from tests.pages import shows


@pytest.fixture
def child_in_alices_account(alice, charlie, bind):
    bind(alice.person, charlie)
    return services.family_member_add(actor=alice, holder=alice.person, relation="child", member_name=charlie.name,
                                      member_certno=charlie.certno)


def test_anonymous_users_are_sent_to_log_in(client, db):
    for name in ["family:home", "family:add", "family:own_code"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_staff_are_sent_to_the_hall_workspace(client, hall_staff):
    client.force_login(hall_staff)
    response = client.get(reverse("family:home"))
    assert response.status_code == 403 and reverse("hall:workspace") in response.text


def test_the_home_page_lists_members_and_states_the_difference(client, alice, child_in_alices_account):
    client.force_login(alice)
    response = client.get(reverse("family:home"))
    assert response.status_code == 200
    assert "王小川" in response.text
    assert 'class="family-vs-sharing' in response.text
    assert reverse("family:code", args=[child_in_alices_account.pk]) in response.text


def test_the_home_page_issues_a_fixed_number_of_statements(client, alice, make_person, django_assert_num_queries,
                                                          hall):
    for i in range(5):
        kid = make_person(name=f"孩子{i}", birth=datetime.date(2012, 1, 1 + i), insutype="390")
        services.family_member_add(actor=alice, holder=alice.person, relation="child", member_name=kid.name,
                                   member_certno=kid.certno, member_present=True, hall=hall)
    client.force_login(alice)
    # The session with the user, their person and the navigation counts, members, requests with the accounts I am in.
    with django_assert_num_queries(3):
        response = client.get(reverse("family:home"))
    assert response.status_code == 200 and f'href="{reverse("family:add")}"' not in response.text


def test_adds_a_child_through_the_form(client, alice, charlie, bind):
    bind(alice.person, charlie)
    client.force_login(alice)
    response = client.post(reverse("family:add"), {"relation": "child", "member_name": charlie.name,
                                                   "member_certno": charlie.certno})
    assert response.status_code == 302
    assert FamilyMembership.objects.get(holder=alice.person, member=charlie).status == "active"


def test_a_refusal_shows_the_reason_code_and_keeps_the_input(client, alice, charlie):
    client.force_login(alice)
    response = client.post(reverse("family:add"), {"relation": "child", "member_name": "别人",
                                                   "member_certno": charlie.certno})
    assert response.status_code == 200
    assert shows(response, sharing_reasons.MEMBER_IDENTITY_MISMATCH) and charlie.certno in response.text


def test_the_add_page_says_when_the_limit_is_reached(client, alice, make_person, hall):
    for i in range(5):
        kid = make_person(name=f"孩子{i}", birth=datetime.date(2012, 1, 1 + i), insutype="390")
        services.family_member_add(actor=alice, holder=alice.person, relation="child", member_name=kid.name,
                                   member_certno=kid.certno, member_present=True, hall=hall)
    client.force_login(alice)
    response = client.get(reverse("family:add"))
    assert response.status_code == 200 and 'name="member_certno"' not in response.text


def test_the_code_page_shows_a_qr_code_of_a_fresh_token(client, alice, child_in_alices_account):
    client.force_login(alice)
    response = client.get(reverse("family:code", args=[child_in_alices_account.pk]))
    assert response.status_code == 200
    assert "<svg" in response.text and 'role="img"' in response.text
    assert "data-code-refresh-url" in response.text and "insurance-code.js" in response.text
    assert "<script>" not in response.text
    row = CodeToken.objects.get()
    assert row.member == child_in_alices_account.member and row.holder == alice.person
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_the_fragment_is_a_new_code_without_the_page_around_it(client, alice, child_in_alices_account):
    client.force_login(alice)
    first = client.get(reverse("family:code_fragment", args=[child_in_alices_account.pk])).text
    second = client.get(reverse("family:code_fragment", args=[child_in_alices_account.pk])).text
    assert "<svg" in first and "<html" not in first
    tokens = [re.search(r'class="code-text">([^<]+)<', t).group(1) for t in (first, second)]
    assert tokens[0] != tokens[1]


def test_the_own_code_page_works(client, alice):
    client.force_login(alice)
    assert "<svg" in client.get(reverse("family:own_code")).text


def test_outsiders_get_404_for_someone_elses_member(client, dave, child_in_alices_account):
    client.force_login(dave)
    for name in ["family:code", "family:code_fragment", "family:remove", "family:request"]:
        assert client.get(reverse(name, args=[child_in_alices_account.pk])).status_code == 404
    assert client.post(reverse("family:remove", args=[child_in_alices_account.pk])).status_code == 404
    assert CodeToken.objects.count() == 0


def test_the_member_cannot_answer_for_the_holder_and_vice_versa(client, alice, bob):
    membership = services.family_member_add(actor=alice, holder=alice.person, relation="spouse",
                                            member_name=bob.person.name, member_certno=bob.person.certno)
    client.force_login(alice)
    assert client.post(reverse("family:request_agree", args=[membership.pk])).status_code == 404
    client.force_login(bob)
    assert client.post(reverse("family:withdraw", args=[membership.pk])).status_code == 404


def test_the_adult_agrees_in_their_inbox(client, alice, bob):
    membership = services.family_member_add(actor=alice, holder=alice.person, relation="spouse",
                                            member_name=bob.person.name, member_certno=bob.person.certno)
    client.force_login(bob)
    page = client.get(reverse("family:request", args=[membership.pk]))
    assert page.status_code == 200 and reverse("family:request_agree", args=[membership.pk]) in page.text
    assert client.post(reverse("family:request_agree", args=[membership.pk])).status_code == 302
    membership.refresh_from_db()
    assert membership.status == "active"


def test_the_adult_refuses_in_their_inbox(client, alice, bob):
    membership = services.family_member_add(actor=alice, holder=alice.person, relation="spouse",
                                            member_name=bob.person.name, member_certno=bob.person.certno)
    client.force_login(bob)
    client.post(reverse("family:request_refuse", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.status == "refused"


def test_the_holder_removes_after_confirming(client, alice, child_in_alices_account):
    client.force_login(alice)
    url = reverse("family:remove", args=[child_in_alices_account.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    child_in_alices_account.refresh_from_db()
    assert child_in_alices_account.status == "removed"
    assert client.get(reverse("family:code", args=[child_in_alices_account.pk])).status_code == 404


def test_the_member_can_leave(client, alice, bob):
    membership = services.family_member_add(actor=alice, holder=alice.person, relation="spouse", member_present=True,
                                            member_name=bob.person.name, member_certno=bob.person.certno)
    client.force_login(bob)
    assert client.post(reverse("family:remove", args=[membership.pk])).status_code == 302
    membership.refresh_from_db()
    assert membership.status == "removed"


def test_a_child_without_proof_is_refused_with_the_next_step(client, dave, charlie):
    client.force_login(dave)
    response = client.post(reverse("family:add"), {"relation": "child", "member_name": charlie.name,
                                                   "member_certno": charlie.certno})
    assert response.status_code == 200 and shows(response, family_reasons.FAMILY_MINOR_NEEDS_PROOF)
    assert reverse("sharing:bind_start") in response.text
    assert not FamilyMembership.objects.filter(member=charlie).exists()


def test_withdrawing_a_request_answered_a_moment_ago_is_not_an_error(client, alice, bob, monkeypatch):
    from family import views

    membership = services.family_member_add(actor=alice, holder=alice.person, relation="spouse",
                                            member_name=bob.person.name, member_certno=bob.person.certno)
    found = views.membership_get_for_user

    def answered_meanwhile(*args, **kwargs):
        stale = found(*args, **kwargs)  # still waiting when the page looked ...
        services.family_request_answer(actor=bob, membership=membership, agree=True)  # ... bob agrees now
        return stale

    monkeypatch.setattr(views, "membership_get_for_user", answered_meanwhile)
    client.force_login(alice)
    response = client.post(reverse("family:withdraw", args=[membership.pk]), follow=True)
    assert response.status_code == 200 and shows(response, family_reasons.FAMILY_ALREADY_CHANGED)
    membership.refresh_from_db()
    assert membership.status == "active"


def test_the_holder_withdraws_a_waiting_request(client, alice, bob):
    membership = services.family_member_add(actor=alice, holder=alice.person, relation="spouse",
                                            member_name=bob.person.name, member_certno=bob.person.certno)
    client.force_login(alice)
    assert client.post(reverse("family:withdraw", args=[membership.pk])).status_code == 302
    membership.refresh_from_db()
    assert membership.status == "withdrawn"


def test_wrong_methods_are_refused(client, alice, child_in_alices_account):
    client.force_login(alice)
    pk = child_in_alices_account.pk
    assert client.post(reverse("family:home")).status_code == 405
    assert client.post(reverse("family:code", args=[pk])).status_code == 405
    assert client.post(reverse("family:code_fragment", args=[pk])).status_code == 405
    # A GET of an action goes back to its page (tests/test_post_only_urls.py); other methods are refused.
    assert client.put(reverse("family:withdraw", args=[pk])).status_code == 405
    assert client.put(reverse("family:request_agree", args=[pk])).status_code == 405
    assert client.put(reverse("family:request_refuse", args=[pk])).status_code == 405
    assert client.put(reverse("family:add")).status_code == 405
