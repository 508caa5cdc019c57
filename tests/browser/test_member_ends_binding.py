"""The member ends a binding from "who shares with me" in a real browser: link, confirmation page, done.
Axe-clean in normal and elder mode."""

import datetime

from django.urls import reverse


def test_a_member_ends_a_binding_after_confirming(any_mode_page, login_as, assert_accessible, alice, make_citizen):
    from sharing.models import Binding
    from sharing.services import binding_create

    member = make_citizen(name="王成年", birth=datetime.date(2004, 2, 2), mobile="13800000077")
    binding = binding_create(authorizer=alice.person, member=member.person, relation="child", actor=alice,
                             signature_method=Binding.SignatureMethod.TYPED, typed_name=alice.person.name)
    page = any_mode_page
    login_as(page, member)
    page.goto(reverse("sharing:my_authorizers"))
    assert_accessible(page)
    page.locator(f"[data-binding='{binding.pk}'] a.end-link").click()
    page.wait_for_url(f"**{reverse('sharing:end_as_member', args=[binding.pk])}")
    assert alice.person.name in page.locator("h1").inner_text()
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('sharing:my_authorizers')}")
    row = page.locator(f"[data-binding='{binding.pk}']")
    # The reader gets the sentence; the code stays in a data attribute.
    assert row.get_attribute("data-status") == "ended" and row.locator("[data-code=ENDED_BY_MEMBER]").count() == 1
    assert "ENDED_BY_MEMBER" not in row.inner_text()
    assert row.locator("a.end-link").count() == 0
    assert_accessible(page)
    assert Binding.objects.get(pk=binding.pk).status_reason == "ENDED_BY_MEMBER"
