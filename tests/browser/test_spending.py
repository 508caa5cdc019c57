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


def test_the_spending_page_prints_to_a4_with_whose_account_the_period_and_the_date(
        page, live_url, login_as, assert_accessible, alice, charlie):
    import re

    from django.utils import timezone

    from tests.browser.pdftext import pdf_text

    _paid_for_charlie(alice, charlie)
    login_as(page, alice)
    page.goto(live_url("/money/spending/"))
    # The period is chosen from two lists, no typing.
    today = timezone.localdate()
    page.select_option("#id_year", str(today.year))
    page.select_option("#id_month", f"{today.month:02d}")
    page.locator("form.spending-filter button[type=submit]").click()
    page.wait_for_url(re.compile(r"month="))
    assert page.locator("table[data-testid=payments] tbody tr").count() == 2
    assert_accessible(page)
    # The CSV link and the print button stand apart.
    csv, button = page.locator(".spending-actions .btn").all()
    gap = button.bounding_box()["x"] - (csv.bounding_box()["x"] + csv.bounding_box()["width"])
    assert gap >= 12 or button.bounding_box()["y"] >= csv.bounding_box()["y"] + csv.bounding_box()["height"] + 8

    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible() and not page.locator("form.spending-filter").is_visible()
    assert not page.locator(".spending-actions").is_visible()
    header = page.locator(".print-header")
    assert header.is_visible() and alice.person.masked_certno in header.text_content()
    assert alice.person.name in header.text_content()  # (pdf_text cannot read the Chinese glyphs back)
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF") and re.search(rb"/MediaBox\s*\[0 0 59[45]\.\d+ 84[12]\.\d+\]", pdf)
    printed = re.sub(r"\s+", "", pdf_text(pdf))
    assert alice.person.masked_certno in printed
    assert today.strftime("%Y-%m") in printed and today.strftime("%Y-%m-%d") in printed  # the period, the date
    assert re.search(r"1/\d", printed) and "118.40" in printed and alice.person.certno not in printed
    page.emulate_media(media="screen")
