"""Refusals the demo's stories would have produced in each channel, spread over recent months, so that the
officials' statistics show top refusal reasons for 徐州, Jiangsu and the nation (codes, channel, region only)."""

import datetime

from django.utils import timezone

from audit.models import RefusalEntry
from audit.refusals import refusal_log

# (months ago, channel, region, codes)
DEMO_REFUSALS = [
    (2, "wizard", "320300", ["RELATION_NOT_ALLOWED"]),          # 张伟 tries his parent-in-law in 合肥
    (1, "wizard", "320300", ["RELATION_NOT_ALLOWED", "CROSS_PROVINCE_NOT_ALLOWED"]),
    (1, "wizard", "320300", ["CROSS_PROVINCE_NOT_ALLOWED"]),
    (0, "selfcheck", "320300", ["FAMILY_ACCOUNT_ONLY", "CROSS_PROVINCE_NOT_ALLOWED"]),  # 李娜's father
    (0, "selfcheck", "320300", ["SHARED_BALANCE_ZERO"]),        # 刘洋's mother
    (1, "selfcheck", "320100", ["AUTHORIZER_NOT_ENROLLED"]),    # 赵敏, suspended in 南京
    (0, "api", "320300", ["SHARED_BALANCE_ZERO"]),
    (2, "api", "320300", ["PATIENT_NOT_FOUND"]),
    (0, "hall", "320300", ["OUTSIDE_HALL_SCOPE"]),
    (1, "hall", "320300", ["PERSON_NOT_IN_REGISTRY"]),
    (0, "money", "320300", ["PREMIUM_PAST_DUE"]),              # 张伟 opens a premium due whose date has passed
    (1, "money", "110000", ["QUOTA_OVER_BALANCE"]),            # 孙立 asks to set aside more than he may
    (1, "api", "130100", ["QUOTA_EXHAUSTED"]),                 # 孙德明 at a pharmacy before any quota was granted
]


def load_refusals() -> None:
    if RefusalEntry.objects.exists():
        return  # idempotent: the demo's refusals are written once
    today = timezone.localdate()
    for months_ago, channel, region, codes in DEMO_REFUSALS:
        before = {e.pk for e in RefusalEntry.objects.all()}
        refusal_log(codes, channel=channel, region=region)
        day = (today.replace(day=1) - datetime.timedelta(days=30 * months_ago)).replace(day=min(today.day, 28))
        when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        RefusalEntry.objects.exclude(pk__in=before).update(created_at=when)
