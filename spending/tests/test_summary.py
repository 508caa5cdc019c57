"""The monthly payment summary equals the payments it sums, however they were written, and the spending pages read
it and the payer/member index, so their work does not grow with the number of payments."""

import datetime
import re
import zoneinfo

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.sql import fast_cursor
from settlement.models import Payment
from spending import reads, selectors
from spending.models import PaymentMonth
from spending.summary import rebuild


def _live(**who):
    qs = selectors.payments(source=selectors.SHARING, **who)
    field = "member" if "payer" in who else "payer"
    return selectors.totals_by(qs, field), selectors.monthly(qs)


def _summed(**who):
    qs = selectors.summary(**who)
    field = "member" if "payer" in who else "payer"
    return selectors.summary_totals_by(qs, field), selectors.summary_monthly(qs)


def _rows():
    return sorted(PaymentMonth.objects.values_list("payer_id", "member_id", "source", "month", "paid", "refunded",
                                                   "count"))


def test_the_summary_equals_the_payments_after_settlements_and_refunds(alice, bob, charlie, bind, api, paid):
    bind(bob, charlie)
    api.settle(charlie, "900.00", request_id="big")  # alice's shared account, then bob's
    totals, series = _live(payer=alice.person)
    assert totals and totals[0]["refunded"] == 30 and _summed(payer=alice.person) == (totals, series)
    assert _summed(member=charlie) == _live(member=charlie)
    assert _summed(payer=alice.person, counterpart_id=charlie.pk) == _live(payer=alice.person, counterpart_id=charlie.pk)
    month = datetime.date.today().strftime("%Y-%m")
    period = selectors.Period.parse(month)
    assert _summed(member=charlie, period=period) == _live(member=charlie, period=period)


def test_payments_count_in_their_local_month(alice, charlie, paid):
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    # Half past midnight on 1 January in China is still 31 December in UTC.
    Payment.objects.filter(pk=Payment.objects.filter(payer=alice.person).order_by("id").first().pk).update(
        created_at=datetime.datetime(2025, 1, 1, 0, 30, tzinfo=tz))
    months = dict(PaymentMonth.objects.filter(payer=alice.person, count__gt=0).values_list("month", "count"))
    assert months[datetime.date(2025, 1, 1)] == 1 and datetime.date(2024, 12, 1) not in months
    assert _summed(payer=alice.person) == _live(payer=alice.person)


def test_a_rebuild_gives_the_rows_the_triggers_kept(alice, bob, charlie, bind, api, paid):
    bind(bob, charlie)
    api.settle(charlie, "900.00", request_id="big")
    kept = _rows()
    rebuild()
    assert kept and _rows() == [row for row in kept if row[-1] != 0]


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_the_spending_pages_do_the_same_work_for_3_or_60_payments(client, alice, charlie, bind, api):
    bind(alice, charlie)
    for i in range(3):
        api.settle(charlie, "1.00", request_id=f"a{i}")
    client.force_login(alice)
    light = {url: _page_queries(client, url) for url in [reverse("money:spending"), reverse("money:paid_for_me")]}
    for i in range(57):
        api.settle(charlie, "1.00", request_id=f"b{i}")
    for url, queries in light.items():
        assert len(_page_queries(client, url)) == len(queries)
    # As first opened the page is one part of the page's one statement (spending.reads.first_shown); filtered, alone.
    first = [sql for sql, _params in _payment_statements(client, reverse("money:spending"))]
    filtered = [sql for sql, _params in _payment_statements(client, reverse("money:spending") + f"?who={charlie.pk}")]
    page_sql = selectors.page_statement(side="payer", person_id=alice.person.pk).query.sql_with_params()[0]
    assert len(first) == 1 and f"({page_sql}) q2 ON FALSE" in first[0]
    for statement in (page_sql, *filtered):
        # One statement, one branch per source: `source IN (…) ORDER BY id DESC` cannot walk (payer, source, -id)
        # in order.
        assert statement.count("UNION ALL") == 1 and statement.endswith("LIMIT 51")
        assert '"source" IN' not in statement and statement.count('"source" = ') == 2
        assert "GROUP BY" not in statement and "SUM(" not in statement.upper()
    assert len(filtered) == 1


def _payment_scans(plan: str) -> list[str]:
    return [line for line in plan.splitlines() if " on settlement_payment" in line]


def _payment_statements(client, url) -> list[tuple[str, tuple]]:
    """The page's statements on settlement_payment with their parameters, as they ran."""
    statements = []

    def keep(execute, sql, params, many, context):
        if 'FROM "settlement_payment"' in sql:
            statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        assert client.get(url).status_code == 200
    return statements


def _explain(statements: list[tuple[str, tuple]], analyze: bool = False, **settings) -> list[str]:
    """EXPLAIN each statement planned with its values, as the page's payment statement runs (not prepared: see
    spending.reads.page)."""
    plans = []
    with fast_cursor() as cursor:
        for name, value in settings.items():
            cursor.execute(f"SET LOCAL {name} = {value}")
        for sql, params in statements:
            cursor.execute(f"EXPLAIN {'(ANALYZE, BUFFERS) ' if analyze else ''}{sql}", params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


def test_the_payment_page_walks_the_payer_index(client, alice, charlie, bind, api):
    bind(alice, charlie)
    for i in range(60):
        api.settle(charlie, "1.00", request_id=f"c{i}")
    client.force_login(alice)
    statements = _payment_statements(client, reverse("money:spending"))
    assert len(statements) == 1
    # A test table is small enough for a sequential scan and a sort; without those two, the planner must find
    # the ordered index path (the old `source IN` shape has none and walked the primary key backwards).
    for plan in _explain(statements, enable_seqscan="off", enable_sort="off"):
        scans = _payment_scans(plan)
        assert len(scans) == 2 and all("Index Scan using payment_payer_latest" in scan for scan in scans), plan
        assert "Merge Append" in plan and "settlement_payment_pkey" not in plan, plan


def test_the_page_reads_only_the_rows_it_shows_when_newer_payments_of_others_follow(
        client, alice, bob, charlie, make_person, bind, api, monkeypatch):
    # The bench's heavy authorizer: most of the table is theirs, then other payers' payments come on top. With
    # `payer_id = x … ORDER BY id DESC` the planner walked the primary key backwards through all those newer rows.
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    monkeypatch.setattr(reads, "_compiled", {})
    bind(alice, charlie)
    for i in range(40):
        api.settle(charlie, "1.00", request_id=f"h{i}")
    other = make_person("其他人", birth=datetime.date(2015, 1, 1))
    bind(bob, other)
    for i in range(25):
        api.settle(other, "1.00", request_id=f"o{i}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE settlement_payment")
    client.force_login(alice)
    statements = _payment_statements(client, reverse("money:spending"))
    # 65 rows: reading them all would be cheapest here.
    for plan in _explain(statements, analyze=True, enable_seqscan="off"):
        scans = _payment_scans(plan)
        assert scans and all("payment_payer_latest" in scan for scan in scans), plan
        assert "Rows Removed by Filter" not in plan and "settlement_payment_pkey" not in plan, plan
        read = sum(int(re.search(r"actual time=\S+ rows=([0-9]+)", scan).group(1)) for scan in scans)
        assert read <= selectors.PAGE_SIZE + 1, plan


def test_my_insurance_own_payments_never_walk_the_primary_key_even_with_a_generic_plan(alice, bob, charlie, bind, api):
    from spending.templatetags.money import own_payments_query

    bind(bob, charlie)
    for i in range(3):
        assert api.settle(alice.person, "1.00", request_id=f"own{i}")[0] == 201
    for i in range(30):
        assert api.settle(charlie, "1.00", request_id=f"bob{i}")[0] == 201  # newer payments of someone else
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE settlement_payment")
    sql, params = own_payments_query(alice.person.pk).query.sql_with_params()
    parts = sql.split("%s")
    with connection.cursor() as cursor:
        # What runs: a prepared statement (core.compiled) with one plan for every person (portal/settings.py).
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute("SET LOCAL enable_seqscan = off")  # 33 rows: a sequential scan would be cheapest here
        cursor.execute("PREPARE own_payments AS " + parts[0] + "".join(f"${n}{part}" for n, part in
                                                                        enumerate(parts[1:], start=1)))
        cursor.execute("EXPLAIN EXECUTE own_payments(" + ", ".join(["%s"] * len(params)) + ")", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE own_payments")
    assert "settlement_payment_pkey" not in plan, plan


def test_payment_rows_show_what_the_template_would(alice, charlie, paid):
    from decimal import Decimal

    from django.template import Context, Template
    from django.utils import timezone, translation

    shown = Template('{{ v }}|{{ t|date:"Y-m-d H:i" }}')
    for language in ["zh-hans", "en"]:
        with translation.override(language):
            for value in [Decimal("0.01"), Decimal("30.00"), Decimal("1234567.89")]:
                assert selectors._money_text()(value) == shown.render(Context({"v": value})).split("|")[0]
            rows, _cursor = reads.page("payer", alice.person)
            payment = Payment.objects.get(pk=rows[-1].pk)
            assert rows[-1].when == shown.render(Context({"t": payment.created_at})).split("|")[1]
            assert rows[-1].when == timezone.localtime(payment.created_at).strftime("%Y-%m-%d %H:%M")
            assert rows[-1].category_label == payment.get_category_display()
            assert rows[-1].source_label == payment.get_source_display()
            assert rows[-1].refunded_text == "30.00" and rows[0].refunded_text == "—"
            assert rows[0].who_name == charlie.name
