"""The spending pages' reads, compiled once per process (spending.reads), give what the ORM gives: for the first page,
later pages, each filter and both sides, with payments from a shared account and from a quota interleaved."""

import datetime
from decimal import Decimal

import pytest

from settlement.models import Payment
from sharing import selectors as sharing_selectors
from sharing.quotas import quota_add
from spending import reads, selectors


def _orm_page(side, person, *, who, counterpart_id=None, period=None, before=None):
    """The page as plainly as the ORM says it: every sharing payment of the person, newest first."""
    qs = selectors.payments(source=selectors.SHARING, **{side: person}, counterpart_id=counterpart_id, period=period)
    if before:
        qs = qs.filter(id__lt=before)
    return selectors.page_rows(list(qs.values_list(*selectors._ROW_FIELDS)[: selectors.PAGE_SIZE + 1]), who)


def _names(side, person) -> dict:
    """The filter's people list as the views pass it."""
    people = (sharing_selectors.members_ever_bound_names if side == "payer" else sharing_selectors.authorizers_ever_names)
    return {str(pk): name for pk, name in people(person)}


def _orm_sums(side, person, person_field, *, counterpart_id=None, period=None):
    sums = selectors.summary(**{side: person}, counterpart_id=counterpart_id, period=period)
    return selectors.summary_totals_by(sums, person_field), selectors.summary_monthly(sums)


@pytest.fixture
def mixed(api, make_citizen, make_person, bind):
    """孙立 (Beijing, 2026 rules) pays for his father in Hebei from a quota and for his daughter in Beijing from his
    shared balance, interleaved."""
    son = make_citizen(name="孙立", birth=datetime.date(1980, 5, 5), address="110105", region="110000",
                       balance="2000.00")
    father = make_citizen(name="孙德明", birth=datetime.date(1952, 3, 1), address="130102", region="130100",
                          balance="0.00")
    daughter = make_person(name="孙小雨", birth=datetime.date(2012, 2, 2), address="110105", region="110000",
                           insutype="390", sex="F")
    binding = bind(son, father.person, "parent")
    bind(son, daughter)
    for i in range(4):
        quota_add(binding=binding, amount=Decimal("10.00"), actor=son)
        assert api.settle(father.person, "10.00", request_id=f"q{i}")[0] == 201  # the quota
        assert api.settle(daughter, "7.00", request_id=f"s{i}")[0] == 201  # the shared balance
    sources = list(Payment.objects.filter(payer=son.person).order_by("id").values_list("source", flat=True))
    assert sources == ["quota", "shared"] * 4
    return son, father


def test_every_page_shape_equals_the_orm(mixed, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)  # so that there are later pages
    monkeypatch.setattr(reads, "_compiled", {})  # compiled again with that page size
    son, father = mixed
    month = selectors.Period.parse(datetime.date.today().strftime("%Y-%m"))
    year, old = selectors.Period.parse(month.label[:4]), selectors.Period.parse("2024")
    ids = sorted(Payment.objects.filter(payer=son.person).values_list("id", flat=True))
    cases = [("payer", son.person, "member", "member", father.person.pk),
             ("member", father.person, "payer", "payer", str(son.person.pk))]
    shapes = 0
    for side, person, person_field, who, counterpart in cases:
        for counterpart_id in [None, counterpart]:
            for period in [None, month, year, old]:
                for before in [None, ids[5], ids[2], ids[0]]:
                    filters = {"counterpart_id": counterpart_id, "period": period}
                    orm = _orm_page(side, person, who=who, before=before, **filters)
                    # Names from the page's people list, or read by the page when not given.
                    for names in [_names(side, person), None]:
                        fast = reads.page(side, person, who=who, before=before, names=names, **filters)
                        assert fast == orm
                    shapes += bool(fast[0])
                fast_sums = (reads.totals(side, person, person_field, **filters), reads.monthly(side, person, **filters))
                assert fast_sums == _orm_sums(side, person, person_field, **filters)
                assert reads.totals_and_monthly(side, person, person_field, **filters) == fast_sums
    # The merge: the newest three of both sources, then the cursor walks on.
    rows, cursor = reads.page("payer", son.person)
    assert [row.source for row in rows] == ["shared", "quota", "shared"] and cursor == rows[-1].pk == ids[-3]
    assert shapes >= 20 and [row["count"] for row in reads.totals("payer", son.person, "member")] == [4, 4]


def test_the_compiled_statements_equal_the_orm(mixed):
    son, father = mixed
    since, until = selectors.window(selectors.Period.parse(datetime.date.today().strftime("%Y")))
    for side, person, counterpart in [("payer", son.person, father.person.pk), ("member", father.person, son.person.pk)]:
        for values in [{}, {"counterpart_id": counterpart}, {"since": since, "until": until},
                       {"before": Payment.objects.order_by("-id")[2].pk}]:
            assert reads._run(("page", side), lambda side=side, **v: reads.page_query(side, **v), person_id=person.pk,
                              **values) == list(reads.page_query(side, person.pk, **values))


def test_totals_and_months_in_one_statement_keep_each_querys_order(mixed, make_person, bind, api):
    """Over several months and members whose names sort differently by code point and in the database: the same
    rows, in the same order, as the two queries run apart (and as the ORM)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    son, father = mixed
    for i, name in enumerate(("孙阿", "Zed", "anna", "Émile")):
        child = make_person(name=name, birth=datetime.date(2013, 3, 3 + i), address="110105", region="110000",
                            insutype="390")
        bind(son, child)
        assert api.settle(child, "3.00", request_id=f"n{i}")[0] == 201
    # Spread the payments over 14 months (the summary's triggers move them between months).
    for months_back, pk in enumerate(Payment.objects.filter(payer=son.person).order_by("id").values_list("pk", flat=True)):
        Payment.objects.filter(pk=pk).update(created_at=Payment.objects.get(pk=pk).created_at
                                             - datetime.timedelta(days=31 * months_back))
    year = selectors.Period.parse(datetime.date.today().strftime("%Y"))
    for filters in [{}, {"period": year}, {"counterpart_id": str(father.person.pk)}]:
        apart = (reads.totals("payer", son.person, "member", **filters), reads.monthly("payer", son.person, **filters))
        assert apart == _orm_sums("payer", son.person, "member", **filters)
        with CaptureQueriesContext(connection) as ctx:
            together = reads.totals_and_monthly("payer", son.person, "member", **filters)
        assert together == apart and len(ctx.captured_queries) == 1
    totals, months = reads.totals_and_monthly("payer", son.person, "member")
    assert len(totals) == 6 and len(months) == 12 and months == sorted(months)


def test_a_page_as_first_opened_reads_its_people_totals_and_months_in_one_statement(mixed, make_person, bind, api):
    """The people of the filter (in binding order, each once, ended bindings too), the totals and the months: what
    the separate reads give, in one statement, on both sides."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sharing.services import binding_unbind

    son, father = mixed
    ended = make_person(name="Émile", birth=datetime.date(2013, 3, 3), address="110105", region="110000",
                        insutype="390")
    binding_unbind(binding=bind(son, ended), actor=son)
    bind(son, ended)  # bound again: listed once, where first bound
    assert api.settle(ended, "3.00", request_id="again")[0] == 201
    people = sharing_selectors.members_ever_bound_names(son.person)
    expected = (people, *reads.totals_and_monthly("payer", son.person, "member"),
                reads.page("payer", son.person, names={str(pk): name for pk, name in people}))
    assert [name for _pk, name in expected[0]] == ["孙德明", "孙小雨", "Émile"] and len(expected[1]) == 3
    assert len(expected[3][0]) == 9 and expected[3][0][0].who_name == "Émile"  # both sources, newest first
    with CaptureQueriesContext(connection) as ctx:
        assert reads.first_shown("payer", son.person, "member") == expected
    assert len(ctx.captured_queries) == 1
    member_side = (sharing_selectors.authorizers_ever_names(father.person),
                   reads.totals("member", father.person, "payer"), [], reads.page("member", father.person, who="payer"))
    assert reads.first_shown("member", father.person, "payer", monthly=False) == member_side
    assert member_side[0] == [(son.person.pk, son.person.name)] and member_side[1]
    assert [row.who_name for row in member_side[3][0]] == ["孙立"] * 4


def test_the_first_page_read_with_the_totals_is_cut_where_the_page_is_and_gives_the_next_cursor(mixed, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    monkeypatch.setattr(reads, "_compiled", {})  # compiled again with that page size
    son, _father = mixed
    _people, _totals, _months, (rows, cursor) = reads.first_shown("payer", son.person, "member")
    assert (rows, cursor) == _orm_page("payer", son.person, who="member") and len(rows) == 3
    assert cursor == rows[-1].pk and [row.source for row in rows] == ["shared", "quota", "shared"]


def test_a_person_without_payments_gets_empty_reads(dave):
    assert reads.first_shown("payer", dave.person, "member") == ([], [], [], ([], None))
    assert reads.first_shown("member", dave.person, "payer", monthly=False) == ([], [], [], ([], None))
    assert reads.totals_and_monthly("payer", dave.person, "member") == ([], [])
    assert reads.page("payer", dave.person) == ([], None)
    assert reads.totals("payer", dave.person, "member") == []
    assert reads.monthly("payer", dave.person) == []


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
    from django.utils.safestring import mark_safe

    from spending.templatetags.money import payment_rows

    labels = ["Date", "Who <&>", 'Institution "x"', "Category", "Paid from", "Amount", "Refunded 'y'"]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            rows, _cursor = reads.page("payer", alice.person)
            rows.append(selectors.PaymentRow({**rows[0], "who_name": "<b>A&B</b> \"q\" 'r'", "institution_name": "<i>"}))
            rows.append(selectors.PaymentRow({**rows[0], "who_name": "100% {x} %s {0}", "refunded_text": "&amp;"}))
            names = ["l_date", "l_who", "l_institution", "l_category", "l_source", "l_amount", "l_refunded"]
            expected = Template(_LOOP).render(Context({"rows": rows, **dict(zip(names, labels, strict=True))}))
            assert payment_rows(rows, *labels) == expected
            assert "&lt;b&gt;A&amp;B&lt;/b&gt;" in expected and len(rows) == 4
            # Values escaped one by one: safe HTML, a number, None, the separator of the one-pass escape.
            for odd in ({"who_name": mark_safe("<b>safe</b>")}, {"amount_text": 7}, {"refunded_text": None},
                        {"institution_name": "a\x00<b>"}):
                odd_rows = [*rows, selectors.PaymentRow({**rows[0], **odd})]
                expected = Template(_LOOP).render(Context({"rows": odd_rows, **dict(zip(names, labels, strict=True))}))
                assert payment_rows(odd_rows, *labels) == expected
            assert "<b>safe</b>" in payment_rows(odd_rows[:1] + [selectors.PaymentRow(
                {**rows[0], "who_name": mark_safe("<b>safe</b>")})], *labels)
            for odd_labels in (["%s {0}", "{l_who}", *labels[2:]], ["{l_who}", "{l_date} %(x)s", *labels[2:]]):
                assert payment_rows(rows[:1], *odd_labels) == Template(_LOOP).render(Context(
                    {"rows": rows[:1], **dict(zip(names, odd_labels, strict=True))}))
            assert payment_rows([], *labels) == ""


# The loops chart_bars and chart_months replaced, as they stood in spending/partials/chart.html.
_BARS_LOOP = ("{% for bar in bars %}\n    <g>\n"
              '      <rect x="{{ bar.x }}" y="{{ bar.y }}" width="{{ bar.width }}" height="{{ bar.height }}"'
              ' fill="#0b4f9c" class="bar"><title>{{ bar.month }} ¥{{ bar.amount }}</title></rect>\n'
              '      <text x="{{ bar.label_x }}" y="{{ bar.y|add:\'-4\' }}" text-anchor="middle" font-size="12"'
              ' fill="#1b1f23">{{ bar.amount }}</text>\n'
              '      <text x="{{ bar.label_x }}" y="{{ chart.bottom|add:\'18\' }}" text-anchor="middle" font-size="12"'
              ' fill="#1b1f23">{{ bar.month }}</text>\n    </g>\n    {% endfor %}')
_MONTHS_LOOP = ('{% for month, amount in series %}<tr><td>{{ month }}</td><td class="text-end money">{{ amount }}</td>'
                "</tr>{% endfor %}")


def test_the_chart_tags_render_what_the_template_loops_rendered():
    from django.template import Context, Template
    from django.utils import translation

    from spending.templatetags.money import chart_bars, chart_months

    series = [("2025-12", Decimal("1234.50")), ("2026-01", Decimal("-30.00")), ("2026-02", Decimal("0.00")),
              ("2026-03", Decimal("7.05")), ("<b>", Decimal("99999.99"))]
    bars = selectors.chart_bars(series)
    for language in ("zh-hans", "en"):
        with translation.override(language):
            context = Context({"bars": bars, "series": series, "chart": {"bottom": selectors.CHART_BOTTOM}})
            assert chart_bars(bars, selectors.CHART_BOTTOM) == Template(_BARS_LOOP).render(context)
            assert chart_months(series) == Template(_MONTHS_LOOP).render(context)
    assert "&lt;b&gt;" in chart_months(series) and len(bars) == 5
