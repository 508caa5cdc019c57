"""Every reason of the catalogues reads as a whole sentence wherever a citizen sees it: one entry per code, and
every %(name)s placeholder filled by the page that shows it (a stored status code carries no details)."""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse

from accounts import reasons as account_reasons
from core.reasons import Reason
from family import reasons as family_reasons
from settlement import reasons as settlement_reasons
from sharing import changes, reasons, review, services
from sharing.models import Binding

CATALOGUES = [reasons, family_reasons, account_reasons, settlement_reasons]


def entries():
    return [(module.__name__, name, value) for module in CATALOGUES
            for name, value in vars(module).items() if isinstance(value, Reason)]


def test_each_code_has_exactly_one_entry_across_the_catalogues():
    codes = [reason.code for _module, _name, reason in entries()]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)
    # The entry's name is its code: no second name for the same reason.
    assert all(name == reason.code for _module, name, reason in entries())


def test_every_code_a_binding_stores_has_a_catalogue_entry():
    source = "".join(Path(module.__file__).read_text() for module in (services, changes, review))
    stored = set(re.findall(r'status_reason="([A-Z_]+)"', source))
    assert stored <= set(reasons.ALL), stored - set(reasons.ALL)
    # The official suspension is the catalogue's code, not a second definition.
    assert review.OFFICIAL_SUSPENSION == reasons.OFFICIAL_SUSPENSION.code
    assert "UNBOUND" in reasons.ALL


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Binding.Status.SUSPENDED, Binding.Status.ENDED])
@pytest.mark.parametrize("code", sorted(reasons.ALL))
def test_every_sharing_reason_stored_on_a_binding_reads_filled_on_every_page(client, alice, bob, charlie, bind,
                                                                             code, status):
    binding = bind(alice, charlie)
    Binding.objects.filter(pk=binding.pk).update(status=status, status_reason=code)
    client.force_login(alice)
    pages = {
        "binding page": client.get(reverse("sharing:binding_detail", args=[binding.pk])),
        "records": client.get(reverse("sharing:records")),
        "self-check": client.post(reverse("selfcheck:check"), {"situation": "member_cannot_use",
                                                              "person": str(charlie.pk)}),
    }
    for where, response in pages.items():
        assert response.status_code == 200, where
        page = response.content.decode()
        assert "%(" not in page, (where, page[page.index("%(") - 200:page.index("%(") + 50])
        # The code is kept for machines, never shown as text.
        assert f">{code}<" not in page and f" {code}<" not in page, where


@pytest.mark.django_db
def test_a_suspension_for_a_lapsed_enrollment_names_the_authorizers_region(client, alice, charlie, bind):
    binding = bind(alice, charlie)
    Binding.objects.filter(pk=binding.pk).update(status=Binding.Status.SUSPENDED,
                                                 status_reason="AUTHORIZER_NOT_ENROLLED")
    client.force_login(alice)
    page = client.get(reverse("sharing:binding_detail", args=[binding.pk])).content.decode()
    assert alice.person.region.name in page and 'data-code="AUTHORIZER_NOT_ENROLLED"' in page


@pytest.mark.django_db
def test_a_sibling_refused_under_the_article_policy_is_not_told_about_parents_in_law(alice, make_person):
    from sharing.eligibility.binding import binding_findings

    sister = make_person(name="张妹", birth=datetime.date(1988, 1, 1))
    found = binding_findings(authorizer=alice.person, relation="sibling", member=sister)
    reason = next(r for r in found if r.code == "RELATION_NOT_ALLOWED")
    assert "岳父母" not in str(reason.message) and "公婆" not in str(reason.message)
    assert "子女" in str(reason.message)
