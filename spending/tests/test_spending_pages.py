import datetime
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from spending import reads, selectors


def test_the_authorizer_sees_every_payment_with_totals_chart_and_refunds(client, alice, charlie, paid):
    client.force_login(alice)
    response = client.get(reverse("money:spending"))
    assert response.status_code == 200
    text = response.text
    assert "<svg" in text and "<title" in text and "<desc" in text  # accessible server-rendered chart
    assert charlie.name in text and "徐州市第一人民医院" in text
    assert "140.50" in text and "30.00" in text and "110.50" in text  # paid, refunded, net


def test_filters_by_member_and_period(client, alice, charlie, paid):
    client.force_login(alice)
    month = datetime.date.today().strftime("%Y-%m")
    response = client.get(reverse("money:spending"), {"who": str(charlie.pk), "period": month})
    assert response.status_code == 200 and len(response.context["rows"]) == 2
    response = client.get(reverse("money:spending"), {"period": "1999-01"})
    assert response.context["rows"] == []
    response = client.get(reverse("money:spending"), {"period": "garbage"})
    assert response.status_code == 200 and response.context["form"].errors


def test_an_empty_period_says_so_and_an_invalid_one_lists_nothing(client, alice, charlie, paid):
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the assertions read the English wording
    response = client.get(reverse("money:spending"), {"period": "1999"})
    assert "No payments in this period." in response.text
    assert "not paid for any family member" not in response.text
    response = client.get(reverse("money:spending"), {"period": "garbage"})
    assert response.context["form"].errors and "rows" not in response.context
    assert 'data-testid="payments"' not in response.text and 'data-testid="totals"' not in response.text
    assert "spending.csv" not in response.text
    response = client.get(reverse("money:paid_for_me"), {"period": "13-2026"})
    assert response.context["form"].errors and "rows" not in response.context


def test_the_csv_refuses_an_invalid_period(client, alice, charlie, paid):
    client.force_login(alice)
    response = client.get(reverse("money:spending_csv"), {"period": "garbage"})
    assert response.status_code == 400 and charlie.name not in response.content.decode()
    response = client.get(reverse("money:spending_csv"), {"period": "1999"})
    assert response.status_code == 200 and charlie.name not in b"".join(response.streaming_content).decode()


def test_the_totals_have_a_grand_total(client, alice, charlie, paid):
    client.force_login(alice)
    response = client.get(reverse("money:spending"))
    assert response.context["grand_total"] == {"paid": Decimal("140.50"), "refunded": Decimal("30.00"),
                                               "net": Decimal("110.50"), "count": 2}
    assert 'class="grand-total"' in response.text


def test_a_member_that_is_not_mine_is_not_a_choice(client, alice, dave, paid):
    client.force_login(alice)
    response = client.get(reverse("money:spending"), {"who": str(dave.person.pk)})
    # Refused, and nothing listed: neither dave's payments nor an unfiltered list that looks like the answer.
    assert response.context["form"].errors and "rows" not in response.context


def test_the_csv_has_a_bom_and_every_payment(client, alice, charlie, paid):
    client.force_login(alice)
    response = client.get(reverse("money:spending_csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    lines = content.strip().splitlines()
    assert len(lines) == 3 and charlie.name in lines[1] and "100.00" in content and "70.00" in content


def test_the_member_sees_what_each_authorizer_paid(client, make_citizen, charlie, api, alice, bind):
    import datetime as dt

    member = make_citizen(name="王成", birth=dt.date(2008, 1, 1), balance="0.00", mobile="13700000031")
    bind(alice, member.person)
    api.settle(member.person, "25.00", request_id="m1")
    client.force_login(member)
    response = client.get(reverse("money:paid_for_me"))
    assert response.status_code == 200 and alice.person.name in response.text and "25.00" in response.text


def test_an_outsider_sees_nothing_of_it(client, dave, paid):
    client.force_login(dave)
    assert client.get(reverse("money:spending")).context["rows"] == []
    assert client.get(reverse("money:paid_for_me")).context["rows"] == []


def test_keyset_pagination_walks_every_row_once(client, alice, charlie, bind, api, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    monkeypatch.setattr(reads, "_compiled", {})  # compiled again with that page size, and forgotten after
    bind(alice, charlie)
    for i in range(7):
        api.settle(charlie, "1.00", request_id=f"k{i}")
    client.force_login(alice)
    seen, cursor = [], None
    while True:
        response = client.get(reverse("money:spending"), {"before": cursor} if cursor else {})
        seen += [p.pk for p in response.context["rows"]]
        cursor = response.context["next_cursor"]
        if not cursor:
            break
        assert f"before={cursor}" in response.text
    assert len(seen) == 7 == len(set(seen)) and seen == sorted(seen, reverse=True)


def test_pages_stay_within_a_query_budget(client, alice, charlie, bind, api, django_assert_max_num_queries):
    bind(alice, charlie)
    for i in range(30):
        api.settle(charlie, "1.00", request_id=f"q{i}")
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("money:spending")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("money:paid_for_me")).status_code == 200


def test_anonymous_users_are_sent_to_log_in(client, db):
    for name in ["money:spending", "money:spending_csv", "money:paid_for_me"]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_staff_are_sent_to_the_hall_workspace(client, hall_staff):
    client.force_login(hall_staff)
    for name in ["money:spending", "money:spending_csv", "money:paid_for_me"]:
        response = client.get(reverse(name))
        assert response.status_code == 403 and reverse("hall:workspace") in response.text


def test_refuses_post(client, alice):
    client.force_login(alice)
    for name in ["money:spending", "money:spending_csv", "money:paid_for_me"]:
        assert client.post(reverse(name)).status_code in (403, 405)


def test_the_chart_geometry_scales_to_the_largest_month():
    bars = selectors.chart_bars([("2026-01", Decimal("50.00")), ("2026-02", Decimal("100.00"))])
    assert bars[1].height == selectors.CHART_BOTTOM - selectors.CHART_TOP and bars[0].height == bars[1].height // 2
    assert selectors.chart_bars([]) == []


def test_the_csv_escapes_cells_a_spreadsheet_would_run(client, alice, charlie, paid):
    charlie.name = "=HYPERLINK(1)"
    charlie.save()
    client.force_login(alice)
    content = b"".join(client.get(reverse("money:spending_csv")).streaming_content).decode("utf-8")
    assert "'=HYPERLINK(1)" in content and ",=HYPERLINK" not in content



def test_each_page_issues_the_same_statements_however_filtered_or_paged(client, alice, make_citizen, bind, api,
                                                                          django_assert_num_queries, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    monkeypatch.setattr(reads, "_compiled", {})  # compiled again with that page size, and forgotten after
    mother = make_citizen(name="张母", birth=datetime.date(1955, 2, 2), sex="F", mobile="13800000009")
    bind(alice, mother.person, "parent")
    for i in range(5):
        assert api.settle(mother.person, "1.00", request_id=f"n{i}")[0] == 201
    today = timezone.localdate()
    # The session with the user, their person and the navigation counts, the people list, the page (one statement
    # for both sources), the totals with the chart (one statement; paid for me: no chart); as first opened (no
    # filter, no cursor) the people list and the page are read with the totals: two statements fewer.
    for user, url, who, expected in [(alice, reverse("money:spending"), mother.person.pk, 4),
                                     (mother, reverse("money:paid_for_me"), alice.person.pk, 4)]:
        client.force_login(user)
        cursor = client.get(url).context["next_cursor"]
        assert cursor
        for query in [{}, {"who": str(who)}, {"year": today.year}, {"year": today.year, "month": f"{today:%m}"},
                      {"before": cursor}, {"who": str(who), "year": today.year, "before": cursor}]:
            with django_assert_num_queries(expected if query else expected - 2):
                response = client.get(url, query)
            assert response.status_code == 200 and response.context["rows"], query
