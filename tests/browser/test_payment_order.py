"""The member changes their paying order on "who shares with me" with plain buttons (no JavaScript needed); the
page is axe-clean in normal and elder mode and does not scroll sideways on a phone."""

import datetime

from tests.browser.conftest import PHONE


def _two_authorizers(bob, make_citizen):
    from sharing.services import binding_create

    parents = [make_citizen(name="王父", birth=datetime.date(1958, 1, 1), balance="100.00", mobile="13700000071"),
               make_citizen(name="李母", birth=datetime.date(1960, 1, 1), balance="100.00", mobile="13700000072",
                            sex="F")]
    for parent in parents:
        binding_create(authorizer=parent.person, member=bob.person, relation="child", actor=parent,
                       signature_method="typed", typed_name=parent.person.name)


def _names(page):
    return page.locator("#payment-order li > span").all_text_contents()


def test_the_member_moves_an_authorizer_down(any_mode_page, live_url, login_as, assert_accessible, bob,
                                             make_citizen):
    _two_authorizers(bob, make_citizen)
    page = any_mode_page
    login_as(page, bob)
    page.goto(live_url("/sharing/my-authorizers/"))
    assert _names(page) == ["王父", "李母"]
    assert_accessible(page)
    page.locator("#payment-order li").first.get_by_role("button").click()
    page.wait_for_load_state()
    assert _names(page) == ["李母", "王父"]
    assert page.locator(".alert-success, [role=status]").first.is_visible()
    assert_accessible(page)


def test_the_paying_order_fits_a_phone(new_page, live_url, login_as, bob, make_citizen):
    _two_authorizers(bob, make_citizen)
    page = new_page(mode="elder", viewport=PHONE)
    login_as(page, bob)
    page.goto(live_url("/sharing/my-authorizers/"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
