"""The notification centre in a real browser: the unread count in the navigation, opening the centre, marking one
message and then all as read. Axe-clean in normal and elder mode."""

from django.urls import reverse

UNREAD = "nav.site-nav [data-count=unread]"


def _messages_for(person, count):
    from notifications.services import notify

    return [notify(person=person, title=f"测试消息 {i}", body=f"第 {i} 条消息", link=reverse("sharing:records"),
                   sms=False) for i in range(count)]


def test_a_citizen_reads_their_messages(any_mode_page, login_as, assert_accessible, alice):
    from notifications.models import Notification

    first, *_rest = _messages_for(alice.person, 3)
    page = any_mode_page
    login_as(page, alice)
    page.goto("/")
    badge = page.locator(UNREAD)
    assert badge.is_visible() and badge.inner_text().startswith("3")
    assert_accessible(page)

    page.locator(f"nav.site-nav a[href='{reverse('notifications:inbox')}']").click()
    page.wait_for_url(f"**{reverse('notifications:inbox')}")
    items = page.locator(".notification-list [data-notification]")
    assert items.count() == 3
    assert page.locator(".notification-list [data-notification] .badge").count() == 3  # each marked new
    assert_accessible(page)

    page.locator(f"[data-notification='{first.pk}'] form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(UNREAD).inner_text().startswith("2")
    assert page.locator(f"[data-notification='{first.pk}'] form").count() == 0
    assert page.locator(f"[data-notification='{first.pk}'] .badge").count() == 0

    page.locator(f"main form[action='{reverse('notifications:mark_read')}']:not(:has(input[name=notification])) "
                 "button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(UNREAD).count() == 0
    assert page.locator(".notification-list [data-notification] .badge").count() == 0
    assert not Notification.objects.filter(recipient=alice.person, read_at__isnull=True).exists()
    assert_accessible(page)


def test_a_citizen_without_messages_sees_no_count(any_mode_page, login_as, assert_accessible, bob):
    page = any_mode_page
    login_as(page, bob)
    page.goto(reverse("notifications:inbox"))
    assert page.locator(UNREAD).count() == 0
    assert page.locator(".notification-list").count() == 0
    assert_accessible(page)
