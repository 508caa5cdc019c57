from decimal import Decimal

from django.urls import reverse

from ledger.services import entry_post


def test_shows_type_region_status_balance_and_latest_entries(client, alice):
    entry_post(account=alice.person.account, amount=Decimal("-12.30"), kind="settlement", memo="徐州市第一人民医院")
    client.force_login(alice)
    response = client.get(reverse("accounts:my_insurance"))
    assert response.status_code == 200
    text = response.text
    assert "徐州市" in text and "¥2987.70" in text and "徐州市第一人民医院" in text and "-12.30" in text


def test_masks_the_id_number(client, alice):
    client.force_login(alice)
    text = client.get(reverse("accounts:my_insurance")).text
    assert alice.person.certno not in text
    assert alice.person.masked_certno in text


def test_a_resident_insured_person_is_told_there_is_no_personal_account(client, make_citizen):
    user = make_citizen(insutype="390", mobile="13600000001")
    client.force_login(user)
    response = client.get(reverse("accounts:my_insurance"))
    assert response.status_code == 200 and "¥" not in response.text


def test_issues_the_same_statements_however_many_entries(client, alice, django_assert_num_queries):
    client.force_login(alice)
    # The session with the user, their person and the navigation's unread-message and consent-inbox counts (one
    # statement), the account with the person's region and province and its latest entries (one statement), the
    # own-payments panel.
    for _ in range(2):
        with django_assert_num_queries(3):
            assert client.get(reverse("accounts:my_insurance")).status_code == 200
        for _ in range(30):
            entry_post(account=alice.person.account, amount=Decimal("1.00"), kind="credit")


def test_anonymous_users_are_sent_to_log_in(client, db):
    response = client.get(reverse("accounts:my_insurance"))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_staff_are_sent_to_the_hall_workspace(client, hall_staff):
    client.force_login(hall_staff)
    response = client.get(reverse("accounts:my_insurance"))
    assert response.status_code == 403 and reverse("hall:workspace") in response.text


def test_refuses_post(client, alice):
    client.force_login(alice)
    assert client.post(reverse("accounts:my_insurance")).status_code in (403, 405)
