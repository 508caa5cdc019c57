"""Form rules of the binding wizard: bounded validity dates, a signature error that gives no example name."""

import datetime

from django.utils import timezone

from sharing.forms import DatesForm, SignForm


def _dates(start, end=None):
    return DatesForm({"valid_from": start.isoformat(), "valid_until": end.isoformat() if end else ""})


def test_the_validity_dates_are_bounded():
    today = timezone.localdate()
    assert _dates(today).is_valid()
    assert _dates(today, today.replace(year=today.year + 5)).is_valid()
    far = _dates(datetime.date(9999, 12, 31))
    assert not far.is_valid() and "valid_from" in far.errors
    assert str(today.year + 1) in far.errors["valid_from"][0]
    endless = _dates(today, datetime.date(9999, 12, 31))
    assert not endless.is_valid() and "valid_until" in endless.errors
    assert "10" in endless.errors["valid_until"][0]
    assert not _dates(today, today).is_valid()


def test_a_wrong_typed_name_is_refused_without_showing_the_registered_name():
    form = SignForm({"method": "typed", "typed_name": "张三"}, registered_name="张伟")
    assert not form.is_valid()
    assert "张伟" not in form.errors["typed_name"][0]
    assert SignForm({"method": "typed", "typed_name": "张伟"}, registered_name="张伟").is_valid()
