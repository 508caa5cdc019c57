"""Issue 2's browser journey: registration → login → my insurance, in normal and in elder mode, axe-clean throughout;
plus elder mode's numbers, keyboard use and the error summary."""

import datetime

import pytest

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

PASSWORD = "Lotus-Pond-1990"
MOBILE = "13700000009"


@pytest.fixture
def erin(make_person):
    """In the registry with a personal account, no web account yet."""
    return make_person(name="钱二妮", birth=datetime.date(1990, 2, 2), balance="88.00", sex="F", mobile=MOBILE)


def submit(page):
    page.locator("main form.portal-form button[type=submit]").click()
    page.wait_for_load_state()


def active_element(page):
    return page.evaluate("""() => { const e = document.activeElement;
        return e ? {tag: e.tagName.toLowerCase(), id: e.id, cls: e.className || ''} : null; }""")


def test_register_log_in_and_see_my_insurance(any_mode_page, live_url, erin, sms_code, assert_accessible):
    page = any_mode_page
    page.goto(live_url("/"))
    assert_accessible(page)

    # Step 1, first with nothing filled in: an error summary that links to each field.
    page.locator("main").get_by_role("link", name="实名注册").or_(
        page.locator("main a[href$='/accounts/register/']")).first.click()
    assert page.url.endswith("/accounts/register/")
    submit(page)
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert summary.locator("a").count() == 3
    assert active_element(page)["id"] == "error-summary", "the error summary gets focus on load"
    assert_accessible(page)
    summary.locator("a[href='#id_certno']").click()
    assert active_element(page)["id"] == "id_certno", "an error link moves focus to its field"

    page.locator("#id_name").fill(erin.name)
    page.locator("#id_certno").fill(erin.certno)
    page.locator("#id_mobile").fill(MOBILE)
    submit(page)

    # Step 2: the SMS code and a password.
    assert page.url.endswith("/accounts/register/verify/")
    assert_accessible(page)
    page.locator("#id_code").fill(sms_code(MOBILE))
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    submit(page)

    # Logged in on "my insurance", with the balance of the registry.
    assert page.url.endswith("/accounts/me/")
    assert "88.00" in page.locator("main .summary-list").inner_text()
    assert erin.certno not in page.content(), "the ID number is masked"
    assert_accessible(page)

    # Log out, log in again with the mobile number.
    page.locator("header form[action$='/accounts/logout/'] button:visible").click()
    page.wait_for_load_state()
    page.goto(live_url("/accounts/login/"))
    assert_accessible(page)
    page.locator("#id_username").fill(MOBILE)
    page.locator("#id_password").fill(PASSWORD)
    submit(page)
    assert page.url.endswith("/accounts/me/")

    # Switch to English; the same page, in English, still accessible; the mode is kept.
    page.locator("header button[name=language][value=en]").click()
    page.wait_for_load_state()
    assert page.url.endswith("/accounts/me/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "My insurance"
    assert page.evaluate("document.body.classList.contains('elder')") == (page.mode == "elder")
    assert_accessible(page)


def test_the_elder_toggle_turns_elder_mode_on_and_remembers_it(page, live_url, assert_accessible):
    page.goto(live_url("/accounts/login/"))
    page.locator("header form[action$='/elder-mode/'] button").click()
    page.wait_for_load_state()
    assert page.url.endswith("/accounts/login/#elder-toggle")  # back where it was, focus on the toggle
    assert page.evaluate("document.body.classList.contains('elder')")
    assert page.locator("header form[action$='/elder-mode/'] button").get_attribute("aria-pressed") == "true"
    page.goto(live_url("/"))
    assert page.evaluate("document.body.classList.contains('elder')"), "the choice is remembered"
    assert_accessible(page)


# --- Elder mode's numbers ------------------------------------------------------------------------------------------

MEASURE = """() => {
  const px = v => parseFloat(v);
  const visible = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && r.right > 0 && r.bottom > 0; };
  const body = px(getComputedStyle(document.body).fontSize);
  const headings = [...document.querySelectorAll('h1, h2, h3, .brand')].filter(visible)
    .map(e => px(getComputedStyle(e).fontSize));
  const targets = [...document.querySelectorAll(
      'a[href], button, input:not([type=hidden]), select, textarea')].filter(visible)
    .filter(e => !e.classList.contains('skip-link'))
    .map(e => { const r = e.getBoundingClientRect();
      return {what: e.outerHTML.slice(0, 120), w: Math.round(r.width * 10) / 10, h: Math.round(r.height * 10) / 10}; });
  return {body, largest: Math.max(...headings), targets};
}"""


@pytest.mark.parametrize("path", ["/", "/accounts/register/", "/accounts/login/", "/accounts/me/"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_elder_mode_meets_the_sizes(new_page, live_url, login_as, alice, path, viewport):
    page = new_page("elder", viewport=viewport)
    if path == "/accounts/me/":
        login_as(page, alice)
    page.goto(live_url(path))
    m = page.evaluate(MEASURE)
    assert m["body"] >= 18
    assert m["largest"] >= 30
    small = [t for t in m["targets"] if t["w"] < 60 - 0.5 or t["h"] < 60 - 0.5]
    assert not small, "targets under 60×60 px:\n" + "\n".join(f"{t['w']}×{t['h']} {t['what']}" for t in small)


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "citizen"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("mode", ["normal", "elder"])
def test_the_three_main_tasks_are_on_the_first_screen(new_page, live_url, login_as, alice, viewport, mode, language,
                                                       logged_in):
    page = new_page(mode, viewport=viewport, language=language)
    if logged_in:
        login_as(page, alice)
    page.goto(live_url("/"))
    tasks = page.locator("main .task-list a.task")
    assert tasks.count() == 3
    for i in range(3):
        box = tasks.nth(i).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], (
            f"task {i + 1} is not on the first screen: {box} in {viewport}")
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]


# --- Keyboard ------------------------------------------------------------------------------------------------------

FOCUS_STYLE = """() => { const e = document.activeElement; const s = getComputedStyle(e); const r = e.getBoundingClientRect();
  return {cls: e.className, html: e.outerHTML.slice(0, 120),
          outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth), shadow: s.boxShadow,
          inView: r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && r.width > 0}; }"""


@pytest.mark.parametrize("mode", ["normal", "elder"])
def test_tab_reaches_the_skip_link_first_and_focus_is_visible(new_page, live_url, mode):
    page = new_page(mode)
    page.goto(live_url("/accounts/register/"))
    page.keyboard.press("Tab")
    focus = page.evaluate(FOCUS_STYLE)
    assert "skip-link" in focus["cls"]
    assert focus["inView"], "the focused skip link is visible"
    assert focus["outline"] != "none" and focus["outlineWidth"] >= 2
    page.keyboard.press("Enter")
    assert active_element(page)["id"] == "main"
    # Every next stop in the page shows a focus ring too: the fields, the button, the links.
    stops = 0
    while True:
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body || !document.activeElement"):
            break
        focus = page.evaluate(FOCUS_STYLE)
        assert focus["outline"] != "none" and focus["outlineWidth"] >= 2, focus
        stops += 1
        assert stops < 50
    assert stops >= 5


def test_error_summary_without_javascript_still_links_to_fields(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN", base_url=live_server.url)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/accounts/register/")
        page.locator("main form.portal-form button[type=submit]").click()
        page.wait_for_load_state()
        links = page.locator("#error-summary a")
        assert links.count() == 3
        assert [links.nth(i).get_attribute("href") for i in range(3)] == ["#id_name", "#id_certno", "#id_mobile"]
    finally:
        context.close()


# --- Every other page a citizen meets, axe-clean in both modes -------------------------------------------------------

@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password-reset/", "/no-such-page/"])
def test_other_pages_are_accessible_with_and_without_errors(any_mode_page, live_url, assert_accessible, path):
    page = any_mode_page
    page.goto(live_url(path))
    assert_accessible(page)
    if page.locator("main form.portal-form").count():
        submit(page)
        assert page.locator("#error-summary").is_visible() or page.locator("main .alert").count()
        assert_accessible(page)


def test_password_reset_verify_page_is_accessible(any_mode_page, live_url, alice, assert_accessible):
    page = any_mode_page
    page.goto(live_url("/accounts/password-reset/"))
    page.locator("#id_identifier").fill(alice.mobile)
    submit(page)
    assert page.url.endswith("/accounts/password-reset/verify/")
    assert_accessible(page)
    submit(page)
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page)
