"""Issue 14 journeys: a drawn signature survives going back from the check page; logging in again after the
session expired lands on the form, never a 405; the phone elder-mode menu; radio geometry in elder mode."""

import re

import pytest

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
    from accounts.models import Session

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


# --- Elder mode and phones, measured ----------------------------------------------------------------------------

from tests.browser.conftest import DESKTOP, PHONE  # noqa: E402

# Every visible text under min_font px; every interactive element smaller than min_target (a radio or checkbox is
# measured with its label row, the whole row being its target; outside elder mode only the options); every group of
# options not aligned, with a circle touching its label, or whose question (legend) is not its largest text.
MEASURE_JS = """([minFont, minTarget, optionsOnly]) => {
  const out = [];
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.closest('.visually-hidden'); };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
    ' "' + (el.textContent || el.value || '').trim().slice(0, 30) + '"';
  if (minFont) {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const el = node.parentElement;
      if (!node.textContent.trim() || !el || el.closest('svg, script, style, noscript') || !visible(el)) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < minFont - 0.01) out.push('text ' + size + 'px: ' + name(el));
    }
  }
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    const option = el.type === 'radio' || el.type === 'checkbox';
    if ((optionsOnly && !option) || (!visible(el) && !option)) continue;
    const target = (el.type === 'radio' || el.type === 'checkbox') ? (el.closest('.form-check') || el) : el;
    if (!visible(target)) continue;
    const r = target.getBoundingClientRect();
    if (r.height < minTarget - 0.5 || r.width < minTarget - 0.5)
      out.push('target ' + Math.round(r.width) + 'x' + Math.round(r.height) + ': ' + name(el));
  }
  for (const fieldset of document.querySelectorAll('fieldset')) {
    const inputs = [...fieldset.querySelectorAll('input[type=radio], input[type=checkbox]')].filter(visible);
    if (!inputs.length) continue;
    const lefts = inputs.map((i) => Math.round(i.getBoundingClientRect().left));
    if (Math.max(...lefts) - Math.min(...lefts) > 1) out.push('options not aligned ' + lefts.join(',') + ': ' + name(fieldset));
    for (const input of inputs) {
      const label = fieldset.querySelector('label[for="' + input.id + '"]');
      if (label && label.getBoundingClientRect().left - input.getBoundingClientRect().right < 8)
        out.push('circle touches its label: ' + name(label));
    }
    const legend = fieldset.querySelector('legend');
    if (legend) {
      const size = parseFloat(getComputedStyle(legend).fontSize);
      for (const el of fieldset.querySelectorAll('label, .form-text')) {
        if (visible(el) && parseFloat(getComputedStyle(el).fontSize) > size)
          out.push('legend ' + size + 'px smaller than ' + name(el));
      }
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth)
    out.push('page ' + document.documentElement.scrollWidth + 'px wide in a ' + window.innerWidth + 'px window');
  return out;
}"""


def _citizen_pages(page, alice, bob, charlie, make_person):
    """Walk the pages with radios, the letter, the consent answer and the lists; yield each page's name."""
    from sharing.services import binding_create

    spouse_request = binding_create(authorizer=bob.person, relation="spouse", member=alice.person, actor=bob,
                                    signature_method="typed", typed_name=bob.person.name)
    import datetime

    mother = make_person(name="张母", birth=datetime.date(1958, 1, 1), insutype="390")
    child = binding_create(authorizer=alice.person, relation="parent", member=mother, actor=alice,
                           signature_method="typed", typed_name=alice.person.name, valid_from=datetime.date.today())
    for path in ["/", "/accounts/me/", "/sharing/", f"/sharing/{child.pk}/", "/sharing/my-authorizers/",
                 "/money/spending/", "/notifications/", "/family/", "/help/", "/why-sharing-failed/",
                 f"/sharing/consent/{spouse_request.pk}/", "/sharing/bind/"]:
        page.goto(path)
        yield path
    page.locator(SUBMIT).click()  # nothing chosen: the error summary
    page.wait_for_load_state()
    yield "relation errors"
    page.locator("input[name=relation][value=child]").check()
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(r"/sharing/bind/member/$"))
    page.locator("#id_name").fill(charlie.name)
    page.locator("#id_certno").fill(charlie.certno)
    page.locator(SUBMIT).click()
    page.wait_for_load_state()
    if page.url.endswith("/dates/"):
        yield "dates"
        page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(r"/sharing/bind/letter/$"))
    yield "letter"
    page.locator("input[name=read]").check()
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(r"/sharing/bind/sign/$"))
    yield "sign"
    page.goto("/why-sharing-failed/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    yield "self-check result"


@pytest.mark.parametrize("mode, viewport", [("elder", PHONE), ("elder", DESKTOP), ("normal", PHONE)])
def test_elder_mode_text_targets_radios_and_width_measured(new_page, login_as, assert_accessible, alice, bob, charlie,
                                                           make_person, mode, viewport):
    page = login_as(new_page(mode=mode, viewport=viewport), alice)
    # Elder mode: text >= 18px and every target >= 60x60; otherwise the options' rows are >= 44px targets.
    limits = [18, 60, False] if mode == "elder" else [0, 44, True]
    problems = []
    for where in _citizen_pages(page, alice, bob, charlie, make_person):
        problems += [f"{where}: {p}" for p in page.evaluate(MEASURE_JS, limits)]
        if viewport == PHONE:
            assert_accessible(page)
    assert not problems, "\n".join(problems)


def test_focus_goes_to_the_first_option_the_reasons_and_stays_on_the_elder_toggle(
        any_mode_page, login_as, assert_accessible, alice, make_person):
    page = login_as(any_mode_page, alice)
    # The error summary's link of a radio question focuses its first option.
    page.goto("/sharing/bind/")
    page.locator(SUBMIT).click()
    page.wait_for_load_state()
    link = page.locator("#error-summary a").first
    assert link.get_attribute("href") == "#id_relation_0"
    link.click()
    assert page.evaluate("document.activeElement.id") == "id_relation_0"
    assert_accessible(page)

    # A refusal (parents-in-law under the policy in force) moves focus to the reasons.
    in_law = make_person(name="王岳父", birth=__import__("datetime").date(1955, 1, 1), insutype="390")
    page.goto("/sharing/bind/")
    options = page.locator("input[name=relation]")
    values = [options.nth(i).get_attribute("value") for i in range(options.count())]
    if "parent_in_law" in values:
        page.locator("input[name=relation][value=parent_in_law]").check()
        page.locator(SUBMIT).click()
        page.wait_for_load_state()
    else:  # the wizard offers only what the policy allows: refuse a person who does not match instead
        page.locator("input[name=relation][value=parent]").check()
        page.locator(SUBMIT).click()
        page.locator("#id_name").fill("不是本人")
        page.locator("#id_certno").fill(in_law.certno)
        page.locator(SUBMIT).click()
        page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "refusals"
    assert_accessible(page)

    # Switching elder mode keeps focus on the toggle; its name stays, its pressed state changes.
    toggle = page.locator("#elder-toggle")
    before = toggle.get_attribute("aria-pressed")
    toggle.click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "elder-toggle"
    assert toggle.get_attribute("aria-pressed") != before
    assert "长辈模式" in page.evaluate("document.activeElement.textContent")


def test_the_phone_elder_menu_opens_the_whole_list_and_the_three_tasks_stay_on_the_first_screen(
        new_page, login_as, assert_accessible, alice, bob):
    from sharing.services import binding_create

    binding_create(authorizer=bob.person, relation="spouse", member=alice.person, actor=bob,
                   signature_method="typed", typed_name=bob.person.name)
    page = login_as(new_page(mode="elder", viewport=PHONE), alice)
    page.goto("/")
    assert not page.locator("nav.site-nav").is_visible()  # no strip scrolling sideways
    button = page.locator("nav.site-menu summary")
    box = button.bounding_box()
    assert "菜单" in button.text_content() and box["width"] >= 60 and box["height"] >= 60
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and box["y"] + box["height"] <= PHONE["height"]
    # Something waits (a spouse request): the button says so before it is opened.
    assert button.locator("[data-count=menu]").is_visible()
    tasks = page.locator("main .task")
    assert tasks.count() == 3
    for i in range(3):
        task = tasks.nth(i).bounding_box()
        assert task["y"] + task["height"] <= PHONE["height"], f"task {i + 1} is below the first screen"

    button.click()
    links = page.locator("nav.site-menu ul a.nav-link, nav.site-menu ul button")
    assert links.count() >= 8
    for i in range(links.count()):
        link = links.nth(i)
        assert link.is_visible()
        rect = link.bounding_box()
        assert rect["x"] >= 0 and rect["x"] + rect["width"] <= PHONE["width"] and rect["height"] >= 60
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    page.locator("nav.site-menu a[href='/sharing/consent/']").click()
    page.wait_for_url(re.compile(r"/sharing/consent/$"))


@pytest.mark.parametrize("mode, smallest", [("normal", 12), ("elder", 18)])
def test_the_spending_chart_keeps_readable_labels_on_a_phone_with_the_table_first(
        new_page, login_as, assert_accessible, alice, charlie, mode, smallest):
    from tests.browser.test_layout_phone import _data

    _data(alice, charlie)
    page = login_as(new_page(mode=mode, viewport=PHONE), alice)
    page.goto("/money/spending/")
    chart = page.locator("[data-testid=spending-chart]")
    chart.wait_for()
    sizes = page.evaluate("""() => [...document.querySelectorAll('[data-testid=spending-chart] text')].map((t) => {
        const svg = t.ownerSVGElement; const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return parseFloat(t.getAttribute('font-size')) * scale; })""")
    assert sizes and min(sizes) >= smallest - 0.01, sizes
    table = page.locator(".spending-chart-and-table table").bounding_box()
    assert table["y"] < chart.bounding_box()["y"], "the table comes first on a narrow screen"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
