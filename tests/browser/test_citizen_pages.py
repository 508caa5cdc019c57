"""Issue 14 journeys: a drawn signature survives going back from the check page; logging in again after the
session expired lands on the form, never a 405; the phone elder-mode menu; radio geometry in elder mode."""

import re

from sharing.models import Binding
from tests.browser.test_sharing_journey import SUBMIT, _check_and_submit, _dates_and_letter, _draw, _member, _start


def _pad_is_blank(page) -> bool:
    return page.evaluate("""() => {
        const c = document.getElementById('signature-pad');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) { return false; } }
        return true; }""")


def test_a_drawn_signature_is_kept_when_going_back_from_the_check_page(
        any_mode_page, login_as, assert_accessible, alice, charlie):
    page = login_as(any_mode_page, alice)
    _start(page, assert_accessible, "child")
    _member(page, charlie)
    _dates_and_letter(page, assert_accessible)
    _draw(page)
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(r"/sharing/bind/check/$"))

    page.locator("main a.back-link").first.click()
    page.wait_for_url(re.compile(r"/sharing/bind/sign/$"))
    page.locator("#signature-pad").wait_for(state="visible")
    page.wait_for_function("() => document.getElementById('id_signature').value.startsWith('data:image/png')")
    page.wait_for_timeout(200)  # the kept drawing is an image: let it load
    assert not _pad_is_blank(page)
    # Resizing the window (turning a phone) keeps it too.
    page.set_viewport_size({"width": 900, "height": 700})
    page.wait_for_timeout(300)
    assert not _pad_is_blank(page)
    assert_accessible(page)

    page.locator(SUBMIT).click()
    reference = _check_and_submit(page, assert_accessible)
    binding = Binding.objects.get(reference=reference)
    assert binding.signature_method == "drawn" and bytes(binding.signature_image).startswith(b"\x89PNG")
