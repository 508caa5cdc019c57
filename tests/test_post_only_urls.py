"""Every URL that only acts on POST answers a GET by going back to its form or page, never with a bare 405:
after the session expired, logging in again sends the browser by GET to the URL it was posting to."""

import uuid

import pytest
from django.urls import reverse

from tests.test_no_server_errors import PATHS

API = "/api/"


@pytest.fixture
def citizen(client, alice):
    client.force_login(alice)
    return client


@pytest.mark.parametrize("path", [p for p in PATHS if not p.startswith(API)])
def test_no_page_answers_a_get_with_405(citizen, path):
    assert citizen.get(path).status_code != 405, path


@pytest.mark.parametrize("path, back", [
    ("selfcheck:check", "selfcheck:start"),
    ("notifications:mark_read", "notifications:inbox"),
    ("elder_mode", "home"),
    ("accounts:resend_code", "accounts:login"),
    ("accounts:logout", "home"),
])
def test_a_get_of_a_post_only_url_goes_back_to_its_page(citizen, path, back):
    response = citizen.get(reverse(path))
    assert response.status_code == 302 and response.url == reverse(back)


def test_a_get_of_a_family_answer_goes_back_to_the_request(citizen):
    some = uuid.uuid4()
    for name in ("family:request_agree", "family:request_refuse"):
        response = citizen.get(reverse(name, args=[some]))
        assert response.status_code == 302 and response.url == reverse("family:request", args=[some])
    response = citizen.get(reverse("family:withdraw", args=[some]))
    assert response.status_code == 302 and response.url == reverse("family:home")


def test_a_get_after_logging_in_again_lands_on_the_form(client, alice):
    """Anonymous GET of the check: to the login with next=the check; after login, by GET to the form."""
    first = client.get(reverse("selfcheck:check"))
    assert first.status_code == 302
    client.force_login(alice)
    assert client.get(reverse("selfcheck:check"), follow=True).status_code == 200


def test_other_methods_are_still_refused(citizen):
    assert citizen.put(reverse("notifications:mark_read")).status_code == 405
    assert citizen.post(reverse("elder_mode"), {"elder": "1", "next": "/"}).status_code == 302
