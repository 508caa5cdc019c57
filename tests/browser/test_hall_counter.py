"""Issue 13 journey at the demo's hall: 周经办 (hall_xz) serves 张建国 and his wife 王秀英, both present and without a
web account. He binds her as his spouse with tablet signatures from both (active at once); she agrees at the counter
to join her son 张伟's family account; the visit ends; the records are printed to an A4 PDF. axe-clean; the tablet's
touch targets are at least 44px."""

import re
from urllib.parse import urlparse

import pytest

from demo.data import DEMO_PASSWORD
from tests.browser.pdftext import pdf_text

SUBMIT = "main form.portal-form button[type=submit]"


@pytest.fixture
def demo(transactional_db):
    from demo import data

    return data.load()


def _draw(page):
    canvas = page.locator("#signature-pad")
    canvas.wait_for(state="visible")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    x, y = box["x"] + 20, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(x + step * 18, y + (15 if step % 2 else -15), steps=3)
    page.mouse.up()


def _small_targets(page) -> list:
    return page.evaluate("""() => Array.from(document.querySelectorAll('main .btn, main canvas'))
        .filter(e => e.offsetParent !== null)
        .map(e => [e.textContent.trim(), e.getBoundingClientRect().height, e.getBoundingClientRect().width])
        .filter(([, h, w]) => h < 44 || w < 44)""")


def _open_visit(page, person, assert_accessible):
    page.goto("/hall/")
    assert_accessible(page)
    page.locator("#id_certno").fill(person.certno)
    page.locator("input[name=documents][value=id_card]").check()
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(r"/hall/visit/[0-9a-f-]+/$"))


def test_a_full_counter_visit_with_tablet_signatures_then_printing(page, login_as, assert_accessible, demo):
    from family.models import FamilyMembership
    from sharing.models import Binding

    father, mother = demo["father"], demo["mother"]
    login_as(page, "hall_xz", DEMO_PASSWORD)
    _open_visit(page, father, assert_accessible)
    assert_accessible(page)
    assert father.certno in page.content()
    visit_url = urlparse(page.url).path

    # 王秀英 is present too: her own ID check.
    page.locator(f"main a[href='{visit_url}relative/']").click()
    page.locator("#id_certno").fill(mother.certno)
    page.locator("input[name=documents][value=id_card]").check()
    assert_accessible(page)
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(re.escape(visit_url) + "$"))
    assert mother.name in page.locator("[data-testid=companion]").text_content()

    # He binds her as his spouse: engine, letter on the large screen, both sign on the tablet.
    page.locator(f"main a[href='{visit_url}bind/']").click()
    page.locator("input[name=relation][value=spouse]").check()
    page.locator("#id_name").fill(mother.name)
    page.locator("#id_certno").fill(mother.certno)
    assert_accessible(page)
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(r"/bind/letter/$"))
    assert_accessible(page)
    page.locator(f"main a[href='{visit_url}bind/sign/']").click()
    assert_accessible(page)
    assert _small_targets(page) == []
    _draw(page)
    page.locator("#sign-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/bind/sign/spouse/$"))
    assert mother.name in page.locator("main .lead").text_content()
    _draw(page)
    page.locator("#sign-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/bind/check/$"))
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/receipt/$"))
    assert_accessible(page)
    binding = Binding.objects.get(authorizer=father, member=mother)
    assert binding.status == "active" and binding.channel == "hall"
    assert page.locator("[data-testid=reference]").text_content().strip() == binding.reference

    # She agrees at the counter to join her son's family account.
    page.goto(visit_url)
    request = FamilyMembership.objects.get(holder=demo["worker"], member=mother)
    page.locator(f"main a[href='{visit_url}family/{request.pk}/']").click()
    assert_accessible(page)
    page.locator("main button[value=agree]").click()
    page.wait_for_url(re.compile(re.escape(visit_url) + "$"))
    request.refresh_from_db()
    assert request.status == "active"

    # The records print to A4: no navigation or forms, the citizen, hall and staff on the page.
    page.goto(visit_url + "print/records/")
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible() and not page.locator(".visit-banner").is_visible()
    header = page.locator(".print-header")
    assert header.is_visible() and father.masked_certno in header.text_content() and "周经办" in header.text_content()
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF") and re.search(rb"/MediaBox\s*\[0 0 59[45]\.\d+ 84[12]\.\d+\]", pdf)
    printed = re.sub(r"\s+", "", pdf_text(pdf))  # page numbers from the @page margin box: "1 / 1"
    assert "1/1" in printed and father.masked_certno in printed and binding.reference in printed
    page.emulate_media(media="screen")

    # Ending the visit forgets the citizen.
    page.goto(visit_url + "end/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/hall/$"))
    assert father.certno not in page.content()
    assert page.goto(visit_url).status == 404


def test_an_override_with_the_household_register_a_scanned_letter_an_unbinding_and_a_spending_printout(
        page, login_as, assert_accessible, demo, make_person, tmp_path):
    import datetime

    from django.utils import timezone

    from sharing.models import Binding

    father = demo["father"]
    # A stepson only 12 years younger than 张建国: RELATION_IMPLAUSIBLE online.
    stepson = make_person(name="张继明", birth=datetime.date(1970, 3, 3), address="320102", region="320100",
                          insutype="390")
    login_as(page, "hall_xz", DEMO_PASSWORD)
    page.goto("/hall/")
    page.locator("#id_certno").fill(father.certno)
    page.locator("input[name=documents][value=id_card]").check()
    page.locator("input[name=documents][value=household_register]").check()
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(r"/hall/visit/[0-9a-f-]+/$"))
    visit_url = urlparse(page.url).path

    page.goto(visit_url + "bind/")
    page.locator("input[name=relation][value=child]").check()
    page.locator("#id_name").fill(stepson.name)
    page.locator("#id_certno").fill(stepson.certno)
    page.locator(SUBMIT).click()
    assert "RELATION_IMPLAUSIBLE" in page.content()
    assert_accessible(page)
    page.locator("#id_note").fill("户口簿第2页：继子")
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(r"/bind/letter/$"))
    page.locator(f"main a[href='{visit_url}bind/scan/']").click()
    assert_accessible(page)
    scan = tmp_path / "letter.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.locator("#id_scan").set_input_files(str(scan))
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(r"/receipt/$"))
    binding = Binding.objects.get(authorizer=father, member=stepson)
    assert binding.signature_method == "scanned" and binding.override_document == "household_register"

    # Unbind it again, after the confirmation step.
    page.goto(visit_url + f"bindings/{binding.pk}/end/")
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(visit_url) + "$"))
    binding.refresh_from_db()
    assert binding.status == "ended"

    # Spending details for a member and a period, printed to A4.
    page.goto(visit_url + "print/spending/")
    assert_accessible(page)
    page.locator("#id_period").fill(str(timezone.localdate().year))
    page.locator(SUBMIT).click()
    page.wait_for_url(re.compile(r"/print/spending/\?"))
    assert_accessible(page)
    page.emulate_media(media="print")
    assert page.locator(".print-header").is_visible() and not page.locator("main form").first.is_visible()
    assert page.pdf(prefer_css_page_size=True).startswith(b"%PDF")
