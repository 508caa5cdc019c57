"""Issue 14, clarity: who shares with me (live first), open-ended validity, the wizard's step count, no repeated
confirmation, and the home page of a logged-in citizen."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sharing.models import Binding


@pytest.mark.django_db
def test_who_shares_with_me_lists_live_bindings_first_and_the_others_under_their_own_heading(client, alice, bob,
                                                                                           make_citizen, bind):
    from sharing.services import binding_unbind

    mother = make_citizen(name="张母", birth=datetime.date(1958, 1, 1), balance="10.00")
    live = bind(mother, alice.person, "child")
    ended = bind(bob, alice.person, "spouse")
    Binding.objects.filter(pk=ended.pk).update(status="active")
    binding_unbind(binding=Binding.objects.get(pk=ended.pk), actor=bob)
    client.force_login(alice)
    response = client.get(reverse("sharing:my_authorizers"))
    assert [b.pk for b in response.context["live"]] == [live.pk]
    assert [b.pk for b in response.context["past"]] == [ended.pk]
    page = response.content.decode()
    heading = page.index("以往的申请和已终止的绑定")
    assert page.index(f'data-binding="{live.pk}"') < heading < page.index(f'data-binding="{ended.pk}"')


@pytest.mark.django_db
def test_an_open_ended_binding_reads_as_valid_indefinitely(client, alice, charlie, bind):
    binding = bind(alice, charlie, valid_from=timezone.localdate())
    client.force_login(alice)
    for url in (reverse("sharing:records"), reverse("sharing:binding_detail", args=[binding.pk])):
        page = client.get(url).content.decode()
        assert "长期有效" in page and "– …" not in page


@pytest.mark.django_db
def test_the_wizard_says_which_step_of_how_many(client, alice):
    client.force_login(alice)
    page = client.get(reverse("sharing:bind_relation")).content.decode()
    assert "第1步，共6步" in page  # Jiangsu uses validity periods: relationship, member, dates, letter, sign, check


@pytest.mark.django_db
def test_the_confirmation_page_does_not_repeat_itself_as_a_flash(client, alice, charlie):
    from sharing.tests.test_wizard import walk_to_sign

    client.force_login(alice)
    walk_to_sign(client, charlie)
    client.post(reverse("sharing:bind_sign"), {"method": "typed", "typed_name": alice.person.name})
    response = client.post(reverse("sharing:bind_check"), follow=True)
    assert response.status_code == 200 and "data-reference" in response.content.decode()
    assert list(response.context["messages"]) == []


@pytest.mark.django_db
def test_the_home_page_of_a_logged_in_citizen_shows_their_own_situation(client, alice, bob, charlie, bind):
    bind(alice, charlie)
    bind(bob, alice.person, "spouse")  # waits for alice's answer
    client.force_login(alice)
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert "my-situation" in page and "3000.00" in page and charlie.name in page
    assert reverse("sharing:consent_inbox") in page.split("my-situation", 1)[1]
    client.logout()
    assert "my-situation" not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_the_page_a_citizen_lands_on_after_login_shows_a_waiting_request_as_a_banner(client, alice, bob, bind):
    bind(bob, alice.person, "spouse")
    response = client.post(reverse("accounts:login"), {"username": alice.mobile, "password": "Correct-Horse-42"},
                           follow=True)
    page = response.content.decode()
    banner = page.split('class="alert alert-warning waiting-banner"', 1)[1].split("</div>", 1)[0]
    assert reverse("sharing:consent_inbox") in banner and reverse("notifications:inbox") in banner


@pytest.mark.django_db
def test_the_records_link_to_what_the_account_paid_for_that_member(client, alice, charlie, bind):
    binding = bind(alice, charlie)
    client.force_login(alice)
    link = f'{reverse("money:spending")}?who={charlie.pk}'
    for url in (reverse("sharing:records"), reverse("sharing:binding_detail", args=[binding.pk])):
        assert f'href="{link}"' in client.get(url).content.decode()
    response = client.get(link)
    assert response.status_code == 200 and response.context["form"].is_valid()
    assert response.context["form"].cleaned_data["who"] == str(charlie.pk)
