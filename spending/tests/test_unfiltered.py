"""The spending pages' default reads, compiled once per process (spending.unfiltered), give what the ORM gives."""

from sharing import selectors as sharing_selectors
from spending import selectors, unfiltered


def test_the_first_page_totals_and_chart_equal_the_orm_for_both_sides(alice, charlie, paid, api):
    assert api.settle(charlie, "12.00", request_id="p9")[0] == 201
    cases = [("payer", alice.person, "member", "member"), ("member", charlie, "payer", "payer")]
    for side, person, person_field, who in cases:
        fast = unfiltered.page(side, person, who=who)
        orm = selectors.page(*selectors.per_source(selectors.SHARING, **{side: person}), before=None, who=who)
        assert fast == orm and len(fast[0]) == 3
        sums = selectors.summary(**{side: person})
        assert unfiltered.totals(side, person, person_field) == selectors.summary_totals_by(sums, person_field)
        assert unfiltered.monthly(side, person) == selectors.summary_monthly(sums)
    assert unfiltered.totals("member", charlie, "payer")[0]["count"] == 3


def test_a_person_without_payments_gets_empty_reads(dave):
    assert unfiltered.page("payer", dave.person) == ([], None)
    assert unfiltered.totals("payer", dave.person, "member") == []
    assert unfiltered.monthly("payer", dave.person) == []


def test_the_people_lists_equal_the_orm(alice, charlie, paid):
    assert sharing_selectors.members_ever_bound_names(alice.person) == sharing_selectors._people_named(
        sharing_selectors.members_ever_bound_names_query(alice.person.pk)) == [(charlie.pk, charlie.name)]
    assert sharing_selectors.authorizers_ever_names(charlie) == sharing_selectors._people_named(
        sharing_selectors.authorizers_ever_names_query(charlie.pk)) == [(alice.person.pk, alice.person.name)]
