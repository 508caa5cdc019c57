"""Issue 3 journeys: a worker binds a child (drawn signature), a parent (typed) and a spouse; the spouse agrees;
a second spouse is refused with SECOND_SPOUSE; the worker unbinds the child. axe-clean, normal and elder mode."""

import datetime
import re

from sharing.models import Binding

SUBMIT = "main form.portal-form button[type=submit]"


def _start(page, assert_accessible, relation):
    page.goto("/sharing/")
    assert_accessible(page)
    page.locator("main a[href='/sharing/bind/']").first.click()
    page.locator(f"input[name=relation][value={relation}]").check()
    assert_accessible(page)
    page.locator(SUBMIT).click()


def _member(page, person):
    page.locator("#id_name").fill(person.name)
    page.locator("#id_certno").fill(person.certno)
    page.locator(SUBMIT).click()
    page.wait_for_load_state()


def _dates_and_letter(page, assert_accessible):
    if page.url.endswith("/sharing/bind/dates/"):
        assert_accessible(page)
        page.locator(SUBMIT).click()  # today, as suggested
    page.wait_for_url(re.compile(r"/sharing/bind/letter/$"))
    assert_accessible(page)
    page.locator("input[name=read]").check()
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(r"/sharing/bind/sign/$"))


def _check_and_submit(page, assert_accessible):
    page.wait_for_url(re.compile(r"/sharing/bind/check/$"))
    assert_accessible(page)
    page.locator("main form#submit-application button[type=submit]").click()
    page.wait_for_url(re.compile(r"/sharing/bind/done/"))
    assert_accessible(page)
    return page.locator("[data-reference]").text_content().strip()


def _draw(page):
    page.locator("input[name=method][value=drawn]").check()
    canvas = page.locator("#signature-pad")
    canvas.wait_for(state="visible")
    canvas.scroll_into_view_if_needed()  # in elder mode the pad may start below the fold; the mouse works in the viewport
    box = canvas.bounding_box()
    x, y = box["x"] + 20, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(x + step * 18, y + (15 if step % 2 else -15), steps=3)
    page.mouse.up()


def test_a_worker_binds_child_parent_and_spouse_who_agrees_then_unbinds_the_child(
        any_mode_page, new_page, login_as, assert_accessible, alice, bob, charlie, make_person):
    mother = make_person(name="张母", birth=datetime.date(1958, 1, 1), insutype="390")
    second = make_person(name="另一人", birth=datetime.date(1983, 2, 2))
    page = login_as(any_mode_page, alice)

    # A child, with a drawn signature.
    _start(page, assert_accessible, "child")
    _member(page, charlie)
    _dates_and_letter(page, assert_accessible)
    assert_accessible(page)
    _draw(page)
    page.locator(SUBMIT).click()
    reference = _check_and_submit(page, assert_accessible)
    child = Binding.objects.get(reference=reference)
    assert child.status == "active" and child.signature_method == "drawn"
    assert bytes(child.signature_image).startswith(b"\x89PNG")

    # A parent, with the typed name.
    _start(page, assert_accessible, "parent")
    _member(page, mother)
    _dates_and_letter(page, assert_accessible)
    page.locator("input[name=method][value=typed]").check()
    page.locator("#id_typed_name").fill(alice.person.name)
    page.locator(SUBMIT).click()
    parent = Binding.objects.get(reference=_check_and_submit(page, assert_accessible))
    assert parent.status == "active" and parent.typed_name == alice.person.name

    # A spouse: waits for consent.
    _start(page, assert_accessible, "spouse")
    _member(page, bob.person)
    _dates_and_letter(page, assert_accessible)
    page.locator("#id_typed_name").fill(alice.person.name)
    page.locator(SUBMIT).click()
    spouse = Binding.objects.get(reference=_check_and_submit(page, assert_accessible))
    assert spouse.status == "awaiting_consent"

    # The spouse logs in, sees the count, reads and agrees.
    bob_page = login_as(new_page(page.mode), bob)
    bob_page.goto("/sharing/consent/")
    assert bob_page.locator("[data-count=consent]").first.text_content().strip().startswith("1")
    assert_accessible(bob_page)
    bob_page.locator(f"[data-binding='{spouse.pk}'] a").click()
    assert_accessible(bob_page)
    bob_page.locator("input[name=answer][value=agree]").check()
    bob_page.locator(SUBMIT).click()
    bob_page.wait_for_url(re.compile(r"/confirm/"))
    assert_accessible(bob_page)
    bob_page.locator("main form button[type=submit]").click()
    bob_page.wait_for_url(re.compile(r"/sharing/consent/$"))
    spouse.refresh_from_db()
    assert spouse.status == "active"

    # A second spouse is refused, with the reason, before anything is signed.
    _start(page, assert_accessible, "spouse")
    _member(page, second)
    assert page.url.endswith("/sharing/bind/member/")
    # The code is for machines (data-code), the reader gets the sentence.
    codes = [r.get_attribute("data-code") for r in page.locator(".reason[data-code]").all()]
    assert codes == ["SECOND_SPOUSE"]
    assert_accessible(page)

    # Unbind the child, re-entering the password.
    page.goto(f"/sharing/{child.pk}/")
    assert_accessible(page)
    page.locator(f"a[href='/sharing/{child.pk}/unbind/']").click()
    assert_accessible(page)
    page.locator("#id_password").fill("Correct-Horse-42")
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(r"/sharing/$"))
    assert_accessible(page)
    child.refresh_from_db()
    assert child.status == "ended"
    assert page.locator(f"tr[data-binding='{child.pk}']").get_attribute("data-status") == "ended"
