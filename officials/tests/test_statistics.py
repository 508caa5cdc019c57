"""Statistics for officials: their scope only, a month range, tables with charts and safe CSV downloads."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import User
from audit.refusals import refusal_log
from core.csv_export import safe_cell
from officials.summary import statistics_refresh
from officials.tables import reason_text

URL = "/admin/statistics/"


@pytest.fixture
def official(db):
    def make(**scope):
        return User.objects.create_user(username=f"off_{list(scope.values())}", password="x", role="official",
                                        is_staff=True, **scope)

    return make


@pytest.fixture
def refusals(db):
    refusal_log(["RELATION_NOT_ALLOWED"], channel="wizard", region="320300")
    refusal_log(["RELATION_NOT_ALLOWED"], channel="selfcheck", region="320300")
    refusal_log(["CROSS_PROVINCE_NOT_ALLOWED"], channel="wizard", region="320100")


@pytest.fixture
def settled_binding(alice, charlie, bind, api):
    bind(alice, charlie, "child")
    status, body = api.settle(charlie, "40.00")
    assert status in (200, 201) and body["acct_mulaid_pay"] == "40.00", body


def fetch(client, url=URL, params=None):
    """The page after the hourly job has counted (statistics_refresh)."""
    statistics_refresh()
    return client.get(url, params or {})


def table(response, key):
    return next(t for t in response.context["tables"] if t.key == key)


def test_citizens_and_hall_staff_get_404(client, alice, hall_staff):
    for user in (alice, hall_staff):
        client.force_login(user)
        assert fetch(client).status_code == 404


def test_the_admin_index_links_to_statistics(client, official):
    client.force_login(official())
    assert URL in client.get("/admin/").text


def test_an_official_of_xuzhou_sees_only_xuzhou(client, official, refusals, settled_binding):
    client.force_login(official(scope_region_id="320300"))
    response = fetch(client)
    assert response.status_code == 200
    explained = reason_text("RELATION_NOT_ALLOWED")
    assert explained and table(response, "top_refusals").rows == [["RELATION_NOT_ALLOWED", explained, 1, 0, 0, 1, 0, 2]]
    regions = [row[0] for row in table(response, "bindings_by_region").rows]
    assert regions == ["徐州市"]
    # The region filter offers only regions in scope.
    choices = [code for code, _label in response.context["form"].fields["region"].choices]
    assert choices == ["", "320300"]
    assert fetch(client, URL, {"region": "320100"}).context.get("tables") is None  # not a valid choice


def test_a_provincial_official_sees_the_province_and_can_narrow_it(client, official, refusals):
    client.force_login(official(scope_province_id="32"))
    codes = [row[0] for row in table(fetch(client), "top_refusals").rows]
    assert codes == ["RELATION_NOT_ALLOWED", "CROSS_PROVINCE_NOT_ALLOWED"]
    narrowed = table(fetch(client, URL, {"region": "320100"}), "top_refusals").rows
    assert narrowed == [["CROSS_PROVINCE_NOT_ALLOWED", reason_text("CROSS_PROVINCE_NOT_ALLOWED"), 1, 0, 0, 0, 0, 1]]


def test_bindings_money_and_settlements_per_month(client, official, settled_binding):
    client.force_login(official())
    response = fetch(client)
    month = timezone.localdate().strftime("%Y-%m")
    new = {row[0]: row for row in table(response, "bindings_per_month").rows}
    assert new[month][1] >= 1
    money = table(response, "money_shared").rows
    assert [month, "徐州市", "徐州市", 1, Decimal("40.00")] in money
    settled = {row[0]: row for row in table(response, "settlements_per_month").rows}[month]
    assert settled[1] == 1 and settled[3] == Decimal("40.00")
    assert 'data-testid="chart-money_shared"' in response.text and "<desc" in response.text


def test_a_month_range_is_validated(client, official):
    client.force_login(official())
    response = fetch(client, URL, {"month_from": "2026-05", "month_to": "2026-01"})
    assert response.status_code == 200 and "tables" not in response.context
    assert client.get(URL + "top_refusals.csv", {"month_from": "2026-13", "month_to": "2026-01"}).status_code == 400


def test_every_table_downloads_as_csv_in_scope(client, official, refusals):
    client.force_login(official(scope_region_id="320300"))
    response = fetch(client, URL + "top_refusals.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "RELATION_NOT_ALLOWED" and rows[1][2:] == ["1", "0", "0", "1", "0", "2"]
    assert "CROSS_PROVINCE_NOT_ALLOWED" not in response.content.decode()
    assert client.get(URL + "nothing.csv").status_code == 404


def test_a_statistics_csv_cell_that_looks_like_a_formula_is_escaped(client, official, alice, charlie, bind):
    from registry.models import PoolingRegion

    bind(alice, charlie, "child")
    PoolingRegion.objects.filter(code="320300").update(name="=HYPERLINK(1)")
    client.force_login(official())
    content = fetch(client, URL + "bindings_by_region.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in content and ",=HYPERLINK" not in content and not content.startswith("=")
    assert safe_cell("徐州市") == "徐州市"


def test_the_period_defaults_to_the_last_twelve_months(client, official):
    client.force_login(official())
    form = fetch(client).context["form"]
    start = form.cleaned_data["start"].date()
    assert start.day == 1 and (timezone.localdate() - start) < datetime.timedelta(days=370)


def test_an_unanswered_spouse_request_past_its_deadline_counts_as_expired(client, official, alice, bob):
    from sharing.services import binding_create

    binding = binding_create(authorizer=alice.person, relation="spouse", member=bob.person, actor=alice,
                             signature_method="typed", typed_name=alice.person.name)
    type(binding).objects.filter(pk=binding.pk).update(consent_deadline=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(official())
    response = fetch(client)
    by_relation = table(response, "bindings_by_relation")
    expired_column = by_relation.headers.index(str(type(binding).Status.EXPIRED.label))
    assert by_relation.rows[0][expired_column] == 1


def test_counts_come_from_the_hourly_summary_and_the_page_says_when(client, official, refusals):
    client.force_login(official())
    assert table(client.get(URL), "top_refusals").rows == []  # not counted yet
    assert "refresh_statistics" in client.get(URL).text
    page = fetch(client)
    assert len(table(page, "top_refusals").rows) == 2 and 'id="refreshed"' in page.text
    refusal_log(["SHARED_BALANCE_ZERO"], channel="api", region="320300")
    assert len(table(client.get(URL), "top_refusals").rows) == 2  # until the next refresh
    assert len(table(fetch(client), "top_refusals").rows) == 3
