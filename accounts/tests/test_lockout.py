"""Login throttling that a stranger cannot turn against a citizen: real client address behind the proxy, one
throttle per person whatever they typed, a success clears them all, and spraying is limited per address."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.client_ip import client_ip
from tests.pages import shows_code

PASSWORD = "Correct-Horse-42"
PROXY = "127.0.0.1"
STRANGER, CITIZEN = "203.0.113.9", "198.51.100.7"


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXIES = [PROXY, "10.0.0.0/8"]
    return settings


def via_proxy(client, username, password, address, proxy=PROXY):
    return client.post(reverse("accounts:login"), {"username": username, "password": password},
                       REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=address)


def _request(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_directly_on_the_internet_the_forwarded_header_is_ignored(settings):
    settings.BEHIND_PROXY = False
    assert client_ip(_request("198.51.100.7", "1.2.3.4")) == "198.51.100.7"


def test_behind_the_proxy_the_client_is_the_right_most_address_the_proxies_did_not_add(behind_proxy):
    assert client_ip(_request(PROXY, CITIZEN)) == CITIZEN
    # whatever the client wrote itself stays on the left and is not believed
    assert client_ip(_request(PROXY, f"{CITIZEN}, {STRANGER}")) == STRANGER
    # a chain of trusted proxies is skipped
    assert client_ip(_request(PROXY, f"{STRANGER}, 10.1.2.3")) == STRANGER
    assert client_ip(_request(PROXY, "not-an-address")) == PROXY
    assert client_ip(_request(PROXY)) == PROXY


def test_a_forwarded_header_from_anyone_but_the_configured_proxy_is_ignored(behind_proxy):
    assert client_ip(_request(STRANGER, CITIZEN)) == STRANGER


def test_a_stranger_behind_the_same_proxy_cannot_lock_a_citizen_out(client, alice, behind_proxy):
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT + 2):
        via_proxy(client, alice.person.certno, "wrong-password", STRANGER)
    assert via_proxy(client, alice.person.certno, PASSWORD, STRANGER).status_code == 429
    assert via_proxy(client, alice.person.certno, PASSWORD, CITIZEN).status_code == 302


def test_a_stranger_forging_the_header_directly_only_locks_his_own_address(client, alice, behind_proxy):
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT):
        via_proxy(client, alice.mobile, "wrong-password", CITIZEN, proxy=STRANGER)
    assert via_proxy(client, alice.mobile, PASSWORD, CITIZEN).status_code == 302


def test_the_throttle_is_per_person_whichever_identifier_was_typed(client, alice, settings):
    identifiers = [alice.mobile, alice.person.certno, alice.person.certno.lower(), f" {alice.mobile} "]
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": identifiers[i % len(identifiers)], "password": "x"})
    for identifier in [alice.mobile, alice.person.certno]:
        response = client.post(reverse("accounts:login"), {"username": identifier, "password": PASSWORD})
        assert response.status_code == 429 and shows_code(response, "LOGIN_THROTTLED")


def test_a_success_clears_every_lock_of_the_person(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": alice.mobile, "password": "x"}, REMOTE_ADDR=STRANGER)
    assert client.post(reverse("accounts:login"), {"username": alice.mobile, "password": PASSWORD},
                       REMOTE_ADDR=STRANGER).status_code == 429
    assert client.post(reverse("accounts:login"), {"username": alice.person.certno, "password": PASSWORD},
                       REMOTE_ADDR=CITIZEN).status_code == 302
    client.logout()
    assert client.post(reverse("accounts:login"), {"username": alice.mobile, "password": PASSWORD},
                       REMOTE_ADDR=STRANGER).status_code == 302


def test_password_spraying_from_one_address_is_stopped_across_accounts(client, alice, bob, settings):
    from registry import idnumber

    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    import datetime

    for i in range(6):
        victim = idnumber.make("320302", datetime.date(1970, 1, 1 + i), 301 + 2 * i)
        client.post(reverse("accounts:login"), {"username": victim, "password": "Summer2026!"}, REMOTE_ADDR=STRANGER)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("accounts:login"), {"username": bob.mobile, "password": PASSWORD},
                           REMOTE_ADDR=STRANGER)
    assert response.status_code == 429 and shows_code(response, "LOGIN_ADDRESS_THROTTLED")
    assert client.post(reverse("accounts:login"), {"username": bob.mobile, "password": PASSWORD},
                       REMOTE_ADDR=CITIZEN).status_code == 302


def test_a_login_with_an_id_number_that_has_no_account_is_refused_like_a_wrong_password(client, db):
    response = client.post(reverse("accounts:login"), {"username": "110101199003070038", "password": "x"})
    assert response.status_code == 200 and shows_code(response, "LOGIN_FAILED")


def test_old_rate_counters_are_purged_and_current_ones_kept(db):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import RateCounter
    from accounts.throttle import hit

    hit("test", "k", limit=5, window=60)
    RateCounter.objects.create(scope="test", key_hash="old", window_start=timezone.now() - datetime.timedelta(days=3))
    call_command("purge_rate_counters")
    assert list(RateCounter.objects.values_list("key_hash", flat=True)) != ["old"]
    assert RateCounter.objects.count() == 1
