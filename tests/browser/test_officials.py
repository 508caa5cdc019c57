"""The officials' workspace in a real browser, as 徐州's official: statistics and registry upload, axe-clean."""

import datetime

from registry import idnumber


def _official_xz():
    from accounts.models import User
    from demo.data import DEMO_PASSWORD, _officials_group  # the demo's own officials' group

    user = User.objects.create_user(username="official_xz", password=DEMO_PASSWORD, role="official", is_staff=True,
                                    scope_region_id="320300", first_name="徐州市医保局")
    user.groups.add(_officials_group())
    return user, DEMO_PASSWORD


def test_statistics_show_the_scope_with_charts_tables_and_csv(page, live_url, login_as, assert_accessible, alice):
    from audit.refusals import refusal_log

    refusal_log(["RELATION_NOT_ALLOWED"], channel="wizard", region="320300")
    refusal_log(["AUTHORIZER_NOT_ENROLLED"], channel="selfcheck", region="320100")  # 南京: not for 徐州
    from officials.summary import statistics_refresh

    statistics_refresh()
    user, password = _official_xz()
    login_as(page, user, password)
    page.goto(live_url("/admin/"))
    page.locator("#officials-workspace a[href='/admin/statistics/']").click()
    page.wait_for_load_state()
    assert page.locator("svg[data-testid=chart-refusals_per_month]").is_visible()
    top = page.locator("#top_refusals table").inner_text()
    assert "RELATION_NOT_ALLOWED" in top and "AUTHORIZER_NOT_ENROLLED" not in top
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.locator("#top_refusals a[href*='top_refusals.csv']").click()
    assert b"RELATION_NOT_ALLOWED" in open(download_info.value.path(), "rb").read()


def test_an_upload_previews_then_applies(page, live_url, login_as, assert_accessible, tmp_path, settings):
    settings.REGISTRY_UPLOAD_DIR = tmp_path / "uploads"
    user, password = _official_xz()
    certno = idnumber.make("320302", datetime.date(1990, 2, 3), 15)
    good = tmp_path / "good.csv"
    good.write_text("psn_name,certno,insutype,insuplc_admdvs,status,acct_balc,tel\n"
                    f"新参保人,{certno},310,320300,active,12.00,\n", encoding="utf-8")
    login_as(page, user, password)
    page.goto(live_url("/admin/registry/insuredperson/"))
    page.locator("a[href='/admin/registry/insuredperson/import/']").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.locator("input[type=file]").set_input_files(str(good))
    page.locator("input[type=submit]:not([name=apply])").click()
    page.wait_for_load_state()
    assert page.locator("#count-new").inner_text() == "1"
    assert_accessible(page)
    page.locator("input[name=apply]").click()
    page.wait_for_load_state()
    # The background job's page (the test settings run tasks at once): its outcome and rows written.
    assert "/admin/registry/insuredperson/import/" in page.url
    assert page.locator("#job-status").inner_text() == "已导入"
    assert page.locator("#job-rows").inner_text().startswith("1 / 1")
    assert_accessible(page)
    page.goto(live_url("/admin/registry/insuredperson/"))
    assert "新参保人" in page.content()


def test_the_officials_pages_fit_a_1280px_screen(page, live_url, login_as):
    from demo import data as demo

    demo.load()
    login_as(page, "official_xz", "Demo@2026")
    for url in ["/admin/", "/admin/registry/insuredperson/", "/admin/sharing/binding/", "/admin/audit/auditevent/",
                "/admin/statistics/", "/admin/registry/sharingpolicy/", "/admin/ledger/ledgerentry/",
                "/admin/settlement/settlement/", "/admin/accounts/user/", "/admin/registry/insuredperson/import/"]:
        page.goto(live_url(url))
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280, url
