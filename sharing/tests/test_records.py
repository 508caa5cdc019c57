"""Authorization records, unbinding, withdrawing, the member's view and the consent inbox."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sharing.models import Binding


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.fixture
def family(alice, bob, charlie, make_person, bind):
    """alice binds charlie (active), her mother (active) and bob (awaiting consent)."""
    mother = make_person(name="张母", birth=datetime.date(1958, 1, 1), insutype="390")
    return {"child": bind(alice, charlie), "mother": bind(alice, mother, "parent"),
            "spouse": bind(alice, bob.person, "spouse")}


@pytest.mark.django_db
def test_lists_every_binding_with_its_reason(client, alice, family):
    from sharing.services import binding_unbind

    binding_unbind(binding=family["mother"], actor=alice)
    client.force_login(alice)
    response = client.get(reverse("sharing:records"))
    rows = {b.pk: b for b in response.context["bindings"]}
    assert rows[family["child"].pk].effective == "active"
    assert rows[family["mother"].pk].effective == "ended"
    assert rows[family["spouse"].pk].reason.code == "SPOUSE_CONSENT_PENDING"
    # An ended binding says why (unbound), not just "ended"; so does a withdrawn request.
    assert "UNBOUND" in response.content.decode()


@pytest.mark.django_db
def test_a_withdrawn_request_and_a_refusal_say_why_with_a_link_to_the_records(client, alice, family):
    from sharing.services import binding_withdraw

    binding_withdraw(binding=family["spouse"], actor=alice)
    client.force_login(alice)
    text = client.get(reverse("sharing:records")).content.decode()
    assert 'class="reason-inline' in text.split(f'data-binding="{family["spouse"].pk}"', 1)[1].split("</tr>", 1)[0]
    # Binding the child again is refused (ALREADY_BOUND): the refusal links to the records page.
    client.post(reverse("sharing:bind_relation"), {"relation": "child"})
    response = client.post(reverse("sharing:bind_member"), {"name": family["child"].member.name,
                                                            "certno": family["child"].member.certno})
    page = response.content.decode()
    assert "ALREADY_BOUND" in page and f'href="{reverse("sharing:records")}"' in page.split("refusals-title", 1)[1]


@pytest.mark.django_db
def test_filters_by_status_including_expired_without_a_job(client, alice, family):
    Binding.objects.filter(pk=family["spouse"].pk).update(consent_deadline=timezone.now() - datetime.timedelta(1))
    client.force_login(alice)
    response = client.get(reverse("sharing:records"), {"status": "expired"})
    (row,) = response.context["bindings"]
    assert row.pk == family["spouse"].pk and row.reason.code == "CONSENT_EXPIRED"
    assert 'data-status="expired"' in response.content.decode()
    assert [b.pk for b in client.get(reverse("sharing:records"), {"status": "awaiting_consent"}).context["bindings"]] == []


@pytest.mark.django_db
def test_shows_a_refused_request_with_its_reason(client, alice, bob, family):
    from sharing.services import binding_consent

    binding_consent(binding=family["spouse"], agree=False, actor=bob)
    client.force_login(alice)
    response = client.get(reverse("sharing:binding_detail", args=[family["spouse"].pk]))
    assert response.context["reason"].code == "SPOUSE_REFUSED"


@pytest.mark.django_db
def test_keeps_the_records_query_count_constant(client, alice, make_person, bind):
    client.force_login(alice)
    bind(alice, make_person(birth=datetime.date(2010, 1, 1), insutype="390"))
    few = count_queries(client, reverse("sharing:records"))
    # The session with the user, their person and the navigation counts, the bindings, their quotas.
    assert few == 3
    for year in (2011, 2012, 2013, 2015):
        bind(alice, make_person(birth=datetime.date(year, 1, 1), insutype="390"))
    assert count_queries(client, reverse("sharing:records")) == few


@pytest.mark.django_db
def test_keeps_the_inbox_and_member_view_query_count_constant(client, bob, make_citizen, bind):
    client.force_login(bob)

    days = iter(range(1, 20))
    pending = []

    def spouse_of_bob():
        # A person has one live spouse binding at most (SECOND_SPOUSE): the earlier request is withdrawn first.
        from sharing.services import binding_withdraw

        if pending:
            binding_withdraw(binding=pending[-1], actor=pending[-1].authorizer.user)
        worker = make_citizen(birth=datetime.date(1986, 1, next(days)), sex="F")
        pending.append(bind(worker, bob.person, "spouse"))

    spouse_of_bob()
    inbox, mine = count_queries(client, reverse("sharing:consent_inbox")), count_queries(
        client, reverse("sharing:my_authorizers"))
    for _ in range(4):
        spouse_of_bob()
    assert count_queries(client, reverse("sharing:consent_inbox")) == inbox
    assert count_queries(client, reverse("sharing:my_authorizers")) == mine


@pytest.mark.django_db
def test_unbinds_after_the_password_is_entered_again(client, alice, family):
    client.force_login(alice)
    url = reverse("sharing:unbind", args=[family["child"].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"password": "wrong"})
    assert response.status_code == 200 and response.context["form"].has_error("password")
    family["child"].refresh_from_db()
    assert family["child"].status == "active"
    response = client.post(url, {"password": "Correct-Horse-42"})
    assert response.url == reverse("sharing:records")
    family["child"].refresh_from_db()
    assert family["child"].status == "ended"


@pytest.mark.django_db
def test_has_nothing_to_unbind_on_a_pending_request(client, alice, family):
    client.force_login(alice)
    response = client.post(reverse("sharing:unbind", args=[family["spouse"].pk]), {"password": "Correct-Horse-42"})
    assert response.status_code == 302
    family["spouse"].refresh_from_db()
    assert family["spouse"].status == "awaiting_consent"


@pytest.mark.django_db
def test_withdraws_a_pending_request_after_confirmation(client, alice, family):
    client.force_login(alice)
    url = reverse("sharing:withdraw", args=[family["spouse"].pk])
    assert client.get(url).status_code == 200
    assert client.post(url).url == reverse("sharing:records")
    family["spouse"].refresh_from_db()
    assert family["spouse"].status == "withdrawn"


@pytest.mark.django_db
def test_shows_the_member_who_shares_with_them(client, bob, alice, family):
    client.force_login(bob)
    response = client.get(reverse("sharing:my_authorizers"))
    assert [b.authorizer_id for b in response.context["bindings"]] == [alice.person.pk]


@pytest.mark.django_db
def test_lets_the_spouse_agree_with_a_confirmation_step(client, bob, family):
    client.force_login(bob)
    response = client.get(reverse("sharing:consent_inbox"))
    assert [b.pk for b in response.context["bindings"]] == [family["spouse"].pk]
    assert response.context["nav_consent_count"]() == 1
    answer = reverse("sharing:consent_answer", args=[family["spouse"].pk])
    assert "个人承诺书" in client.get(answer).content.decode()
    response = client.post(answer, {"answer": "agree"})
    assert response.url == answer + "confirm/?answer=agree"
    assert client.get(response.url).status_code == 200
    family["spouse"].refresh_from_db()
    assert family["spouse"].status == "awaiting_consent"
    assert client.post(answer + "confirm/", {"answer": "agree"}).url == reverse("sharing:consent_inbox")
    family["spouse"].refresh_from_db()
    assert family["spouse"].status == "active"
    assert client.get(reverse("sharing:consent_inbox")).context["bindings"] == []


@pytest.mark.django_db
def test_lets_the_spouse_refuse(client, bob, family):
    client.force_login(bob)
    url = reverse("sharing:consent_confirm", args=[family["spouse"].pk])
    client.post(url, {"answer": "refuse"})
    family["spouse"].refresh_from_db()
    assert family["spouse"].status == "refused"


@pytest.mark.django_db
def test_hides_an_overdue_request_from_the_inbox(client, bob, family):
    Binding.objects.filter(pk=family["spouse"].pk).update(consent_deadline=timezone.now() - datetime.timedelta(1))
    client.force_login(bob)
    assert client.get(reverse("sharing:consent_inbox")).context["bindings"] == []
    response = client.post(reverse("sharing:consent_confirm", args=[family["spouse"].pk]), {"answer": "agree"})
    assert response.url == reverse("sharing:consent_inbox")
    family["spouse"].refresh_from_db()
    assert family["spouse"].status == "awaiting_consent"  # the page only reads; the job records the expiry


@pytest.mark.django_db
@pytest.mark.parametrize("name, key", [
    ("binding_detail", "child"), ("unbind", "child"), ("withdraw", "spouse"), ("signature_image", "child"),
    ("bind_done", "child"), ("consent_answer", "spouse"), ("consent_confirm", "spouse"),
])
def test_answers_404_to_outsiders(client, dave, family, name, key):
    client.force_login(dave)
    url = reverse(f"sharing:{name}", args=[family[key].pk])
    assert client.get(url + ("?answer=agree" if name == "consent_confirm" else "")).status_code == 404
    assert client.post(url, {"password": "Correct-Horse-42", "answer": "agree"}).status_code in (404, 405)
    family[key].refresh_from_db()
    assert family[key].status in ("active", "awaiting_consent")


@pytest.mark.django_db
def test_answers_404_when_the_authorizer_opens_the_spouse_side(client, alice, family):
    client.force_login(alice)
    assert client.get(reverse("sharing:consent_answer", args=[family["spouse"].pk])).status_code == 404


@pytest.mark.django_db
def test_answers_404_for_an_unknown_id(client, alice):
    client.force_login(alice)
    assert client.get(reverse("sharing:binding_detail", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["records", "my_authorizers", "consent_inbox"])
def test_sends_anonymous_to_login_from_lists(client, name):
    response = client.get(reverse(f"sharing:{name}"))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["binding_detail", "unbind", "withdraw", "consent_answer", "signature_image"])
def test_sends_anonymous_to_login_from_a_binding(client, family, name):
    key = "spouse" if name in ("withdraw", "consent_answer") else "child"
    response = client.get(reverse(f"sharing:{name}", args=[family[key].pk]))
    assert response.status_code == 302 and "login" in response.url


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["records", "my_authorizers", "consent_inbox"])
def test_refuses_post_on_lists(client, alice, name):
    client.force_login(alice)
    assert client.post(reverse(f"sharing:{name}")).status_code == 405


@pytest.mark.django_db
def test_refuses_post_on_detail_and_put_on_unbind(client, alice, family):
    client.force_login(alice)
    assert client.post(reverse("sharing:binding_detail", args=[family["child"].pk])).status_code == 405
    assert client.put(reverse("sharing:unbind", args=[family["child"].pk])).status_code == 405
