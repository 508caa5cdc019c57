"""Spending details in a real browser: the chart is visible, the CSV downloads, axe finds nothing."""

from decimal import Decimal


def _paid_for_charlie(alice, charlie):
    from settlement.models import Institution
    from settlement.services import settlement_create
    from sharing.services import binding_create

    binding_create(authorizer=alice.person, relation="child", member=charlie, actor=alice, signature_method="typed",
                   typed_name=alice.person.name)
    institution = Institution.objects.create(fixmedins_code="H32030200090", name="徐州市第一人民医院",
                                             region_id="320300")
    for i, amount in enumerate(["86.40", "32.00"]):
        settlement_create(institution=institution, body={
            "request_id": f"b{i}", "mdtrt_cert_type": "02", "mdtrt_cert_no": charlie.certno,
            "amount": Decimal(amount), "category": "pharmacy"})


def test_the_authorizer_sees_the_chart_downloads_the_csv_and_the_page_is_accessible(
        page, live_url, login_as, assert_accessible, alice, charlie):
    _paid_for_charlie(alice, charlie)
    login_as(page, alice)
    page.goto(live_url("/money/spending/"))
    chart = page.locator("svg[data-testid=spending-chart]")
    assert chart.is_visible()
    assert page.locator("svg[data-testid=spending-chart] rect.bar").count() == 1
    assert "118.40" in page.locator("table[data-testid=totals]").inner_text()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.locator("a[href*='spending.csv']").click()
    content = open(download_info.value.path(), "rb").read()
    assert content.startswith("\ufeff".encode()) and "王小川".encode() in content


def test_the_spending_page_is_accessible_in_elder_mode(elder_page, live_url, login_as, assert_accessible, alice,
                                                       charlie):
    _paid_for_charlie(alice, charlie)
    login_as(elder_page, alice)
    elder_page.goto(live_url("/money/spending/"))
    assert elder_page.locator("svg[data-testid=spending-chart]").is_visible()
    assert_accessible(elder_page)
