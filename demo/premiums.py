"""Demo premium dues (called from demo.data.load). Idempotent.

张伟 (徐州) can pay his child 张小雨's resident premium and his mother 王秀英's long-term-care premium. Jiangsu's
seeded version follows the national default (no premiums), so the demo publishes a Jiangsu version that lets
accounts pay close relatives' premiums (the 2024 guideline), with the 2021 Jiangsu settings otherwise.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from registry.models import PremiumDue, SharingPolicy

JIANGSU_2024 = dict(title="江苏省家庭共济政策（2024年，个人账户可代缴保费）", cross_city_allowed=True,
                    uses_validity_period=True, premiums_payable=True)


def load_premiums(persons: dict) -> None:
    SharingPolicy.objects.get_or_create(province_id="32", effective_from=datetime.date(2024, 7, 1),
                                        defaults=JIANGSU_2024)
    year = timezone.localdate().year + 1  # next year's premiums are collected this year
    due_date = datetime.date(year - 1, 12, 31)
    for key, kind, amount in [("child", PremiumDue.Kind.RESIDENT, "400.00"), ("mother", PremiumDue.Kind.LTC, "90.00")]:
        person = persons[key]
        PremiumDue.objects.get_or_create(person=person, kind=kind, year=year, defaults={
            "amount": Decimal(amount), "region_id": person.region_id, "due_date": due_date})
