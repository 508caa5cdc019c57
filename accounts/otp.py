"""One-time SMS codes, handled as a real one would be: hashed, short-lived, few tries, used once."""

import datetime
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from accounts import reasons
from accounts.models import OneTimeCode
from core.reasons import Refused
from notifications.sms import send_sms


def _hash(mobile: str, purpose: str, code: str) -> str:
    return salted_hmac("accounts.otp", f"{mobile}:{purpose}:{code}", algorithm="sha256").hexdigest()


def otp_send(*, mobile: str, purpose: str, deliver: bool = True) -> None:
    """Create a new code and text it. `deliver=False` (an unknown account) spends the same effort silently."""
    now = timezone.now()
    latest = OneTimeCode.objects.filter(mobile=mobile, purpose=purpose).order_by("-created_at").first()
    if latest and (now - latest.created_at).total_seconds() < settings.OTP_RESEND_SECONDS:
        raise Refused(reasons.OTP_RESEND_TOO_SOON)
    # 5 tries a code and a code a minute would still allow thousands of guesses a day: cap codes per day.
    sent_today = OneTimeCode.objects.filter(mobile=mobile, purpose=purpose,
                                            created_at__gte=now - datetime.timedelta(days=1)).count()
    if sent_today >= settings.OTP_DAILY_LIMIT:
        raise Refused(reasons.OTP_DAILY_LIMIT)
    code = f"{secrets.randbelow(10**6):06d}"
    OneTimeCode.objects.create(
        mobile=mobile, purpose=purpose, code_hash=_hash(mobile, purpose, code),
        expires_at=now + datetime.timedelta(seconds=settings.OTP_TTL_SECONDS),
    )
    if deliver:
        text = _("[Gongjitong] Your verification code is %(code)s, valid for 5 minutes. Never tell it to anyone.") % {
            "code": code
        }
        transaction.on_commit(lambda: send_sms(mobile, text))


def otp_verify(*, mobile: str, purpose: str, code: str) -> None:
    """Consume the latest code or raise Refused. A wrong try is counted even if the caller rolls back."""
    latest = OneTimeCode.objects.filter(mobile=mobile, purpose=purpose, used_at__isnull=True).order_by("-created_at").first()
    if latest is None:
        raise Refused(reasons.OTP_NOT_SENT)
    if latest.expires_at <= timezone.now():
        raise Refused(reasons.OTP_EXPIRED)
    if latest.attempts >= settings.OTP_MAX_ATTEMPTS:
        raise Refused(reasons.OTP_TOO_MANY_ATTEMPTS)
    if not constant_time_compare(latest.code_hash, _hash(mobile, purpose, code.strip())):
        OneTimeCode.objects.filter(pk=latest.pk).update(attempts=F("attempts") + 1)
        raise Refused(reasons.OTP_WRONG)
    # Conditional update: of two simultaneous correct submissions only one wins.
    if not OneTimeCode.objects.filter(pk=latest.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise Refused(reasons.OTP_NOT_SENT)
