"""Binding life under the rules of 2024-2026, through the real services (rules.md, "Policy is data" and
"Binding life"): policy inheritance, validity periods that end, re-evaluation of every rule, bindings that end
when an insurance relationship changes, and the member ending a binding."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from notifications import sms
from notifications.models import Notification
from registry.models import SharingPolicy
from sharing.eligibility.binding import binding_still_holds
from sharing.models import Binding
from sharing.review import bindings_reevaluate, person_reevaluate
from sharing.selectors import effective_status, status_reason
from sharing.services import BindingRefused, binding_end_by_member

S = Binding.Status
CLOSE_RELATIVES = ["parent", "spouse", "child", "sibling", "grandparent", "grandchild"]


def days_later(days):
    """The clock `days` from now (the outside world: only the clock is mocked)."""
    return mock.patch("django.utils.timezone.now", return_value=timezone.now() + datetime.timedelta(days=days))


def national_version(**fields):
    values = dict(province=None, effective_from=timezone.localdate(), title="国家新版本",
                  allowed_relations=["parent", "spouse", "child"], cross_city_allowed=False,
                  cross_province_allowed=False, consent_expiry_days=7, uses_validity_period=False,
                  single_authorizer_per_settlement=False, on_registry_break="suspend", premiums_payable=False,
                  ends_on_insurance_change=False, quota_scope="cross_province")
    values.update(fields)
    return SharingPolicy.objects.create(**values)


def refresh(binding):
    binding.refresh_from_db()
    return binding


# 1. Policy inheritance: a national rule reaches a province that did not set it, in both directions.

@pytest.mark.django_db
def test_a_national_cross_province_rule_lets_a_hebei_worker_bind_a_child_in_beijing(make_citizen, make_person, bind):
    worker = make_citizen(name="石工人", address="130102", region="130100", birth=datetime.date(1980, 1, 1))
    child = make_person(name="京孩子", address="110105", region="110000", birth=datetime.date(2010, 1, 1),
                        insutype="390")
    with pytest.raises(BindingRefused, match="CROSS_PROVINCE_NOT_ALLOWED"):
        bind(worker, child, "child")
    national_version(cross_province_allowed=True)
    binding = bind(worker, child, "child")
    assert binding.status == S.ACTIVE


@pytest.mark.django_db
def test_a_beijing_worker_binds_a_father_in_shijiazhuang_before_and_after_the_national_rule(
        make_citizen, make_person, bind):
    worker = make_citizen(name="京工人", address="110105", region="110000", birth=datetime.date(1980, 5, 5))
    father = make_person(name="石父亲", address="130102", region="130100", birth=datetime.date(1950, 1, 1),
                         insutype="390")
    mother = make_person(name="石母亲", address="130102", region="130100", birth=datetime.date(1952, 1, 1),
                         insutype="390", sex="F")
    assert bind(worker, father, "parent").status == S.ACTIVE
    national_version(cross_province_allowed=True)
    assert bind(worker, mother, "parent").status == S.ACTIVE


# 2. A binding past its end date ends; the signed dates hold whatever the policy later says.

@pytest.mark.django_db
def test_a_binding_past_its_end_date_ends_and_the_pair_may_bind_again(alice, charlie, bind):
    today = timezone.localdate()
    binding = bind(alice, charlie, valid_from=today, valid_until=today + datetime.timedelta(days=10))
    with days_later(11):
        # Read before any job ran: already ended, with its reason.
        assert effective_status(binding) == S.ENDED
        assert status_reason(binding).code == "OUTSIDE_VALIDITY"
        assert [b.pk for b in bindings_reevaluate()] == [binding.pk]
        assert refresh(binding).status == S.ENDED and binding.status_reason == "OUTSIDE_VALIDITY"
        assert binding.ended_at is not None
        assert AuditEvent.objects.filter(subject_id=str(binding.pk), event="binding.ended_by_rule").exists()
        assert bindings_reevaluate() == []  # nothing more to do
        later = timezone.localdate()
        again = bind(alice, charlie, valid_from=later, valid_until=later + datetime.timedelta(days=30))
    assert again.status == S.ACTIVE and again.pk != binding.pk


@pytest.mark.django_db
def test_binding_again_records_the_end_of_a_period_that_is_over_without_any_job(alice, charlie, bind):
    today = timezone.localdate()
    binding = bind(alice, charlie, valid_from=today, valid_until=today + datetime.timedelta(days=3))
    with days_later(5):
        later = timezone.localdate()
        again = bind(alice, charlie, valid_from=later, valid_until=later + datetime.timedelta(days=30))
    assert again.status == S.ACTIVE
    assert refresh(binding).status == S.ENDED and binding.status_reason == "OUTSIDE_VALIDITY"


@pytest.mark.django_db
def test_the_signed_dates_hold_after_the_province_stops_using_validity_periods(alice, charlie, bind):
    today = timezone.localdate()
    binding = bind(alice, charlie, valid_from=today, valid_until=today + datetime.timedelta(days=10))
    SharingPolicy.objects.create(province_id="32", effective_from=today + datetime.timedelta(days=1),
                                 title="江苏 不再用有效期", cross_city_allowed=True, uses_validity_period=False)
    with days_later(11):
        assert [r.code for r in binding_still_holds(binding)] == ["OUTSIDE_VALIDITY"]
        bindings_reevaluate()
    assert refresh(binding).status == S.ENDED and binding.status_reason == "OUTSIDE_VALIDITY"


@pytest.mark.django_db
def test_the_signed_dates_hold_after_the_authorizer_moves_to_a_province_without_them(alice, charlie, bind):
    today = timezone.localdate()
    binding = bind(alice, charlie, valid_from=today, valid_until=today + datetime.timedelta(days=10))
    alice.person.region_id = "110000"  # Beijing: cross-province sharing, no validity periods
    alice.person.save()
    person_reevaluate(person=alice.person)
    # Jiangsu's policy governed the binding and does not end it on a move; Beijing's breaks no rule.
    assert refresh(binding).status == S.ACTIVE
    with days_later(11):
        bindings_reevaluate()
    assert refresh(binding).status == S.ENDED and binding.status_reason == "OUTSIDE_VALIDITY"


@pytest.mark.django_db
def test_the_daily_command_ends_bindings_whose_period_is_over(alice, charlie, bind):
    today = timezone.localdate()
    binding = bind(alice, charlie, valid_from=today, valid_until=today + datetime.timedelta(days=1))
    with days_later(2):
        call_command("reevaluate_bindings", stdout=mock.Mock())
    assert refresh(binding).status == S.ENDED


# 3. Re-evaluation checks every rule, and a suspended binding shows the rule broken now.

@pytest.mark.django_db
def test_a_relationship_the_province_stops_allowing_suspends_the_binding(make_citizen, make_person, bind):
    worker = make_citizen(name="晋工人", address="140105", region="140100", birth=datetime.date(1983, 9, 9))
    sister = make_person(name="晋妹妹", address="140105", region="140100", birth=datetime.date(1988, 1, 1),
                         insutype="390", sex="F")
    binding = bind(worker, sister, "sibling")
    SharingPolicy.objects.create(province_id="14", effective_from=timezone.localdate() + datetime.timedelta(days=1),
                                 title="山西 收紧", allowed_relations=["parent", "spouse", "child"])
    assert bindings_reevaluate() == []  # not in force yet
    with days_later(1):
        assert [b.pk for b in bindings_reevaluate()] == [binding.pk]
    assert refresh(binding).status == S.SUSPENDED and binding.status_reason == "RELATION_NOT_ALLOWED"
    assert status_reason(binding).code == "RELATION_NOT_ALLOWED"
    assert Notification.objects.filter(recipient=sister).count() == 2  # bound, then suspended


@pytest.mark.django_db
def test_a_registry_change_rechecks_the_relationship_against_the_policy_in_force(make_citizen, make_person, bind):
    worker = make_citizen(name="晋工人", address="140105", region="140100", birth=datetime.date(1983, 9, 9))
    sister = make_person(name="晋妹妹", address="140105", region="140100", birth=datetime.date(1988, 1, 1),
                         insutype="390", sex="F")
    binding = bind(worker, sister, "sibling")
    SharingPolicy.objects.create(province_id="14", effective_from=timezone.localdate(), title="山西 今日收紧",
                                 allowed_relations=["parent", "spouse", "child"], cross_city_allowed=True)
    sister.region_id = "140200"  # the new version allows sharing between Shanxi's cities: only the relationship breaks
    sister.save()
    person_reevaluate(person=sister)
    assert refresh(binding).status == S.SUSPENDED and binding.status_reason == "RELATION_NOT_ALLOWED"


@pytest.mark.django_db
def test_a_withdrawn_cross_city_rule_suspends_and_its_return_brings_the_binding_back(alice, make_person, bind):
    mother = make_person(name="宁母亲", address="320102", region="320100", birth=datetime.date(1958, 1, 1),
                         insutype="390", sex="F")
    binding = bind(alice, mother, "parent")
    today = timezone.localdate()
    SharingPolicy.objects.create(province_id="32", effective_from=today + datetime.timedelta(days=1),
                                 title="江苏 收回跨市", cross_city_allowed=False)
    SharingPolicy.objects.create(province_id="32", effective_from=today + datetime.timedelta(days=2),
                                 title="江苏 恢复跨市", cross_city_allowed=True)
    with days_later(1):
        bindings_reevaluate()
    assert refresh(binding).status == S.SUSPENDED and binding.status_reason == "CROSS_REGION_NOT_ALLOWED"
    with days_later(2):
        bindings_reevaluate()
    assert refresh(binding).status == S.ACTIVE and binding.status_reason == ""


@pytest.mark.django_db
def test_a_binding_that_stays_suspended_shows_the_rule_broken_now(alice, charlie, bind):
    binding = bind(alice, charlie)
    charlie.status = "suspended"
    charlie.save()
    person_reevaluate(person=charlie)
    assert refresh(binding).status_reason == "MEMBER_NOT_ENROLLED"
    # Enrolled again, but in Anhui: still suspended, now because of the province.
    charlie.status = "active"
    charlie.region_id = "340100"
    charlie.save()
    assert [b.pk for b in person_reevaluate(person=charlie)] == [binding.pk]
    assert refresh(binding).status == S.SUSPENDED and binding.status_reason == "CROSS_PROVINCE_NOT_ALLOWED"
    assert status_reason(binding).code == "CROSS_PROVINCE_NOT_ALLOWED"
    assert AuditEvent.objects.filter(subject_id=str(binding.pk), event="binding.suspension_reason_changed").exists()
    charlie.region_id = "320300"
    charlie.save()
    person_reevaluate(person=charlie)
    assert refresh(binding).status == S.ACTIVE


# 4. Under the 2026 rules a binding ends when an insurance relationship changes; the governing policy decides.

@pytest.fixture
def beijing_binding(make_citizen, make_person, bind):
    worker = make_citizen(name="京工人", address="110105", region="110000", birth=datetime.date(1980, 5, 5))
    father = make_person(name="石父亲", address="130102", region="130100", birth=datetime.date(1950, 10, 1),
                         insutype="390")
    return bind(worker, father, "parent")


@pytest.mark.django_db
def test_a_2026_binding_ends_when_the_authorizer_moves_even_to_a_province_that_would_suspend(beijing_binding):
    worker = beijing_binding.authorizer
    worker.region_id = "320300"  # Jiangsu would only suspend (no cross-province sharing): Beijing's rule decides
    worker.save()
    person_reevaluate(person=worker)
    binding = refresh(beijing_binding)
    assert binding.status == S.ENDED and binding.status_reason == "INSURANCE_RELATIONSHIP_CHANGED"
    assert binding.ended_at is not None
    assert status_reason(binding).code == "INSURANCE_RELATIONSHIP_CHANGED"


@pytest.mark.django_db
def test_a_2026_binding_ends_when_the_members_insurance_type_changes(beijing_binding):
    father = beijing_binding.member
    father.insutype = "310"
    father.save()
    person_reevaluate(person=father)
    assert refresh(beijing_binding).status == S.ENDED
    assert beijing_binding.status_reason == "INSURANCE_RELATIONSHIP_CHANGED"


@pytest.mark.django_db
def test_a_2026_binding_ends_when_the_members_region_changes_even_where_every_rule_still_holds(beijing_binding):
    father = beijing_binding.member
    father.region_id = "110000"  # moves to Beijing: same region as the worker, nothing broken
    father.save()
    person_reevaluate(person=father)
    assert refresh(beijing_binding).status == S.ENDED


@pytest.mark.django_db
def test_a_binding_under_a_policy_that_does_not_end_on_a_change_is_not_ended_by_the_new_regions_policy(
        alice, charlie, bind):
    binding = bind(alice, charlie)
    alice.person.region_id = "110000"  # Beijing ends bindings on a change; Jiangsu, which governed this one, not
    alice.person.save()
    person_reevaluate(person=alice.person)
    assert refresh(binding).status == S.ACTIVE
    charlie.insutype = "310"
    charlie.save()
    person_reevaluate(person=charlie)
    assert refresh(binding).status == S.ACTIVE


@pytest.mark.django_db
def test_a_binding_signed_records_both_sides_insurance_relationship(beijing_binding):
    assert beijing_binding.bound_authorizer_region_id == "110000" and beijing_binding.bound_authorizer_insutype == "310"
    assert beijing_binding.bound_member_region_id == "130100" and beijing_binding.bound_member_insutype == "390"


# 5. Either side may end a binding.

@pytest.fixture
def member_user(make_citizen):
    return make_citizen(name="王成年", birth=datetime.date(2004, 2, 2), mobile="13800000077")


@pytest.mark.django_db
def test_the_member_ends_a_binding_and_the_authorizer_is_told(alice, member_user, bind,
                                                               django_capture_on_commit_callbacks):
    binding = bind(alice, member_user.person, "child")
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        binding_end_by_member(binding=binding, actor=member_user)
    assert refresh(binding).status == S.ENDED and binding.status_reason == "ENDED_BY_MEMBER" and binding.ended_at
    event = AuditEvent.objects.get(subject_id=str(binding.pk), event="binding.ended_by_member")
    assert event.actor == member_user and event.before["status"] == "active" and event.after["status"] == "ended"
    told = Notification.objects.filter(recipient=alice.person).order_by("-pk").first()
    assert member_user.person.name in told.body and binding.reference in told.body
    assert "13800000001" in [mobile for mobile, _text in sms.outbox]
    assert status_reason(binding).code == "ENDED_BY_MEMBER"
    with pytest.raises(BindingRefused, match="BINDING_STATE_CHANGED"):
        binding_end_by_member(binding=binding, actor=member_user)


# The records show it.

@pytest.mark.django_db
def test_the_records_show_a_binding_past_its_period_as_ended_before_any_job(client, alice, charlie, bind):
    from django.urls import reverse

    today = timezone.localdate()
    binding = bind(alice, charlie, valid_from=today, valid_until=today + datetime.timedelta(days=10))
    with days_later(11):
        client.force_login(alice)
        response = client.get(reverse("sharing:records"), {"status": "ended"})
        detail = client.get(reverse("sharing:binding_detail", args=[binding.pk])).content.decode()
    assert [b.pk for b in response.context["bindings"]] == [binding.pk]
    assert "OUTSIDE_VALIDITY" in response.content.decode() and "%(" not in response.content.decode()
    assert "OUTSIDE_VALIDITY" in detail and reverse("sharing:unbind", args=[binding.pk]) not in detail


@pytest.mark.django_db
def test_the_records_say_why_a_2026_binding_ended(client, beijing_binding):
    from django.urls import reverse

    from accounts.models import User

    worker = beijing_binding.authorizer
    worker.region_id = "320300"
    worker.save()
    person_reevaluate(person=worker)
    client.force_login(User.objects.get(person=worker))
    page = client.get(reverse("sharing:records")).content.decode()
    assert "INSURANCE_RELATIONSHIP_CHANGED" in page


@pytest.mark.django_db
def test_the_records_explain_a_suspension_with_every_placeholder_filled(client, make_citizen, make_person, bind):
    from django.urls import reverse

    worker = make_citizen(name="晋工人", address="140105", region="140100", birth=datetime.date(1983, 9, 9))
    sister = make_person(name="晋妹妹", address="140105", region="140100", birth=datetime.date(1988, 1, 1),
                         insutype="390", sex="F")
    binding = bind(worker, sister, "sibling")
    SharingPolicy.objects.create(province_id="14", effective_from=timezone.localdate(), title="山西 今日收紧",
                                 allowed_relations=["parent", "spouse", "child"])
    person_reevaluate(person=sister)
    client.force_login(worker)
    for url in (reverse("sharing:records"), reverse("sharing:binding_detail", args=[binding.pk])):
        page = client.get(url).content.decode()
        assert "RELATION_NOT_ALLOWED" in page and "山西 今日收紧" in page and "%(" not in page


@pytest.mark.django_db
def test_a_binding_ended_by_a_rule_explains_it_in_general_words(beijing_binding):
    worker = beijing_binding.authorizer
    worker.status = "suspended"  # Beijing ends a binding on any broken rule
    worker.save()
    person_reevaluate(person=worker)
    reason = status_reason(refresh(beijing_binding))
    assert reason.code == "AUTHORIZER_NOT_ENROLLED" and "%(" not in f"{reason.message}{reason.next_step}"
