"""Several members in one application: a worker adds a child and a parent, signs once, and sees one verdict per
member. axe-clean, normal and elder mode."""

import datetime
import re

from sharing.models import Binding
from tests.browser.test_sharing_journey import SUBMIT, _dates_and_letter, _member, _start


def test_a_worker_binds_a_child_and_a_parent_in_one_application(any_mode_page, login_as, assert_accessible, alice,
                                                                 charlie, make_person):
    mother = make_person(name="张母", birth=datetime.date(1958, 1, 1), insutype="390", sex="F")
    page = login_as(any_mode_page, alice)

    _start(page, assert_accessible, "child")
    _member(page, charlie)
    _dates_and_letter(page, assert_accessible)
    page.locator("#id_typed_name").fill(alice.person.name)
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(r"/sharing/bind/check/$"))
    page.locator("main form#add-another button[type=submit]").click()

    page.wait_for_url(re.compile(r"/sharing/bind/relationship/$"))
    page.locator("input[name=relation][value=parent]").check()
    page.locator(SUBMIT).click()
    _member(page, mother)
    _dates_and_letter(page, assert_accessible)
    page.locator("#id_typed_name").fill(alice.person.name)
    page.locator(SUBMIT).click()

    page.wait_for_url(re.compile(r"/sharing/bind/check/$"))
    assert_accessible(page)
    assert page.locator("[data-testid=check-other]").count() == 1
    page.locator("main form#submit-application button[type=submit]").click()
    page.wait_for_url(re.compile(r"/sharing/bind/results/$"))
    assert_accessible(page)
    references = {r.strip() for r in page.locator("[data-reference]").all_text_contents()}
    bindings = Binding.objects.filter(authorizer=alice.person)
    assert references == {b.reference for b in bindings} and {b.member for b in bindings} == {charlie, mother}
