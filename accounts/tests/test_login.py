import re

import pytest
from django.urls import reverse

from accounts import reasons
from notifications import sms
from tests.pages import shows

PASSWORD = "Correct-Horse-42"


def login(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_logs_in_with_the_id_number(client, alice):
    response = login(client, alice.person.certno)
    assert response.status_code == 302 and response.url == reverse("accounts:my_insurance")


def test_logs_in_with_a_lowercase_x_id_number(client, make_citizen):
    user = make_citizen(name="孙晓", mobile="13600000000")
    # find a person whose number ends in X is rare; typing in lower case must work regardless
    assert login(client, user.person.certno.lower()).status_code == 302


def test_logs_in_with_the_mobile_number(client, alice):
    assert login(client, alice.mobile).status_code == 302


def test_refuses_a_wrong_password_with_a_reason_code_and_keeps_the_username(client, alice):
    response = login(client, alice.mobile, "wrong-password")
    assert response.status_code == 200
    assert shows(response, reasons.LOGIN_FAILED) and alice.mobile in response.text


def test_logs_out_with_post_only(client, alice):
    client.force_login(alice)
    # A GET (a link, or the browser sent back after logging in) goes home and logs nobody out.
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("accounts:my_insurance")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("accounts:my_insurance")).status_code == 302


def test_throttles_repeated_failures_from_one_device(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, alice.mobile, "wrong-password")
    response = login(client, alice.mobile)  # even the right password waits out the cool-off
    assert response.status_code == 429
    assert shows(response, reasons.LOGIN_THROTTLED)


def test_throttling_one_device_does_not_lock_the_citizen_out_elsewhere(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": alice.mobile, "password": "x"}, REMOTE_ADDR="10.9.9.9")
    assert login(client, alice.mobile).status_code == 302  # another IP address


def test_the_throttle_lifts_after_the_cool_off(client, alice, settings):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, alice.mobile, "wrong-password")
    assert login(client, alice.mobile).status_code == 429
    import datetime

    from django.utils import timezone

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(hours=1))
    assert login(client, alice.mobile).status_code == 302


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_resets_a_forgotten_password_with_an_sms_code(client, alice, run_on_commit):
    with run_on_commit():
        response = client.post(reverse("accounts:password_reset"), {"identifier": alice.person.certno})
    assert response.url == reverse("accounts:password_reset_verify")
    mobile, text = sms.outbox[-1]
    assert mobile == alice.mobile
    code = re.search(r"\d{6}", text).group()
    response = client.post(reverse("accounts:password_reset_verify"),
                           {"code": code, "password1": "Brand-New-Pass-7", "password2": "Brand-New-Pass-7"})
    assert response.status_code == 302
    assert login(client, alice.mobile, "Brand-New-Pass-7").status_code == 302


def test_password_reset_for_an_unknown_account_looks_the_same_and_sends_nothing(client, db, run_on_commit):
    with run_on_commit():
        response = client.post(reverse("accounts:password_reset"), {"identifier": "13999999999"})
    assert response.url == reverse("accounts:password_reset_verify")
    assert sms.outbox == []
    response = client.post(reverse("accounts:password_reset_verify"),
                           {"code": "123456", "password1": "Brand-New-Pass-7", "password2": "Brand-New-Pass-7"})
    assert shows(response, reasons.OTP_WRONG)


def test_hall_staff_land_in_the_hall_workspace(client, hall_staff):
    response = login(client, "hall_test")
    assert response.status_code == 302 and response.url == reverse("hall:workspace")


def test_officials_land_in_the_admin(client, db):
    from accounts.models import User

    User.objects.create_user(username="official_t", password=PASSWORD, role="official", is_staff=True,
                             scope_province_id="32")
    response = login(client, "official_t")
    assert response.status_code == 302 and response.url == reverse("admin:index")


def test_a_failed_login_shows_its_error_once(client, alice):
    response = client.post(reverse("accounts:login"), {"username": alice.mobile, "password": "wrong-password"})
    assert response.status_code == 200
    # once in the error summary (a link to the password field) and once at the field itself, nowhere else
    page = response.content.decode()
    summary = page[page.index('id="error-summary"'):page.index("</div>", page.index('id="error-summary"'))]
    assert summary.count(str(reasons.LOGIN_FAILED.message)) == 1
    assert page.count(str(reasons.LOGIN_FAILED.message)) == 2


@pytest.mark.django_db
def test_logs_in_with_an_id_number_typed_in_full_width_digits(client, alice):
    typed = alice.person.certno.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    response = client.post(reverse("accounts:login"), {"username": typed, "password": "Correct-Horse-42"})
    assert response.status_code == 302
