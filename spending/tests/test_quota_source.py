"""The spending details and "paid for me" list payments made from a sharing quota, and say so."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import translation

from settlement.models import Payment
from sharing.quotas import quota_add


def test_payments_from_a_quota_are_listed_and_marked_on_both_sides(client, api, make_citizen, bind):
    son = make_citizen(name="孙立", birth=datetime.date(1980, 5, 5), address="110105", region="110000",
                       balance="2000.00")
    father = make_citizen(name="孙德明", birth=datetime.date(1952, 3, 1), address="130102", region="130100",
                          balance="0.00")
    quota_add(binding=bind(son, father.person, "parent"), amount=Decimal("300.00"), actor=son)
    status, _body = api.settle(father.person, "45.60")
    assert status == 201
    client.force_login(son)
    response = client.get(reverse("money:spending"))
    assert [(p.source, p.amount) for p in response.context["rows"]] == [("quota", Decimal("45.60"))]
    assert 'data-source="quota"' in response.text
    csv = b"".join(client.get(reverse("money:spending_csv")).streaming_content).decode("utf-8").splitlines()
    with translation.override("zh-hans"):
        assert csv[1].endswith("," + str(Payment.Source.QUOTA.label))
    client.force_login(father)
    response = client.get(reverse("money:paid_for_me"))
    assert [(p.source, p.amount) for p in response.context["rows"]] == [("quota", Decimal("45.60"))]
