import pytest
from django.urls import reverse

from guide.views import PAGES


@pytest.mark.parametrize("slug", list(PAGES))
def test_every_help_page_renders_for_anyone(client, db, slug):
    response = client.get(reverse("guide:page", args=[slug]))
    assert response.status_code == 200
    assert reverse("selfcheck:start") in response.text


def test_the_index_links_every_page(client, db):
    text = client.get(reverse("guide:index")).text
    assert all(reverse("guide:page", args=[slug]) in text for slug in PAGES)


def test_who_can_share_reads_the_policies_in_force(client, db):
    text = client.get(reverse("guide:page", args=["who-can-share"])).text
    assert "江苏省家庭共济政策" in text and "北京市跨省共济政策（2026年）" in text


def test_what_it_pays_shows_the_floor_and_cap_of_the_policy(client, db):
    text = client.get(reverse("guide:page", args=["what-it-pays"])).text
    assert "1000.00" in text and "500.00" in text


def test_the_difference_page_links_both_features(client, db):
    text = client.get(reverse("guide:family_vs_sharing")).text
    assert reverse("family:home") in text


def test_an_unknown_page_is_404(client, db):
    assert client.get("/help/nothing-here/").status_code == 404


def test_help_pages_refuse_post(client, db):
    assert client.post(reverse("guide:index")).status_code == 405
    assert client.post(reverse("guide:card")).status_code == 405
