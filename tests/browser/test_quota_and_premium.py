"""The 2026 money rules in a real browser: the authorizer grants a sharing quota from the binding's page, then pays
a relative's premium (whose premium → check answers → password → receipt). Axe-clean in normal and elder mode."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

PASSWORD = "Correct-Horse-42"


def test_grant_a_quota_and_pay_a_premium(any_mode_page, login_as, assert_accessible, make_citizen, make_person, bind):
    from ledger.models import Reserve
    from registry.models import PremiumDue
    from sharing.models import PremiumPayment

    son = make_citizen(name="孙立", birth=datetime.date(1980, 5, 5), address="110105", region="110000",
                       balance="2000.00", mobile="13800000091")
    father = make_person(name="孙德明", birth=datetime.date(1952, 3, 1), address="130102", region="130100",
                         insutype="390")
    daughter = make_person(name="孙小米", birth=datetime.date(2010, 1, 1), address="110105", region="110000",
                           insutype="390", status="ended", sex="F")
    due = PremiumDue.objects.create(person=daughter, kind="resident", year=2027, amount=Decimal("400.00"),
                                    region_id="110000", due_date=timezone.localdate() + datetime.timedelta(days=30))
    binding = bind(son, father, "parent")
    page = any_mode_page
    login_as(page, son)

    # The quota: from the binding's page, a form with the amount and the password.
    page.goto(reverse("sharing:binding_detail", args=[binding.pk]))
    assert_accessible(page)
    page.locator(f"a[href='{reverse('sharing:quota', args=[binding.pk])}']").click()
    page.wait_for_url(f"**{reverse('sharing:quota', args=[binding.pk])}")
    assert_accessible(page)
    page.check("input[name=action][value=add]")
    page.fill("#id_amount", "500.00")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('sharing:binding_detail', args=[binding.pk])}")
    assert page.locator("[data-quota-left]").get_attribute("data-quota-left") == "500.00"
    assert_accessible(page)
    assert Reserve.objects.get(binding_ref=binding.pk).balance == Decimal("500.00")

    # The premium: whose, then check answers, then the password, then the receipt.
    page.goto(reverse("sharing:records"))
    page.locator(f"a[href='{reverse('sharing:premiums')}']").click()
    page.wait_for_url(f"**{reverse('sharing:premiums')}")
    assert_accessible(page)
    page.check("input[name=relation][value=child]")
    page.fill("#id_name", "孙小米")
    page.fill("#id_certno", daughter.certno)
    page.locator("main form button[type=submit]").click()
    page.locator(f"[data-due='{due.pk}'] a").click()
    page.wait_for_url(f"**{reverse('sharing:premium_confirm', args=[due.pk])}")
    assert page.locator(".not-refundable").is_visible()
    assert_accessible(page)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/sharing/premiums/receipt/**")
    payment = PremiumPayment.objects.get()
    assert page.locator("[data-reference]").inner_text() == payment.reference
    assert_accessible(page)
