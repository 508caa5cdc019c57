"""Phones (390px wide), standard and elder mode: the page never scrolls sideways, tables stay readable."""

from decimal import Decimal

import pytest

from tests.browser.conftest import PHONE

PAGES = ["/", "/accounts/me/", "/sharing/", "/money/spending/"]

# Which elements stick out on the right (for a readable failure message).
OVERFLOW_JS = """() => {
  const w = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1 && r.width > 0) {
      let p = el.parentElement, clipped = false;
      while (p) { const s = getComputedStyle(p); if (s.overflowX !== 'visible') { clipped = true; break; } p = p.parentElement; }
      const classes = el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '';
      if (!clipped) out.push(el.tagName.toLowerCase() + classes + ' right=' + Math.round(r.right));
    }
  }
  return out.slice(0, 10);
}"""


def _data(alice, charlie):
    """Ledger entries, a binding and payments, so that every table on the four pages has rows."""
    from settlement.models import Institution
    from settlement.services import settlement_create
    from sharing.services import binding_create

    binding_create(authorizer=alice.person, relation="child", member=charlie, actor=alice, signature_method="typed",
                   typed_name=alice.person.name)
    institution = Institution.objects.create(fixmedins_code="H32030200090", name="徐州市第一人民医院",
                                             region_id="320300")
    for i, amount in enumerate(["86.40", "1032.00"]):
        settlement_create(institution=institution, body={
            "request_id": f"p{i}", "mdtrt_cert_type": "02", "mdtrt_cert_no": charlie.certno,
            "amount": Decimal(amount), "category": "pharmacy"})


@pytest.mark.parametrize("mode", ["normal", "elder"])
def test_no_sideways_scroll_on_a_phone(new_page, live_url, login_as, assert_accessible, alice, charlie, mode):
    _data(alice, charlie)
    page = new_page(mode=mode, viewport=PHONE)
    login_as(page, alice)
    for path in PAGES:
        page.goto(live_url(path))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (
            f"{path} ({mode}) is {width}px wide on a {PHONE['width']}px phone; sticking out: "
            f"{page.evaluate(OVERFLOW_JS)}")
        assert_accessible(page)


def test_tables_stack_into_cards_on_a_phone(new_page, live_url, login_as, alice, charlie):
    _data(alice, charlie)
    page = new_page(mode="elder", viewport=PHONE)
    login_as(page, alice)
    page.goto(live_url("/sharing/"))
    # The reference (the way to details and unbinding) is on screen, and the dates do not wrap per character.
    link = page.locator(".records-table a[href*='/sharing/bindings/'], .records-table td a").first
    box = link.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.goto(live_url("/accounts/me/"))
    cell = page.locator("table td[data-label]").first
    assert cell.is_visible()
    # A label cell is at least a few characters wide: "期初余额" is not one character per line.
    kind = page.locator("table td[data-label]").nth(1)
    assert kind.bounding_box()["width"] > 150


def test_elder_headings_are_not_smaller_than_standard(new_page, live_url):
    sizes = {}
    for mode in ("normal", "elder"):
        page = new_page(mode=mode)
        page.goto(live_url("/accounts/login/"))
        sizes[mode] = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
    assert sizes["elder"] >= sizes["normal"]
    assert sizes["elder"] >= 36
