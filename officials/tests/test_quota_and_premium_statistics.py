"""The statistics count money shared through quotas and premiums paid from personal accounts, in scope."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from officials.summary import statistics_refresh
from registry.models import PremiumDue
from sharing.premiums import premium_pay
from sharing.quotas import quota_add

URL = "/admin/statistics/"


def table(response, key):
    return next(t for t in response.context["tables"] if t.key == key)


def official(**scope):
    return User.objects.create_user(username=f"off_{list(scope.values())}", password="x", role="official",
                                    is_staff=True, **scope)


def test_quota_payments_and_premiums_are_counted_in_scope(client, api, make_citizen, make_person, bind):
    son = make_citizen(name="孙立", birth=datetime.date(1980, 5, 5), address="110105", region="110000",
                       balance="2000.00")
    father = make_person(name="孙德明", birth=datetime.date(1952, 3, 1), address="130102", region="130100",
                         insutype="390")
    quota_add(binding=bind(son, father, "parent"), amount=Decimal("300.00"), actor=son)
    api.settle(father, "80.00")
    due = PremiumDue.objects.create(person=father, kind="ltc", year=2027, amount=Decimal("90.00"), region_id="130100",
                                    due_date=timezone.localdate() + datetime.timedelta(days=10))
    premium_pay(payer=son.person, due=due, relation="parent", actor=son)
    statistics_refresh()
    client.force_login(official(scope_province_id="13"))
    response = client.get(URL)
    [flow] = table(response, "money_shared").rows
    assert flow[3:] == [1, Decimal("80.00")]
    [premium] = table(response, "premiums_per_month").rows
    assert premium[2:] == [1, Decimal("90.00")]
    csv = client.get(f"{URL}premiums_per_month.csv")
    assert csv.status_code == 200 and "90.00" in b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode()
    client.force_login(official(scope_province_id="32"))
    assert table(client.get(URL), "premiums_per_month").rows == []
