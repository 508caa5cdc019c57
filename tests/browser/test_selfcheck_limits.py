"""The self-check result with nobody bound (no all-clear) and with a Shanxi binding (its floor and cap stated):
axe-clean in normal and elder mode."""

import datetime


def _check(page, live_url, situation):
    page.goto(live_url("/why-sharing-failed/"))
    page.locator(f"input[name=situation][value={situation}]").check()
    page.locator("main form.portal-form button[type=submit]").click()
    page.wait_for_load_state()


def test_nobody_bound_is_no_all_clear(any_mode_page, live_url, login_as, assert_accessible, alice):
    page = any_mode_page
    login_as(page, alice)
    _check(page, live_url, "member_cannot_use")
    assert page.locator(".finding[data-code=NOT_BOUND]").is_visible()
    assert page.locator(".alert-success").count() == 0
    assert_accessible(page)


def test_the_limits_of_a_shanxi_binding_are_stated(any_mode_page, live_url, login_as, assert_accessible,
                                                   make_citizen, make_person):
    from sharing.services import binding_create

    worker = make_citizen(name="晋工", birth=datetime.date(1980, 1, 1), address="140105", region="140100",
                          balance="5000.00", mobile="13700000081")
    mother = make_person(name="晋母", birth=datetime.date(1955, 1, 1), address="140105", region="140100",
                         insutype="390", sex="F")
    binding_create(authorizer=worker.person, member=mother, relation="parent", actor=worker,
                   signature_method="typed", typed_name=worker.person.name)
    page = any_mode_page
    login_as(page, worker)
    _check(page, live_url, "member_cannot_use")
    limits = page.locator(".policy-limits").text_content()
    assert "¥1000.00" in limits and "¥500.00" in limits
    assert_accessible(page)
