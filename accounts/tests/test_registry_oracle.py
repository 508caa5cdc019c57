"""The registration form must not become an oracle over the registry: limited per client address and per ID
number, and silent about the mobile number until an SMS code is confirmed."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import OneTimeCode
from notifications import sms
from registry import idnumber
from tests.pages import shows_code


@pytest.fixture
def erin(make_person):
    return make_person(name="钱二妮", birth=datetime.date(1990, 2, 2), balance="88.00", sex="F", mobile="13700000009")


def attempt(client, name, certno, mobile="13700000009", address="198.51.100.20"):
    return client.post(reverse("accounts:register"), {"name": name, "certno": certno, "mobile": mobile},
                       REMOTE_ADDR=address)


def test_guessing_the_registered_mobile_gets_the_same_answer_for_every_number(client, erin):
    answers = set()
    for mobile in ["13700000001", "13700000009", "13700000005"]:
        client.cookies.clear()
        OneTimeCode.objects.all().delete()
        response = attempt(client, erin.name, erin.certno, mobile=mobile)
        answers.add((response.status_code, response.get("Location")))
    assert answers == {(302, reverse("accounts:register_verify"))}


def test_registration_checks_are_limited_per_id_number(client, erin, settings):
    settings.REGISTRATION_CERTNO_LIMIT = 3
    for i in range(3):
        response = attempt(client, f"钱{i}", erin.certno, address=f"198.51.100.{i + 1}")
        assert shows_code(response, "NAME_MISMATCH")
    client.cookies["django_language"] = "en"
    response = attempt(client, erin.name, erin.certno, address="198.51.100.99")
    assert response.status_code == 200 and shows_code(response, "REGISTRATION_THROTTLED")
    assert not shows_code(response, "NAME_MISMATCH") and sms.outbox == []


def test_registration_checks_are_limited_per_client_address(client, db, settings):
    settings.REGISTRATION_ADDRESS_LIMIT = 4
    for i in range(4):
        certno = idnumber.make("320302", datetime.date(1960, 1, 1 + i), 401 + 2 * i)
        assert shows_code(attempt(client, "路人", certno), "PERSON_NOT_IN_REGISTRY")
    certno = idnumber.make("320302", datetime.date(1960, 2, 1), 501)
    response = attempt(client, "路人", certno)
    assert shows_code(response, "REGISTRATION_THROTTLED") and not shows_code(response, "PERSON_NOT_IN_REGISTRY")
    assert shows_code(attempt(client, "路人", certno, address="203.0.113.50"), "PERSON_NOT_IN_REGISTRY")


def test_the_registration_limit_uses_the_real_client_address_behind_the_proxy(client, db, settings):
    settings.REGISTRATION_ADDRESS_LIMIT = 2
    settings.BEHIND_PROXY, settings.TRUSTED_PROXIES = True, ["127.0.0.1"]
    for i in range(3):
        certno = idnumber.make("320302", datetime.date(1961, 1, 1 + i), 401 + 2 * i)
        response = client.post(reverse("accounts:register"), {"name": "路人", "certno": certno, "mobile": "13700000009"},
                               REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{i + 1}")
        assert shows_code(response, "PERSON_NOT_IN_REGISTRY")  # three citizens behind one proxy are not one address
