"""Issue 5 journeys: a parent shows a child's live code; the self-check on a cross-province father and on a
zero-balance authorizer. Each page is axe-clean in normal and elder mode."""

import re

import pytest

from demo.data import DEMO_PASSWORD


@pytest.fixture
def demo(transactional_db):
    from demo import data as demo

    return demo.load()


def test_a_parent_shows_a_childs_code_and_it_refreshes(any_mode_page, login_as, assert_accessible, alice, charlie):
    from family import services
    from family.views import REFRESH_SECONDS
    from sharing.models import Binding
    from sharing.services import binding_create

    # Online, a parent adds a child they already share with (signed commitment letter for the child).
    binding_create(authorizer=alice.person, member=charlie, relation="child", actor=alice,
                   signature_method=Binding.SignatureMethod.TYPED, typed_name=alice.person.name)
    services.family_member_add(actor=alice, holder=alice.person, relation="child", member_name=charlie.name,
                               member_certno=charlie.certno)
    page = any_mode_page
    page.clock.install()
    login_as(page, alice)
    page.goto("/family/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(charlie.name)).first.click()
    qr = page.locator(".insurance-code svg[role=img]")
    qr.wait_for(state="visible")
    assert qr.bounding_box()["width"] >= 100
    before = page.locator(".code-text").text_content()
    assert_accessible(page)
    page.clock.fast_forward((REFRESH_SECONDS + 1) * 1000)
    page.wait_for_selector(".insurance-code[data-refreshed]")
    after = page.locator(".code-text").text_content()
    assert after and after != before
    page.locator(".insurance-code svg[role=img]").wait_for(state="visible")


def _run_selfcheck(page, login_as, person, situation, *, pick=None, relation=None):
    login_as(page, person.certno, DEMO_PASSWORD)
    page.goto("/")
    page.locator("a.task[href='/why-sharing-failed/']").click()
    page.locator(f"input[name=situation][value={situation}]").check()
    if pick is not None:
        page.locator("select[name=person]").select_option(str(pick.pk))
    if relation:
        page.locator("select[name=relation]").select_option(relation)
    page.locator("main form.portal-form button[type=submit]").click()
    page.wait_for_load_state()


def test_the_selfcheck_on_a_cross_province_father(any_mode_page, login_as, assert_accessible, demo):
    page = any_mode_page
    _run_selfcheck(page, login_as, demo["spouse"], "member_cannot_use", pick=demo["father_in_law"], relation="parent")
    codes = set(page.locator(".finding").evaluate_all("els => els.map(e => e.dataset.code)"))
    assert codes == {"NOT_BOUND", "FAMILY_ACCOUNT_ONLY", "CROSS_PROVINCE_NOT_ALLOWED"}
    assert page.get_by_text("江苏省家庭共济政策").first.is_visible()
    assert_accessible(page)


def test_the_selfcheck_on_a_zero_balance_authorizer(any_mode_page, login_as, assert_accessible, demo):
    from sharing.models import Binding
    from sharing.services import binding_create

    if not Binding.objects.filter(authorizer=demo["zero_worker"], member=demo["zero_mother"]).exists():
        binding_create(authorizer=demo["zero_worker"], member=demo["zero_mother"], relation="parent", actor=None,
                       signature_method=Binding.SignatureMethod.TYPED, typed_name=demo["zero_worker"].name)
    page = any_mode_page
    _run_selfcheck(page, login_as, demo["zero_worker"], "member_cannot_use")
    codes = set(page.locator(".finding").evaluate_all("els => els.map(e => e.dataset.code)"))
    assert codes == {"SHARED_BALANCE_ZERO"}
    assert page.locator(".payment-preview").first.is_visible()
    assert_accessible(page)


def test_the_anonymous_selfcheck_and_help_pages(any_mode_page, live_url, assert_accessible, transactional_db):
    page = any_mode_page
    page.goto(live_url("/why-sharing-failed/"))
    assert page.locator("#rule-FAMILY_ACCOUNT_ONLY").is_visible()
    assert_accessible(page)
    page.goto(live_url("/help/family-account-vs-sharing/"))
    assert_accessible(page)
