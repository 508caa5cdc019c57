"""`manage.py purge_insurance_codes`: expired token rows go, live and recently expired ones stay."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from family.models import CodeToken


def _token(person, nonce, *, expired_hours_ago):
    expires = timezone.now() - datetime.timedelta(hours=expired_hours_ago)
    return CodeToken.objects.create(nonce=nonce, member=person, holder=person,
                                    issued_at=expires - datetime.timedelta(seconds=60), expires_at=expires)


@pytest.mark.django_db
def test_purges_tokens_expired_longer_ago_than_asked(alice):
    _token(alice.person, "old", expired_hours_ago=30)
    _token(alice.person, "recent", expired_hours_ago=2)
    _token(alice.person, "live", expired_hours_ago=-0.01)
    out = StringIO()
    call_command("purge_insurance_codes", "--older-than-hours", "24", stdout=out)
    assert set(CodeToken.objects.values_list("nonce", flat=True)) == {"recent", "live"}
    assert out.getvalue().startswith("1 ")


@pytest.mark.django_db
def test_defaults_to_a_day_and_zero_purges_everything_expired(alice):
    _token(alice.person, "old", expired_hours_ago=25)
    _token(alice.person, "recent", expired_hours_ago=1)
    _token(alice.person, "live", expired_hours_ago=-0.01)
    call_command("purge_insurance_codes", stdout=StringIO())
    assert set(CodeToken.objects.values_list("nonce", flat=True)) == {"recent", "live"}
    call_command("purge_insurance_codes", "--older-than-hours", "0", stdout=StringIO())
    assert set(CodeToken.objects.values_list("nonce", flat=True)) == {"live"}


@pytest.mark.django_db
def test_refuses_a_negative_age():
    with pytest.raises(CommandError):
        call_command("purge_insurance_codes", "--older-than-hours", "-1", stdout=StringIO())
