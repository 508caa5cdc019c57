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


# The loop payment_rows replaced, as it stood in spending/partials/payments_table.html.
_LOOP = ("{% for payment in rows %}"
         '\n'
         '    <tr>\n'
         '      <td data-label="{{ l_date }}">{{ payment.when }}</td>\n'
         '      <td data-label="{{ l_who }}">{{ payment.who_name }}</td>\n'
         '      <td data-label="{{ l_institution }}">{{ payment.institution_name }}</td>\n'
         '      <td data-label="{{ l_category }}">{{ payment.category_label }}</td>\n'
         '      <td data-label="{{ l_source }}" data-source="{{ payment.source }}">{{ payment.source_label }}</td>\n'
         '      <td class="text-end money" data-label="{{ l_amount }}">{{ payment.amount_text }}</td>\n'
         '      <td class="text-end money" data-label="{{ l_refunded }}">{{ payment.refunded_text }}</td>\n'
         '    </tr>\n'
         '  '
         "{% endfor %}")


def test_payment_rows_render_what_the_template_loop_rendered(alice, charlie, paid):
    from django.template import Context, Template
    from django.utils import translation

    from spending.templatetags.money import payment_rows

    labels = ["Date", "Who <&>", 'Institution "x"', "Category", "Paid from", "Amount", "Refunded 'y'"]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            rows, _cursor = unfiltered.page("payer", alice.person)
            rows.append(selectors.PaymentRow({**rows[0], "who_name": "<b>A&B</b> \"q\" 'r'", "institution_name": "<i>"}))
            names = ["l_date", "l_who", "l_institution", "l_category", "l_source", "l_amount", "l_refunded"]
            expected = Template(_LOOP).render(Context({"rows": rows, **dict(zip(names, labels, strict=True))}))
            assert payment_rows(rows, *labels) == expected
            assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in expected and len(rows) == 3
