"""The records page's bindings query, compiled once per process (core.compiled), gives what the ORM gives."""

import datetime

from django.utils import timezone

from sharing import selectors
from sharing.models import Binding


def _fields(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _rows(bindings):
    return [(_fields(b), b.effective, _fields(b.member), _fields(b.member.region)) for b in bindings]


def test_bindings_given_equal_the_orm_for_every_status_filter(alice, charlie, make_person, bind):
    today = timezone.localdate()
    bind(alice, charlie, direct=True)
    overdue = bind(alice, make_person(birth=datetime.date(2001, 2, 3)), direct=True)
    Binding.objects.filter(pk=overdue.pk).update(status=Binding.Status.AWAITING_CONSENT, activated_at=None,
                                                 consent_deadline=timezone.now() - datetime.timedelta(hours=1))
    bind(alice, make_person(birth=datetime.date(2002, 3, 4)), direct=True, valid_from=today - datetime.timedelta(days=30),
         valid_until=today - datetime.timedelta(days=1))
    bind(alice, make_person(birth=datetime.date(2003, 4, 5)), direct=True)  # a fourth, plain active one
    effective = {b.effective for b in selectors.bindings_for_authorizer(alice.person)}
    assert {"active", "expired", "ended"} <= effective
    for status in [None, *Binding.Status.values]:
        fast = selectors.bindings_given(alice.person, status)
        orm = list(selectors.bindings_for_authorizer(alice.person, status))
        assert _rows(fast) == _rows(orm), status
    assert len(selectors.bindings_given(alice.person)) == 4


def test_the_effective_status_follows_the_clock_of_each_call(alice, charlie, bind, monkeypatch):
    today = timezone.localdate()
    bind(alice, charlie, direct=True, valid_from=today, valid_until=today + datetime.timedelta(days=1))
    assert [b.effective for b in selectors.bindings_given(alice.person)] == ["active"]
    later = timezone.now() + datetime.timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert [b.effective for b in selectors.bindings_given(alice.person)] == ["ended"]
    assert [b.effective for b in selectors.bindings_for_authorizer(alice.person)] == ["ended"]
