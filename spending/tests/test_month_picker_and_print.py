"""The spending pages: the period is chosen from lists (a whole year or one month), each heading is said once,
and the page prints with whose account it is."""
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_period_is_chosen_from_a_year_list_and_a_month_list_not_typed(client, alice, paid):
    client.force_login(alice)
    text = client.get(reverse("money:spending")).text
    assert '<select name="year"' in text and '<select name="month"' in text
    assert 'name="period"' not in text
    this_year = str(timezone.localdate().year)
    assert f'<option value="{this_year}">{this_year}</option>' in text
    assert '<option value="12">' in text


def test_a_chosen_month_lists_that_month_and_a_year_alone_the_whole_year(client, alice, charlie, paid):
    client.force_login(alice)
    today = timezone.localdate()
    month = client.get(reverse("money:spending"), {"year": str(today.year), "month": f"{today.month:02d}"})
    assert len(month.context["rows"]) == 2 and month.context["period"].label == today.strftime("%Y-%m")
    other = (today.month % 12) + 1
    empty = client.get(reverse("money:spending"), {"year": str(today.year - (other == 1)), "month": f"{other:02d}"})
    assert empty.context["rows"] == []
    year = client.get(reverse("money:paid_for_me"), {"year": str(today.year)})
    assert year.status_code == 200 and year.context["period"].label == str(today.year)
    whole = client.get(reverse("money:spending"), {"year": str(today.year), "month": ""})
    assert len(whole.context["rows"]) == 2 and whole.context["period"].label == str(today.year)


def test_a_month_without_a_year_asks_for_the_year_and_lists_nothing(english, alice, paid):
    english.force_login(alice)
    response = english.get(reverse("money:spending"), {"month": "05"})
    assert response.context["form"].errors["year"] == ["Choose the year of that month."]
    assert "rows" not in response.context


def test_an_older_link_with_a_typed_period_still_works_and_shows_in_the_lists(client, alice, paid):
    client.force_login(alice)
    month = timezone.localdate().strftime("%Y-%m")
    response = client.get(reverse("money:spending"), {"period": month})
    assert len(response.context["rows"]) == 2
    assert re.search(rf'<option value="{month[5:]}" selected>', response.text)
    assert re.search(rf'<option value="{month[:4]}" selected>', response.text)


def test_each_heading_is_said_once(english, alice, paid):
    english.force_login(alice)
    text = english.get(reverse("money:spending")).text
    visible = re.sub(r'<caption class="visually-hidden">.*?</caption>', "", text)
    visible = re.sub(r"<title>.*?</title>", "", visible, count=1)
    assert visible.count("Totals per family member") == 1
    assert visible.count("<h1>Spending details</h1>") == 1


def test_the_buttons_stand_apart_and_the_page_can_be_printed(english, alice, paid):
    english.force_login(alice)
    text = english.get(reverse("money:spending")).text
    actions = re.search(r'<p class="spending-actions no-print">(.*?)</p>', text, re.S).group(1)
    assert "spending.csv" in actions and "data-print" in actions
    assert "css/print.css" in text and "css/spending.css" in text


def test_the_printout_says_whose_account_the_period_and_the_date(english, alice, charlie, paid):
    english.force_login(alice)
    today = timezone.localdate()
    response = english.get(reverse("money:spending"), {"who": str(charlie.pk), "year": str(today.year)})
    header = re.search(r'<header class="print-header print-only"[^>]*>(.*?)</header>', response.text, re.S).group(1)
    assert f"Account holder: {alice.person.name} ({alice.person.masked_certno})" in header
    assert alice.person.certno not in response.text
    assert f"Period: {today.year}" in header and charlie.name in header
    assert f"Printed on {today:%Y-%m-%d}" in header


def test_the_paid_for_me_printout_says_whose_account_too(english, alice, charlie, paid):
    english.force_login(alice)
    response = english.get(reverse("money:paid_for_me"))
    header = re.search(r'<header class="print-header print-only"[^>]*>(.*?)</header>', response.text, re.S).group(1)
    assert alice.person.masked_certno in header and "Period: All years" in header and "Authorizer: Everyone" in header
