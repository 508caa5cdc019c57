"""At the hall counter, what a citizen's account paid for family members includes payments from a quota."""

import datetime
from decimal import Decimal

from django.utils import timezone

from hall.tests.test_views import _open, _url
from sharing.quotas import quota_add


def test_the_printed_spending_includes_payments_from_a_quota(client, make_citizen, make_person, bind, api):
    from accounts.models import User
    from registry.models import ServiceHall

    hall = ServiceHall.objects.create(name="北京市医保服务大厅", region_id="110000")
    client.force_login(User.objects.create_user(username="hall_bj", password="x", role="staff", hall=hall))
    son = make_citizen(name="孙立", birth=datetime.date(1980, 5, 5), address="110105", region="110000",
                       balance="2000.00")
    father = make_person(name="孙德明", birth=datetime.date(1952, 3, 1), address="130102", region="130100",
                         insutype="390")
    quota_add(binding=bind(son, father, "parent"), amount=Decimal("300.00"), actor=son)
    assert api.settle(father, "66.60")[0] == 201
    visit = _open(client, son.person)
    page = client.get(_url("print_spending", visit), {"period": f"{timezone.localdate():%Y-%m}"})
    assert page.status_code == 200 and "¥66.60" in page.text
