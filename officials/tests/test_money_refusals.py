"""The 2026 money rules feed the refusal log: the quota and premium pages (channel "money") and the settlement API's
QUOTA_EXHAUSTED note (channel "api"), one row per code, no personal data; officials see the new channel."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import RefusalEntry
from officials.summary import statistics_refresh
from registry.models import PremiumDue
from sharing.quotas import quota_add

PASSWORD = "Correct-Horse-42"


@pytest.fixture
def son(make_citizen):
    """孙立 in Beijing: his father is in another province, so they share through a quota."""
    return make_citizen(name="孙立", birth=datetime.date(1980, 5, 5), address="110105", region="110000",
                        balance="2000.00", mobile="13800000011")


@pytest.fixture
def father(make_person):
    return make_person(name="孙德明", birth=datetime.date(1952, 3, 1), address="130102", region="130100",
                       insutype="390")


@pytest.fixture
def cross(bind, son, father):
    return bind(son, father, "parent")


def logged():
    return list(RefusalEntry.objects.order_by("id").values_list("code", "channel", "region_id"))


def assert_no_personal_data(*people):
    for entry in RefusalEntry.objects.all():
        values = [str(getattr(entry, f.attname)) for f in RefusalEntry._meta.concrete_fields]
        for person in people:
            assert not any(person.name in v or person.certno in v for v in values)


def test_a_refused_quota_grant_and_reduction_are_logged_once(client, son, father, cross):
    client.force_login(son)
    url = reverse("sharing:quota", args=[cross.pk])
    response = client.post(url, {"action": "add", "amount": "5000.00", "password": PASSWORD})
    assert response.status_code == 200 and "QUOTA_OVER_BALANCE" in response.text
    assert logged() == [("QUOTA_OVER_BALANCE", "money", "110000")]
    quota_add(binding=cross, amount=Decimal("100.00"), actor=son)
    response = client.post(url, {"action": "reduce", "amount": "100.01", "password": PASSWORD})
    assert "QUOTA_REDUCE_OVER_LEFT" in response.text
    assert logged()[1:] == [("QUOTA_REDUCE_OVER_LEFT", "money", "110000")]
    assert_no_personal_data(son.person, father)


def test_a_granted_quota_and_a_form_error_log_nothing(client, son, cross):
    client.force_login(son)
    url = reverse("sharing:quota", args=[cross.pk])
    client.post(url, {"action": "add", "amount": "-5", "password": PASSWORD})  # the form's, not the engine's
    client.post(url, {"action": "add", "amount": "500.00", "password": "wrong"})
    assert client.post(url, {"action": "add", "amount": "500.00", "password": PASSWORD}).status_code == 302
    assert logged() == []


def _due(person, days=30):
    return PremiumDue.objects.create(person=person, kind="ltc", year=2027, amount=Decimal("90.00"),
                                     region_id=person.region_id,
                                     due_date=timezone.localdate() + datetime.timedelta(days=days))


def test_premium_refusals_are_logged_once_per_page(client, son, make_person):
    daughter = make_person(name="孙小米", birth=datetime.date(2010, 1, 1), address="110105", region="110000",
                           insutype="390", status="ended", sex="F")
    past = _due(daughter, days=-1)
    client.force_login(son)
    response = client.post(reverse("sharing:premiums"), {"relation": "child", "name": "别人",
                                                          "certno": daughter.certno})
    assert "MEMBER_IDENTITY_MISMATCH" in response.text
    assert logged() == [("MEMBER_IDENTITY_MISMATCH", "money", "110000")]
    client.post(reverse("sharing:premiums"), {"relation": "child", "name": "孙小米", "certno": daughter.certno})
    assert len(logged()) == 1  # found: nothing refused
    confirm = reverse("sharing:premium_confirm", args=[past.pk])
    page = client.get(confirm)
    assert [r.code for r in page.context["refusals"]] == ["PREMIUM_PAST_DUE"]
    assert logged()[1:] == [("PREMIUM_PAST_DUE", "money", "110000")]
    client.post(confirm, {"password": PASSWORD})  # refused again, logged once for this page
    assert logged()[2:] == [("PREMIUM_PAST_DUE", "money", "110000")]
    assert_no_personal_data(son.person, daughter)


def test_a_paid_premium_logs_nothing(client, son, make_person):
    daughter = make_person(name="孙小米", birth=datetime.date(2010, 1, 1), address="110105", region="110000",
                           insutype="390", status="ended", sex="F")
    due = _due(daughter)
    client.force_login(son)
    client.post(reverse("sharing:premiums"), {"relation": "child", "name": "孙小米", "certno": daughter.certno})
    confirm = reverse("sharing:premium_confirm", args=[due.pk])
    assert client.get(confirm).context["refusals"] == []
    assert client.post(confirm, {"password": PASSWORD}).status_code == 302
    assert logged() == []


def test_the_api_logs_an_exhausted_quota_in_the_patients_region(api, son, father, cross):
    status, body = api.settle(father, "50.00")  # no quota granted yet: the binding pays nothing
    assert status == 201 and "QUOTA_EXHAUSTED" in [n["code"] for n in body["notes"]]
    assert ("QUOTA_EXHAUSTED", "api", "130100") in logged()
    assert len([row for row in logged() if row[0] == "QUOTA_EXHAUSTED"]) == 1
    assert_no_personal_data(son.person, father)


def test_officials_see_the_money_channel_in_their_scope(client, son, cross):
    client.force_login(son)
    client.post(reverse("sharing:quota", args=[cross.pk]), {"action": "add", "amount": "5000.00",
                                                             "password": PASSWORD})
    statistics_refresh()
    for scope, count in (({"scope_region_id": "110000"}, 1), ({"scope_region_id": "320300"}, 0)):
        official = User.objects.create_user(username=f"off_{count}", password="x", role="official", is_staff=True,
                                            **scope)
        client.force_login(official)
        table = next(t for t in client.get("/admin/statistics/").context["tables"] if t.key == "top_refusals")
        column = table.headers.index(str(RefusalEntry.Channel.MONEY.label))
        assert [row[column] for row in table.rows if row[0] == "QUOTA_OVER_BALANCE"] == ([count] if count else [])
