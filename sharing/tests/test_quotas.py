"""Sharing quotas (共济额度, rules.md "Quotas"): grant, top up, reduce, and the return of the unused quota on every
kind of ending, through the real services on PostgreSQL."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from ledger.models import LedgerEntry, PersonalAccount, Reserve
from notifications.models import Notification
from registry.models import SharingPolicy
from sharing.changes import BindingRefused
from sharing.quotas import binding_uses_quota, quota_add, quota_reduce
from sharing.reserves import quota_figures
from sharing.review import binding_suspend, bindings_reevaluate, person_reevaluate
from sharing.services import binding_end_by_member, binding_unbind


@pytest.fixture
def beijing_son(make_citizen):
    """孙立 in Beijing (2026 rules: cross-province sharing through a quota) with ¥2,000."""
    return make_citizen(name="孙立", birth=datetime.date(1980, 5, 5), address="110105", region="110000",
                        balance="2000.00", mobile="13800000011")


@pytest.fixture
def hebei_father(make_citizen):
    return make_citizen(name="孙德明", birth=datetime.date(1952, 3, 1), address="130102", region="130100",
                        balance="10.00", mobile="13800000012")


@pytest.fixture
def cross(bind, beijing_son, hebei_father):
    return bind(beijing_son, hebei_father.person, "parent")


def balance(user) -> Decimal:
    return PersonalAccount.objects.get(person=user.person).balance


def reserve_of(binding) -> Reserve:
    return Reserve.objects.get(binding_ref=binding.pk)


def test_a_cross_province_binding_shares_through_a_quota_under_the_2026_default(cross, bind, beijing_son,
                                                                                make_person):
    assert binding_uses_quota(cross)
    same_city = bind(beijing_son, make_person(name="孙小米", birth=datetime.date(2010, 1, 1), address="110105",
                                              region="110000", insutype="390"))
    assert not binding_uses_quota(same_city)


def test_a_policy_can_put_every_binding_or_none_on_a_quota(cross, beijing_son, make_person, bind):
    same_city = bind(beijing_son, make_person(name="孙小米", birth=datetime.date(2010, 1, 1), address="110105",
                                              region="110000", insutype="390"))
    SharingPolicy.objects.create(province_id="11", effective_from=datetime.date(2026, 2, 1), title="全部额度",
                                 quota_scope="all")
    assert binding_uses_quota(same_city) and binding_uses_quota(cross)
    SharingPolicy.objects.create(province_id="11", effective_from=datetime.date(2026, 3, 1), title="不用额度",
                                 quota_scope="none")
    assert not binding_uses_quota(cross)


def test_granting_moves_money_from_the_balance_into_the_quota_by_ledger_entries(cross, beijing_son, hebei_father):
    figures = quota_add(binding=cross, amount=Decimal("500.00"), actor=beijing_son)
    assert figures == {"granted": Decimal("500.00"), "used": Decimal("0.00"), "left": Decimal("500.00")}
    assert balance(beijing_son) == Decimal("1500.00")
    reserve = reserve_of(cross)
    assert reserve.balance == Decimal("500.00")
    entries = list(LedgerEntry.objects.filter(account__person=beijing_son.person, kind="quota").order_by("id"))
    assert [(e.amount, e.reserve_id) for e in entries] == [(Decimal("-500.00"), None),
                                                           (Decimal("500.00"), reserve.pk)]
    assert AuditEvent.objects.filter(event="quota.granted", subject_id=str(cross.pk)).exists()
    assert Notification.objects.filter(recipient=beijing_son.person, title=_("Quota granted")).exists()
    assert Notification.objects.filter(recipient=hebei_father.person, title=_("Quota granted")).exists()
    call_command("verify_ledger")


def test_topping_up_and_reducing_move_the_unused_part_at_once(cross, beijing_son, hebei_father):
    quota_add(binding=cross, amount=Decimal("500.00"), actor=beijing_son)
    figures = quota_add(binding=cross, amount=Decimal("300.00"), actor=beijing_son)
    assert figures["granted"] == figures["left"] == Decimal("800.00")
    assert AuditEvent.objects.filter(event="quota.topped_up").exists()
    figures = quota_reduce(binding=cross, amount=Decimal("650.00"), actor=beijing_son)
    assert figures == {"granted": Decimal("150.00"), "used": Decimal("0.00"), "left": Decimal("150.00")}
    assert balance(beijing_son) == Decimal("1850.00")
    assert Notification.objects.filter(recipient=hebei_father.person, title=_("Quota reduced")).exists()
    call_command("verify_ledger")


def test_refuses_more_than_the_balance_above_the_floor_and_a_reduction_beyond_what_is_left(cross, beijing_son):
    with pytest.raises(BindingRefused) as refused:
        quota_add(binding=cross, amount=Decimal("2000.01"), actor=beijing_son)
    assert [r.code for r in refused.value.reasons] == ["QUOTA_OVER_BALANCE"]
    with pytest.raises(BindingRefused) as refused:
        quota_add(binding=cross, amount=Decimal("0"), actor=beijing_son)
    assert [r.code for r in refused.value.reasons] == ["QUOTA_AMOUNT_NOT_POSITIVE"]
    quota_add(binding=cross, amount=Decimal("100.00"), actor=beijing_son)
    with pytest.raises(BindingRefused) as refused:
        quota_reduce(binding=cross, amount=Decimal("100.01"), actor=beijing_son)
    assert [r.code for r in refused.value.reasons] == ["QUOTA_REDUCE_OVER_LEFT"]
    assert reserve_of(cross).balance == Decimal("100.00") and balance(beijing_son) == Decimal("1900.00")


def test_a_live_balance_binding_gets_no_quota(bind, beijing_son, make_person):
    same_city = bind(beijing_son, make_person(name="孙小米", birth=datetime.date(2010, 1, 1), address="110105",
                                              region="110000", insutype="390"))
    with pytest.raises(BindingRefused) as refused:
        quota_add(binding=same_city, amount=Decimal("10.00"), actor=beijing_son)
    assert [r.code for r in refused.value.reasons] == ["QUOTA_NOT_USED"]
    assert not Reserve.objects.exists()


def test_a_suspended_binding_gets_no_more_quota_but_may_be_reduced(cross, beijing_son):
    quota_add(binding=cross, amount=Decimal("100.00"), actor=beijing_son)
    binding_suspend(binding=cross, actor=None, cause="test")
    with pytest.raises(BindingRefused) as refused:
        quota_add(binding=cross, amount=Decimal("10.00"), actor=beijing_son)
    assert [r.code for r in refused.value.reasons] == ["QUOTA_BINDING_NOT_ACTIVE"]
    quota_reduce(binding=cross, amount=Decimal("40.00"), actor=beijing_son)
    assert reserve_of(cross).balance == Decimal("60.00")


def _assert_returned(binding, user, left, balance_after):
    reserve = reserve_of(binding)
    assert reserve.balance == Decimal("0.00") and reserve.closed_at is not None
    assert balance(user) == Decimal(balance_after)
    assert AuditEvent.objects.filter(event="quota.returned", subject_id=str(binding.pk)).exists()
    assert Notification.objects.filter(recipient=binding.authorizer, title=_("Quota returned to your account")).exists()
    assert Notification.objects.filter(recipient=binding.member, title=_("Quota ended")).exists()
    call_command("verify_ledger")


def test_unbinding_by_the_authorizer_returns_the_unused_quota(cross, beijing_son):
    quota_add(binding=cross, amount=Decimal("500.00"), actor=beijing_son)
    binding_unbind(binding=cross, actor=beijing_son)
    _assert_returned(cross, beijing_son, "500.00", "2000.00")


def test_ending_by_the_member_returns_the_unused_quota(cross, beijing_son, hebei_father):
    quota_add(binding=cross, amount=Decimal("300.00"), actor=beijing_son)
    binding_end_by_member(binding=cross, actor=hebei_father)
    _assert_returned(cross, beijing_son, "300.00", "2000.00")


def test_the_automatic_end_on_a_change_of_insurance_relationship_returns_the_quota(cross, beijing_son, hebei_father):
    quota_add(binding=cross, amount=Decimal("300.00"), actor=beijing_son)
    father = hebei_father.person
    father.region_id = "130200"  # moved to 唐山: the 2026 rules end the binding
    father.save()
    changed = person_reevaluate(person=father)
    assert [b.status for b in changed] == ["ended"]
    _assert_returned(cross, beijing_son, "300.00", "2000.00")


def test_an_official_ending_returns_the_quota(cross, beijing_son):
    """The official lifts a suspension while a rule no longer holds, under a policy that ends bindings then."""
    quota_add(binding=cross, amount=Decimal("200.00"), actor=beijing_son)
    binding_suspend(binding=cross, actor=None, cause="test")
    son = beijing_son.person
    son.status = "ended"
    son.save()
    from sharing.review import binding_lift_suspension

    ended = binding_lift_suspension(binding=cross, actor=None)
    assert ended.status == "ended"
    _assert_returned(cross, beijing_son, "200.00", "2000.00")


def test_the_end_of_a_validity_period_returns_the_quota(bind, beijing_son, hebei_father):
    """Under a policy with validity periods, the recorded end of the period returns the quota."""
    SharingPolicy.objects.create(province_id="11", effective_from=datetime.date(2026, 2, 1), title="有效期",
                                 allowed_relations=["parent", "child"], cross_city_allowed=True,
                                 cross_province_allowed=True, uses_validity_period=True)
    today = timezone.localdate()
    binding = bind(beijing_son, hebei_father.person, "parent", valid_from=today,
                   valid_until=today + datetime.timedelta(days=30))
    quota_add(binding=binding, amount=Decimal("100.00"), actor=beijing_son)
    later = timezone.now() + datetime.timedelta(days=40)
    with mock.patch("django.utils.timezone.now", return_value=later):
        bindings_reevaluate()
    binding.refresh_from_db()
    assert binding.status == "ended"
    _assert_returned(binding, beijing_son, "100.00", "2000.00")


def test_the_database_keeps_the_quota_invariants(cross, beijing_son):
    quota_add(binding=cross, amount=Decimal("100.00"), actor=beijing_son)
    reserve = reserve_of(cross)
    account = PersonalAccount.objects.get(person=beijing_son.person)
    # Never below zero.
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(account=account, reserve=reserve, amount=Decimal("-100.01"), kind="settlement")
    # A balance changes only through entries; entries are append-only.
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 - the trigger's own error class
        Reserve.objects.filter(pk=reserve.pk).update(balance=Decimal("1.00"))
    entry = LedgerEntry.objects.filter(reserve=reserve).first()
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    # An entry of a quota names the quota's own account.
    other = PersonalAccount.objects.exclude(pk=account.pk).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(account=other, reserve=reserve, amount=Decimal("1.00"), kind="refund")
    assert reserve_of(cross).balance == Decimal("100.00")


def test_verify_ledger_finds_a_quota_that_differs_from_its_entries(cross, beijing_son):
    quota_add(binding=cross, amount=Decimal("100.00"), actor=beijing_son)
    call_command("verify_ledger")
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # triggers off, as a broken migration might
        cursor.execute("UPDATE ledger_reserve SET balance = 99")
        cursor.execute("SET session_replication_role = DEFAULT")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("verify_ledger")


def test_quota_figures_count_grants_and_payments(cross, beijing_son):
    quota_add(binding=cross, amount=Decimal("100.00"), actor=beijing_son)
    assert quota_figures(reserve_of(cross))["used"] == Decimal("0.00")
