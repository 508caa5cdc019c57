"""The browser plumbing itself: live server, reference data after the transactional flush, both modes, axe-core."""

import pytest

pytestmark = pytest.mark.browser


def test_home_page_in_both_modes(any_mode_page, live_url, assert_accessible):
    from registry.models import PoolingRegion

    # The flush after the previous transactional test wiped the seeded regions; `reseed` put them back.
    assert PoolingRegion.objects.filter(code="320300").exists()
    any_mode_page.goto(live_url("/"))
    assert any_mode_page.locator("h1").count() == 1
    is_elder = any_mode_page.evaluate("document.body.classList.contains('elder')")
    assert is_elder == (any_mode_page.mode == "elder")
    assert_accessible(any_mode_page)
