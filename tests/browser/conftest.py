"""Browser-test plumbing: Debian's Chromium driven by Playwright (sync API) against pytest-django's live_server.

Fixture API (see each docstring):

    browser                     session-wide Chromium (one launch per test session)
    page                        fresh context per test, locale zh-CN, viewport 1280x800, normal mode
    elder_page                  same, with the elder_mode=1 cookie set (elder mode on from the first request)
    any_mode_page               parametrized: runs the test once as "normal" and once as "elder"
                                (the page carries `page.mode` == "normal" | "elder")
    new_page(mode=, viewport=, language=)  factory for more pages/contexts in one test (e.g. the spouse in a second context)
    live_url(path)              absolute URL on the live server, e.g. live_url("/accounts/login/")
    login_as(page, user_or_identifier, password)   logs in through the real login form
    assert_accessible(page, context=None)          axe-core (WCAG 2.x A/AA + best practice): zero violations
    sms_code(mobile=None)       the latest 6-digit code sent via notifications.sms.outbox
    reseed()                    reload reference data (the root conftest already does it after every
                                transactional test; extend tests.reseed.RESEEDERS)

Mark tests with @pytest.mark.browser (all tests in tests/browser are marked automatically).
Transactional DB: the live server runs in another thread, so every browser test uses transactional_db,
whose flush wipes migration-seeded data; the root conftest puts it back right after each flush.
"""

import os
import re

import pytest

from tests.reseed import RESEEDERS, reseed_all  # noqa: F401  (RESEEDERS re-exported)

# The sync Playwright API runs an event loop in this thread; Django's ORM refuses to run there without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
DEFAULT_PASSWORD = "Correct-Horse-42"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/tests/browser/" in item.path.as_posix():
            item.add_marker(pytest.mark.browser)


# --- Reference data ------------------------------------------------------------------------------------------------
# The root conftest reloads seeded reference data after every transactional flush (tests/reseed.py);
# add an app's loader to tests.reseed.RESEEDERS. `reseed` here is for calling it again inside a test.

@pytest.fixture
def reseed():
    """reseed() reloads the reference data (already done after each transactional flush)."""
    return reseed_all


# --- Browser ------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (installs Debian's chromium package).")
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def live_url(live_server):
    def url(path="/"):
        return live_server.url + path

    return url


@pytest.fixture
def new_page(browser, live_server):
    """Factory: new_page(mode="normal"|"elder", viewport=DESKTOP, language=None) -> a Page in its own context.

    language="en" starts with Django's language cookie set (the portal's default is Simplified Chinese)."""
    from django.conf import settings

    contexts = []

    def make(mode="normal", viewport=None, locale="zh-CN", language=None):
        context = browser.new_context(locale=locale, viewport=viewport or DESKTOP, base_url=live_server.url)
        context.set_default_timeout(10_000)
        if mode == "elder":
            context.add_cookies([{"name": "elder_mode", "value": "1", "url": live_server.url}])
        if language:
            context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
        contexts.append(context)
        page = context.new_page()
        page.mode = mode
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page("normal")


@pytest.fixture
def elder_page(new_page):
    return new_page("elder")


@pytest.fixture(params=["normal", "elder"])
def any_mode_page(request, new_page):
    """Run the test in normal and in elder mode: `def test_x(any_mode_page): ...`; `any_mode_page.mode` tells which."""
    return new_page(request.param)


# --- Helpers ------------------------------------------------------------------------------------------------------

@pytest.fixture
def login_as(live_server):
    """login_as(page, user_or_identifier, password=DEFAULT_PASSWORD): log in through the form; returns the page."""

    def login(page, user, password=DEFAULT_PASSWORD):
        identifier = user if isinstance(user, str) else user.get_username()
        page.goto(live_server.url + "/accounts/login/")
        page.locator("#id_username").fill(identifier)
        page.locator("#id_password").fill(password)
        page.locator("main form.portal-form button[type=submit]").click()
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url, f"login as {identifier!r} failed: still on {page.url}"
        return page

    return login


@pytest.fixture
def sms_code():
    """sms_code(mobile=None) -> the 6-digit code of the latest SMS (to that mobile) in the LocmemSender outbox."""
    from notifications import sms

    def latest(mobile=None):
        for to, text in reversed(sms.outbox):
            if mobile is None or to == mobile:
                found = re.search(r"(?<!\d)(\d{6})(?!\d)", text)
                if found:
                    return found.group(1)
        raise AssertionError(f"no SMS code sent{' to ' + mobile if mobile else ''}; outbox: {sms.outbox!r}")

    return latest


AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                                     "best-practice"]}}


def format_violations(violations):
    lines = []
    for v in violations:
        lines.append(f"[{v.get('impact')}] {v['id']}: {v['help']} ({v.get('helpUrl', '')})")
        for node in v.get("nodes", [])[:8]:
            lines.append(f"    at {' '.join(map(str, node.get('target', [])))}")
            lines.append(f"       {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " | ")
            if summary:
                lines.append(f"       {summary[:400]}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """assert_accessible(page, context=None, options=None): axe-core finds no violation on the page as it is now."""

    def check(page, context=None, options=None):
        page.wait_for_load_state()
        results = axe.run(page, context=context, options=options or AXE_OPTIONS)
        violations = results.response.get("violations", [])
        assert not violations, (
            f"axe-core: {len(violations)} violation(s) on {page.url} "
            f"(mode={getattr(page, 'mode', '?')}):\n{format_violations(violations)}"
        )
        return results

    return check
