"""An error about the password sits on the password field (and links to it), never as a message about the form."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from notifications import sms


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _field_error_linked(response, field_id):
    """The error summary links the message to the field, and the field is marked invalid."""
    assert f'href="#{field_id}"' in response.text
    assert re.search(rf'<input[^>]*id="{field_id}"[^>]*is-invalid|<input[^>]*is-invalid[^>]*id="{field_id}"',
                     response.text)


def test_a_wrong_login_password_is_said_on_the_password_field(client, alice):
    response = client.post(reverse("accounts:login"), {"username": alice.mobile, "password": "wrong-password"})
    form = response.context["form"]
    assert response.status_code == 200
    assert form.non_field_errors() == [] and form.errors["password"]
    _field_error_linked(response, "id_password")


def test_an_empty_login_password_has_its_own_message_on_the_password_field(client, alice):
    response = client.post(reverse("accounts:login"), {"username": alice.mobile, "password": ""})
    form = response.context["form"]
    with translation.override("zh-hans"):
        expected = [gettext("Enter your password.")]
    assert form.non_field_errors() == [] and form.errors["password"] == expected


@pytest.fixture
def registering(client, make_person, run_on_commit):
    person = make_person(name="钱二妮", birth=datetime.date(1990, 2, 2), sex="F", mobile="13700000009")
    with run_on_commit():
        client.post(reverse("accounts:register"), {"name": person.name, "certno": person.certno,
                                                    "mobile": "13700000009"})
    return re.search(r"\d{6}", sms.outbox[-1][1]).group()


def test_a_weak_registration_password_is_said_on_the_password_field(client, registering):
    response = client.post(reverse("accounts:register_verify"),
                           {"code": registering, "password1": "12345678", "password2": "12345678"})
    form = response.context["form"]
    assert response.status_code == 200
    assert form.non_field_errors() == [] and "password2" not in form.errors
    assert form.errors["password1"]
    _field_error_linked(response, "id_password1")


def test_two_different_registration_passwords_are_said_on_the_second_field(client, registering):
    response = client.post(reverse("accounts:register_verify"),
                           {"code": registering, "password1": "Lotus-Pond-1990", "password2": "Lotus-Pond-1991"})
    form = response.context["form"]
    assert form.non_field_errors() == [] and "password1" not in form.errors
    with translation.override("zh-hans"):
        expected = [gettext("The two passwords are not the same.")]
    assert form.errors["password2"] == expected


def test_a_password_like_the_id_number_is_said_on_the_reset_password_field(client, alice, run_on_commit):
    with run_on_commit():
        client.post(reverse("accounts:password_reset"), {"identifier": alice.person.certno})
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group()
    response = client.post(reverse("accounts:password_reset_verify"),
                           {"code": code, "password1": alice.person.certno, "password2": alice.person.certno})
    form = response.context["form"]
    assert response.status_code == 200
    assert form.non_field_errors() == [] and "password2" not in form.errors
    assert form.errors["password1"]
    _field_error_linked(response, "id_password1")


def test_a_weak_new_password_is_said_on_the_new_password_field_when_changing_it(client, alice):
    client.force_login(alice)
    response = client.post(reverse("accounts:password_change"), {
        "old_password": "Correct-Horse-42", "new_password1": "12345678", "new_password2": "12345678"})
    form = response.context["form"]
    assert response.status_code == 200
    assert form.non_field_errors() == [] and "new_password2" not in form.errors
    assert form.errors["new_password1"]
    _field_error_linked(response, "id_new_password1")
