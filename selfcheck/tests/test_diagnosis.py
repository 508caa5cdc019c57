"""Every reason code is reachable from the self-check on fixed families, with the right concrete next step."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from selfcheck.diagnosis import CANNOT_BIND, I_CANNOT_USE, MEMBER_CANNOT_USE, diagnose
from sharing import reasons
from sharing.models import Binding


def codes(result):
    return set(result.codes)


def in_family_account(holder, member, relation):
    """Puts `member` in the user's circle: the self-check tells the user about people in their circle only."""
    from family.models import FamilyMembership

    FamilyMembership.objects.create(holder=holder, member=member, relation=relation, status="active")


def test_a_father_in_another_province_only_in_the_family_account(people):
    """李娜 has her father (Anhui) only in her family account: the article's reasons 2 and 4 at once."""
    result = diagnose(me=people["spouse"], situation=MEMBER_CANNOT_USE, other=people["father_in_law"], relation="parent")
    assert codes(result) == {"NOT_BOUND", "FAMILY_ACCOUNT_ONLY", "CROSS_PROVINCE_NOT_ALLOWED"}
    cross = next(f for f in result.findings if f.code == "CROSS_PROVINCE_NOT_ALLOWED")
    assert "江苏省家庭共济政策" in cross.extra[0]


def test_without_naming_anyone_it_checks_the_family_account_too(people):
    result = diagnose(me=people["spouse"], situation=MEMBER_CANNOT_USE)
    assert "FAMILY_ACCOUNT_ONLY" in codes(result)


def test_a_child_bound_and_in_the_family_account_is_fine(people, bind):
    """张伟 has 张小雨 in his family account *and* bound: the binding pays, so nothing is wrong."""
    bind(people["worker"], people["child"])
    result = diagnose(me=people["worker"], situation=MEMBER_CANNOT_USE, other=people["child"])
    assert result.ok and result.previews[0].my_would_pay == Decimal("100.00")


def test_a_minor_child_only_in_the_family_account(alice, charlie):
    from family.services import family_member_add
    from registry.models import ServiceHall

    hall = ServiceHall.objects.create(name="徐州市医保服务大厅", region_id="320300")
    family_member_add(actor=alice, holder=alice.person, relation="child", member_name=charlie.name,
                      member_certno=charlie.certno, member_present=True, hall=hall)
    result = diagnose(me=alice.person, situation=MEMBER_CANNOT_USE, other=charlie)
    assert codes(result) == {"NOT_BOUND", "FAMILY_ACCOUNT_ONLY"}


def test_a_zero_balance_authorizer(people, bind):
    bind(people["zero_worker"], people["zero_mother"], relation="parent")
    result = diagnose(me=people["zero_worker"], situation=MEMBER_CANNOT_USE, other=people["zero_mother"])
    assert codes(result) == {"SHARED_BALANCE_ZERO"}
    # The mother asks from her side and gets the same answer.
    assert codes(diagnose(me=people["zero_mother"], situation=I_CANNOT_USE)) == {"SHARED_BALANCE_ZERO"}


def test_nothing_wrong_shows_what_would_be_paid(people, bind):
    from sharing.quotas import quota_add

    binding = bind(people["beijing_worker"], people["beijing_father"], relation="parent")
    quota_add(binding=binding, amount=Decimal("100.00"), actor=None)  # 2026: cross-province through a quota
    result = diagnose(me=people["beijing_worker"], situation=MEMBER_CANNOT_USE, other=people["beijing_father"],
                      amount=Decimal("86.50"))
    assert result.ok
    [preview] = result.previews
    assert preview.patient == people["beijing_father"] and not preview.viewer_is_patient
    assert preview.my_would_pay == Decimal("86.50")
    # The father's own balance is his: the authorizer sees only their own account's row.
    assert preview.own_balance is None and preview.shared_total is None and preview.cash is None


def test_the_authorizer_has_no_employee_insurance(people, bind):
    bind(people["worker"], people["mother"], relation="parent")  # she is in his circle
    result = diagnose(me=people["worker"], situation=I_CANNOT_USE, other=people["mother"], relation="parent")
    assert {"NOT_BOUND", "AUTHORIZER_NOT_EMPLOYEE"} <= codes(result)


def test_a_suspended_authorizer_is_sent_to_the_hall_of_their_region(people):
    result = diagnose(me=people["suspended_worker"], situation=CANNOT_BIND)
    assert codes(result) == {"AUTHORIZER_NOT_ENROLLED"}
    assert "南京市" in result.findings[0].extra[0]


def test_a_sibling_not_enrolled_and_not_allowed_under_the_article_policy(people):
    in_family_account(people["worker"], people["brother"], "sibling")
    result = diagnose(me=people["worker"], situation=CANNOT_BIND, other=people["brother"], relation="sibling")
    assert codes(result) == {"RELATION_NOT_ALLOWED", "MEMBER_NOT_ENROLLED"}


def test_a_parent_in_law_is_never_allowed(people):
    in_family_account(people["worker"], people["father_in_law"], "parent_in_law")
    result = diagnose(me=people["worker"], situation=CANNOT_BIND, other=people["father_in_law"], relation="parent_in_law")
    assert {"RELATION_NOT_ALLOWED", "CROSS_PROVINCE_NOT_ALLOWED"} <= codes(result)


def test_cities_of_a_province_without_cross_city_sharing(make_person):
    worker = make_person(name="合肥工", address="340102", region="340100", balance="100.00")
    mother = make_person(name="芜湖母", address="340202", region="340200", birth=datetime.date(1955, 1, 1),
                         insutype="390", sex="F")
    in_family_account(worker, mother, "parent")
    result = diagnose(me=worker, situation=CANNOT_BIND, other=mother, relation="parent")
    assert codes(result) == {"CROSS_REGION_NOT_ALLOWED"}
    assert "安徽省" in result.findings[0].reason.message


def test_self_already_bound_second_spouse_and_implausible(people, bind, make_person):
    worker, spouse = people["worker"], people["spouse"]
    assert codes(diagnose(me=worker, situation=CANNOT_BIND, other=worker, relation="child")) == {"SELF_BINDING"}
    bind(worker, spouse, relation="spouse")
    assert "ALREADY_BOUND" in codes(diagnose(me=worker, situation=CANNOT_BIND, other=spouse, relation="spouse"))
    other = make_person(name="另一人", birth=datetime.date(1986, 1, 1), sex="F")
    assert "SECOND_SPOUSE" in codes(diagnose(me=worker, situation=CANNOT_BIND, other=other, relation="spouse"))
    bind(worker, people["father"], relation="parent")  # he is in the worker's circle
    result = diagnose(me=worker, situation=CANNOT_BIND, other=people["father"], relation="child")
    assert "RELATION_IMPLAUSIBLE" in codes(result)
    assert any("徐州市医保服务大厅" in line for f in result.findings for line in f.extra)


def test_consent_pending_refused_and_expired(people, bind):
    from sharing.services import binding_consent

    worker, spouse = people["worker"], people["spouse"]
    binding = bind(worker, spouse, relation="spouse")
    assert codes(diagnose(me=worker, situation=MEMBER_CANNOT_USE, other=spouse)) == {"SPOUSE_CONSENT_PENDING"}
    Binding.objects.filter(pk=binding.pk).update(consent_deadline=timezone.now() - datetime.timedelta(minutes=1))
    assert codes(diagnose(me=worker, situation=MEMBER_CANNOT_USE, other=spouse)) == {"CONSENT_EXPIRED", "NOT_BOUND"}
    binding = bind(worker, spouse, relation="spouse")  # an overdue request no longer blocks a new one
    binding_consent(binding=binding, agree=False, actor=None)
    assert codes(diagnose(me=worker, situation=MEMBER_CANNOT_USE, other=spouse)) == {"SPOUSE_REFUSED", "NOT_BOUND"}


def test_outside_the_validity_period(people, bind):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    bind(people["spouse"], people["child"], valid_from=tomorrow, valid_until=tomorrow + datetime.timedelta(days=30))
    assert codes(diagnose(me=people["spouse"], situation=MEMBER_CANNOT_USE, other=people["child"])) == {"OUTSIDE_VALIDITY"}


def test_a_suspended_binding(people, bind):
    from sharing.review import person_reevaluate

    bind(people["worker"], people["child"])
    child = people["child"]
    child.status = "suspended"
    child.save(update_fields=["status"])
    person_reevaluate(person=child)
    result = diagnose(me=people["worker"], situation=MEMBER_CANNOT_USE, other=child)
    assert "MEMBER_NOT_ENROLLED" in codes(result)
    assert codes(result) & {"BINDING_SUSPENDED", "MEMBER_NOT_ENROLLED"}


@pytest.fixture
def shanxi(make_person):
    def person(name, balance=None, **kw):
        kw.setdefault("birth", datetime.date(1984, 1, 1))
        return make_person(name=name, address="140105", region="140100", balance=balance or "0.00", **kw)

    return person


def test_shanxi_floor_cap_and_one_authorizer(shanxi, bind):
    mother = shanxi("晋母", insutype="390", birth=datetime.date(1955, 1, 1), sex="F")
    poor = shanxi("晋甲", "800.00", birth=datetime.date(1981, 2, 2))
    rich = shanxi("晋乙", "3000.00", birth=datetime.date(1982, 3, 3))
    bind(poor, mother, relation="parent")
    assert codes(diagnose(me=poor, situation=MEMBER_CANNOT_USE, other=mother)) == {"SHARED_BALANCE_BELOW_FLOOR"}
    bind(rich, mother, relation="parent")
    assert "SHARED_CAP_REACHED" in codes(diagnose(me=rich, situation=MEMBER_CANNOT_USE, other=mother,
                                                  amount=Decimal("800.00")))
    rich2 = shanxi("晋丙", "3000.00", birth=datetime.date(1983, 4, 4))
    bind(rich2, mother, relation="parent")
    result = diagnose(me=rich2, situation=MEMBER_CANNOT_USE, other=mother, amount=Decimal("800.00"))
    assert "SINGLE_AUTHORIZER" in codes(result)


def test_a_binding_suspended_by_the_office(people, bind):
    from sharing.review import binding_suspend

    binding = bind(people["beijing_worker"], people["beijing_father"], relation="parent")
    binding_suspend(binding=binding, actor=None, cause="checking the household register")
    result = diagnose(me=people["beijing_worker"], situation=MEMBER_CANNOT_USE, other=people["beijing_father"])
    assert "OFFICIAL_SUSPENSION" in codes(result)


def test_nobody_shares_with_me(people):
    assert codes(diagnose(me=people["beijing_worker"], situation=I_CANNOT_USE)) == {"NOT_BOUND"}


def test_an_exhausted_quota_is_explained_with_its_next_step(people, bind):
    """A cross-province binding under the 2026 rules shares through a quota: none granted or all used up is
    QUOTA_EXHAUSTED, from either side, and the next step is to top it up."""
    from sharing.quotas import quota_add

    binding = bind(people["beijing_worker"], people["beijing_father"], relation="parent")
    result = diagnose(me=people["beijing_worker"], situation=MEMBER_CANNOT_USE, other=people["beijing_father"])
    assert codes(result) == {"QUOTA_EXHAUSTED"}
    assert codes(diagnose(me=people["beijing_father"], situation=I_CANNOT_USE)) == {"QUOTA_EXHAUSTED"}
    from django.utils import translation

    with translation.override("en"):
        assert "top up the quota" in str(next(f for f in result.findings).reason.next_step)
    quota_add(binding=binding, amount=Decimal("50.00"), actor=None)
    assert diagnose(me=people["beijing_worker"], situation=MEMBER_CANNOT_USE, other=people["beijing_father"]).ok


def test_a_member_not_enrolled_asks_from_their_own_side(people):
    assert "MEMBER_NOT_ENROLLED" in codes(diagnose(me=people["brother"], situation=I_CANNOT_USE))


def test_every_sharing_code_is_reachable():
    """The tests above between them reach every code of the catalogue (MEMBER_IDENTITY_MISMATCH via the form)."""
    import inspect
    import sys

    source = inspect.getsource(sys.modules[__name__]) + open(__file__.replace("test_diagnosis", "test_views")).read()
    from selfcheck.views import NOT_SITUATIONS

    assert [code for code in reasons.ALL if code not in source and code not in NOT_SITUATIONS] == []


def test_a_patient_whose_own_enrollment_ended_is_told_that_first(people):
    """The payment rules' PATIENT_NOT_ENROLLED reaches the self-check of a person whose insurance ended."""
    found = codes(diagnose(me=people["brother"], situation=I_CANNOT_USE))
    assert "PATIENT_NOT_ENROLLED" in found


def test_a_2026_binding_ended_by_a_change_of_insurance_says_so(people, bind):
    from sharing.review import person_reevaluate

    worker, father = people["beijing_worker"], people["beijing_father"]
    binding = bind(worker, father, relation="parent")
    father.region_id = "110000"  # moves to Beijing: under the 2026 rules the binding ends by itself
    father.save()
    person_reevaluate(person=father)
    binding.refresh_from_db()
    assert binding.status == Binding.Status.ENDED
    found = codes(diagnose(me=worker, situation=MEMBER_CANNOT_USE, other=father))
    assert {"NOT_BOUND", "INSURANCE_RELATIONSHIP_CHANGED"} <= found


def test_a_binding_the_member_ended_says_so(people, bind):
    from sharing.services import binding_end_by_member

    worker, father = people["beijing_worker"], people["beijing_father"]
    binding_end_by_member(binding=bind(worker, father, relation="parent"), actor=None)
    found = codes(diagnose(me=worker, situation=MEMBER_CANNOT_USE, other=father))
    assert {"NOT_BOUND", "ENDED_BY_MEMBER"} <= found


def test_an_employee_without_a_personal_account_is_told_so_when_binding(db, charlie):
    from registry import idnumber
    from registry.models import InsuredPerson

    worker = InsuredPerson.objects.create(certno=idnumber.make("320302", datetime.date(1980, 8, 8), 31), name="钱无账",
                                          insutype="310", region_id="320300")
    assert codes(diagnose(me=worker, situation=CANNOT_BIND)) == {"AUTHORIZER_NO_ACCOUNT"}
    assert "AUTHORIZER_NO_ACCOUNT" in codes(diagnose(me=worker, situation=CANNOT_BIND, other=charlie, relation="child"))


def test_a_spouse_binding_received_counts_as_my_spouse_binding_too(alice, bob, make_person, bind):
    """bob is the member of alice's spouse request: he cannot ask someone else (SECOND_SPOUSE, either direction)."""
    bind(alice.person, bob.person, relation="spouse")
    other = make_person(name="另一人", birth=datetime.date(1986, 1, 1), sex="F")
    assert "SECOND_SPOUSE" in codes(diagnose(me=bob.person, situation=CANNOT_BIND, other=other, relation="spouse"))
