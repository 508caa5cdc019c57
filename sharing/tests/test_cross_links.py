"""Where sharing meets the family account, the pages say the difference and link across; where a citizen may
wonder why sharing failed, they link to the self-check."""

import re

import pytest
from django.urls import reverse


def aside(html: str) -> str:
    """The family-account-or-sharing note, or '' when the page has none."""
    found = re.search(r'<aside class="family-vs-sharing[^"]*".*?</aside>', html, re.S)
    return found.group(0) if found else ""


def selfcheck_link(html: str) -> bool:
    """A link to the self-check in the page's own content (the navigation has one on every page)."""
    main = html.split("<main", 1)[-1]
    href = re.escape(reverse("selfcheck:start"))
    return re.search(rf'class="[^"]*selfcheck-link[^"]*"><a href="{href}"', main) is not None


@pytest.fixture
def binding(alice, charlie, bind):
    return bind(alice, charlie)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["records", "bind_relation", "my_authorizers"])
def test_links_sharing_pages_to_the_family_account(client, alice, name):
    client.force_login(alice)
    note = aside(client.get(reverse(f"sharing:{name}")).content.decode())
    assert f'href="{reverse("family:home")}"' in note
    assert f'href="{reverse("guide:family_vs_sharing")}"' in note


@pytest.mark.django_db
def test_links_the_records_to_the_selfcheck(client, alice, binding):
    client.force_login(alice)
    assert selfcheck_link(client.get(reverse("sharing:records")).content.decode())


@pytest.mark.django_db
def test_links_the_confirmation_to_the_selfcheck(client, alice, binding):
    client.force_login(alice)
    assert selfcheck_link(client.get(reverse("sharing:bind_done", args=[binding.pk])).content.decode())


@pytest.mark.django_db
def test_keeps_the_links_off_pages_where_they_do_not_belong(client, alice, binding):
    client.force_login(alice)
    html = client.get(reverse("sharing:binding_detail", args=[binding.pk])).content.decode()
    assert not aside(html) and not selfcheck_link(html)
