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


def test_the_quotas_of_an_authorizer_equal_quotas_for_their_bindings(make_citizen, bind, api):
    from decimal import Decimal

    from sharing.quotas import quota_add
    from sharing.reserves import quotas_for, quotas_of_authorizer
    from sharing.services import binding_unbind

    son = make_citizen(name="孙立", birth=datetime.date(1980, 5, 5), address="110105", region="110000",
                       balance="2000.00", mobile="13800000011")
    father = make_citizen(name="孙德明", birth=datetime.date(1952, 3, 1), address="130102", region="130100",
                          balance="0.00", mobile="13800000012")
    mother = make_citizen(name="王芳", birth=datetime.date(1954, 4, 2), address="130102", region="130100",
                          balance="0.00", mobile="13800000013", sex="F")
    used = bind(son, father.person, "parent")
    quota_add(binding=used, amount=Decimal("500.00"), actor=son)
    assert api.settle(father.person, "120.50", request_id="q1")[0] == 201
    ended = bind(son, mother.person, "parent")
    quota_add(binding=ended, amount=Decimal("80.00"), actor=son)
    binding_unbind(binding=ended, actor=son)
    given = list(selectors.bindings_for_authorizer(son.person))
    expected = quotas_for(given)
    assert {str(k): {n: str(v) for n, v in f.items()} for k, f in quotas_of_authorizer(son.person).items()} == {
        str(k): {n: str(v) for n, v in f.items()} for k, f in expected.items()}
    assert expected[used.pk]["used"] == Decimal("120.50") and expected[ended.pk]["closed"]
    assert quotas_of_authorizer(father.person) == {}
