"""Officials read the SMS outbox in the admin, scoped by the recipient's pooling region, failed sends filterable."""


import pytest

from accounts.models import User
from notifications.models import SmsMessage

URL = "/admin/notifications/smsmessage/"


@pytest.fixture
def official(db):
    """An official in the demo's "officials" group, which is what gives the permissions in `make run`."""
    from demo.data import _officials_group

    def make(**scope):
        user = User.objects.create_user(username=f"off_{User.objects.count()}", password="x", role="official",
                                        is_staff=True, **scope)
        user.groups.add(_officials_group())
        return user

    return make


@pytest.fixture
def outbox(db):
    def message(mobile, region, status):
        return SmsMessage.objects.create(mobile=mobile, region_id=region, status=status, attempts=5,
                                         last_error="SmsDeliveryFailed: HTTP 503" if status == "failed" else "")

    return {
        "xuzhou_failed": message("13700000001", "320300", "failed"),
        "xuzhou_sent": message("13700000002", "320300", "sent"),
        "nanjing_failed": message("13700000003", "320100", "failed"),
        "unknown": message("13700000004", None, "failed"),
    }


@pytest.mark.django_db
def test_the_demo_officials_group_may_read_the_outbox_but_not_the_in_site_messages(official):
    user = official()
    assert user.has_perm("notifications.view_smsmessage")
    assert not user.has_perm("notifications.change_smsmessage")
    assert not user.has_perm("notifications.view_notification")


@pytest.mark.django_db
def test_an_official_of_xuzhou_never_sees_nanjings_messages(client, official, outbox):
    client.force_login(official(scope_region_id="320300"))
    page = client.get(URL)
    assert page.status_code == 200
    assert "137****0001" in page.text and "137****0002" in page.text
    assert "137****0003" not in page.text and "137****0004" not in page.text
    assert client.get(f"{URL}{outbox['xuzhou_failed'].pk}/change/").status_code == 200
    assert client.get(f"{URL}{outbox['nanjing_failed'].pk}/change/").status_code == 302  # out of scope
    # Nor through the region filter.
    filtered = client.get(URL, {"region__code__exact": "320100"})
    assert filtered.status_code == 200 and "137****0003" not in filtered.text


@pytest.mark.django_db
def test_a_provincial_official_sees_the_province_and_a_national_one_everything(client, official, outbox):
    client.force_login(official(scope_province_id="32"))
    text = client.get(URL).text
    assert "137****0001" in text and "137****0003" in text and "137****0004" not in text
    client.force_login(official())
    assert "137****0004" in client.get(URL).text


@pytest.mark.django_db
def test_failed_sends_are_filterable(client, official, outbox):
    client.force_login(official(scope_region_id="320300"))
    page = client.get(URL, {"status__exact": "failed"})
    assert page.status_code == 200
    assert "137****0001" in page.text and "137****0002" not in page.text and "HTTP 503" in page.text


@pytest.mark.django_db
def test_the_outbox_is_read_only_for_officials(client, official, outbox):
    client.force_login(official(scope_region_id="320300"))
    pk = outbox["xuzhou_failed"].pk
    assert client.post(f"{URL}{pk}/delete/").status_code == 403
    assert client.post(f"{URL}{pk}/change/", {"status": "sent"}).status_code == 403
    assert SmsMessage.objects.get(pk=pk).status == "failed"


@pytest.mark.django_db
def test_a_message_keeps_its_recipients_pooling_region(alice, dave, django_capture_on_commit_callbacks):
    from notifications.services import notify
    from notifications.sms import send_sms

    with django_capture_on_commit_callbacks(execute=True):
        notify(person=dave.person, title="t", body="b")
    assert SmsMessage.objects.get(mobile=dave.person.mobile).region_id == "320100"
    send_sms(alice.person.mobile, "code 123456")  # a code: the region of the person with that number
    assert SmsMessage.objects.get(mobile=alice.person.mobile).region_id == "320300"
    send_sms("13999999999", "nobody's")
    assert SmsMessage.objects.get(mobile="13999999999").region_id is None


