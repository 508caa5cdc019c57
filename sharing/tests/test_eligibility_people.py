"""Who may share with whom, the 2024–2026 corrections: ID numbers and names as typed, relationships the engine
refuses whatever a policy row lists, one spouse per person in either direction, the sex of a spouse, and an
employee without a personal account."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from registry import idnumber
from registry.models import InsuredPerson, Relation, SharingPolicy
from sharing import services
from sharing.eligibility.binding import binding_findings, member_lookup, relation_labels
from sharing.models import Binding
from sharing.services import BindingRefused, binding_create, binding_withdraw

TODAY = datetime.date(2026, 6, 1)


def codes(reasons):
    return [r.code for r in reasons]


def findings(authorizer, member, relation="child", **kw):
    kw.setdefault("on", TODAY)
    return codes(binding_findings(authorizer=authorizer, relation=relation, member=member, **kw))


# ID numbers and names -------------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("address", ["810000", "820000", "830000", "932840"])
def test_finds_and_allows_a_member_with_a_residence_permit_or_a_foreigners_permanent_residence_id(
        alice, make_person, address):
    child = make_person(name="陈小明", address=address, birth=datetime.date(2015, 5, 5), insutype="390")
    assert member_lookup("陈小明", child.certno) == child
    assert findings(alice.person, child, member_name="陈小明", member_certno=child.certno) == []


@pytest.mark.django_db
def test_finds_a_member_whatever_middle_dot_is_typed_and_however_the_number_is_typed(alice, make_person):
    child = make_person(name="买买提·艾力", birth=datetime.date(2015, 5, 5), insutype="390")
    full_width = child.certno.translate(str.maketrans("0123456789X", "０１２３４５６７８９ｘ"))
    for typed in ["买买提·艾力", "买买提•艾力", "买买提．艾力", "买买提・艾力", "买买提艾力"]:
        assert member_lookup(typed, full_width) == child, typed
        assert findings(alice.person, child, member_name=typed, member_certno=full_width) == [], typed
    assert member_lookup("买买提·艾利", child.certno) is None


@pytest.mark.django_db
def test_an_authorizer_signs_with_their_name_whatever_middle_dot_they_type(make_citizen, make_person, sign):
    worker = make_citizen(name="阿依古丽·买买提", birth=datetime.date(1985, 1, 1), sex="F", balance="10.00")
    child = make_person(name="艾力", birth=datetime.date(2012, 1, 1), insutype="390")
    binding = binding_create(**{**sign(worker), "typed_name": "阿依古丽•买买提"}, member=child, relation="child")
    assert binding.status == "active" and binding.typed_name == "阿依古丽•买买提"


# Parents-in-law and "other" -----------------------------------------------------------------------------------

@pytest.fixture
def lax_anhui_policy(db):
    """A policy row that (wrongly) lists parents-in-law and "other": the engine refuses them all the same."""
    return SharingPolicy.objects.create(
        province_id="34", effective_from=datetime.date(2022, 1, 1), title="安徽省（测试）",
        allowed_relations=["parent", "spouse", "child", "parent_in_law", "other"])


@pytest.mark.django_db
@pytest.mark.parametrize("relation", ["parent_in_law", "other"])
def test_refuses_parents_in_law_and_other_whatever_the_policy_row_lists(lax_anhui_policy, make_person, relation):
    worker = make_person(address="340102", region="340100", birth=datetime.date(1985, 1, 1))
    in_law = make_person(address="340102", region="340100", birth=datetime.date(1958, 1, 1), insutype="390")
    assert findings(worker, in_law, relation) == ["RELATION_NOT_ALLOWED"]
    # What it says is allowed does not list what is never allowed.
    assert relation_labels(lax_anhui_policy) == "、".join(str(Relation(r).label) for r in ["parent", "spouse", "child"])
    assert findings(worker, in_law, "parent") == []


@pytest.mark.django_db
def test_the_service_refuses_a_parent_in_law_whatever_the_policy_row_lists(lax_anhui_policy, make_citizen,
                                                                           make_person, bind):
    worker = make_citizen(address="340102", region="340100", birth=datetime.date(1985, 1, 1), balance="10.00")
    in_law = make_person(address="340102", region="340100", birth=datetime.date(1958, 1, 1), insutype="390")
    with pytest.raises(BindingRefused) as refused:
        bind(worker, in_law, "parent_in_law")
    assert codes(refused.value.reasons) == ["RELATION_NOT_ALLOWED"]


# One spouse per person, in either direction --------------------------------------------------------------------

@pytest.fixture
def carol(make_citizen):
    """A third person: a woman, employee-insured, of marriageable age."""
    return make_citizen(name="刘卡萝", birth=datetime.date(1986, 4, 4), sex="F", balance="50.00")


@pytest.fixture
def chen(make_citizen):
    """A third person: a man, employee-insured, of marriageable age."""
    return make_citizen(name="陈晨", birth=datetime.date(1983, 3, 3), sex="M", balance="50.00")


@pytest.mark.django_db
def test_a_live_spouse_binding_blocks_a_second_one_for_either_person_in_either_direction(alice, bob, carol, chen,
                                                                                         bind):
    bind(alice, bob.person, "spouse")  # A→B, awaiting consent
    assert findings(carol.person, bob.person, "spouse", on=None) == ["SECOND_SPOUSE"]  # C→B
    assert findings(bob.person, carol.person, "spouse", on=None) == ["SECOND_SPOUSE"]  # B→C
    assert findings(chen.person, alice.person, "spouse", on=None) == ["SECOND_SPOUSE"]  # C→A
    assert findings(alice.person, chen.person, "spouse", on=None) == ["SECOND_SPOUSE"]  # A→C
    assert findings(bob.person, alice.person, "spouse", on=None) == []  # B→A: the same couple, the other way round
    assert findings(carol.person, chen.person, "spouse", on=None) == []  # nobody else is concerned


@pytest.mark.django_db
def test_the_reverse_of_the_same_couple_may_be_bound(alice, bob, bind):
    bind(alice, bob.person, "spouse")
    assert bind(bob, alice.person, "spouse").status == "awaiting_consent"


@pytest.mark.django_db
def test_an_active_spouse_binding_blocks_the_member_binding_someone_else(alice, bob, carol, bind):
    services.binding_consent(binding=bind(alice, bob.person, "spouse"), agree=True, actor=bob)
    with pytest.raises(BindingRefused) as refused:
        bind(bob, carol.person, "spouse")
    assert codes(refused.value.reasons) == ["SECOND_SPOUSE"]


@pytest.mark.django_db
def test_a_spouse_binding_no_longer_live_blocks_nobody(alice, bob, carol, bind):
    binding_withdraw(binding=bind(alice, bob.person, "spouse"), actor=alice)
    assert bind(carol, bob.person, "spouse").status == "awaiting_consent"


@pytest.mark.django_db
def test_an_overdue_request_to_the_member_is_expired_and_blocks_nobody(alice, bob, carol, bind):
    first = bind(alice, bob.person, "spouse")
    Binding.objects.filter(pk=first.pk).update(consent_deadline=first.signed_at - datetime.timedelta(hours=1))
    assert bind(carol, bob.person, "spouse").status == "awaiting_consent"
    first.refresh_from_db()
    assert first.status == "expired"


@pytest.mark.django_db
def test_the_database_refuses_a_second_spouse_the_engine_did_not_see(monkeypatch, alice, bob, carol, sign, bind):
    bind(alice, bob.person, "spouse")
    monkeypatch.setattr(services, "binding_findings", lambda **kwargs: [])
    with pytest.raises(BindingRefused) as refused:
        binding_create(**sign(carol), member=bob.person, relation="spouse")  # C→B
    assert codes(refused.value.reasons) == ["SECOND_SPOUSE"]
    with pytest.raises(BindingRefused) as refused:
        binding_create(**sign(bob), member=carol.person, relation="spouse")  # B→C
    assert codes(refused.value.reasons) == ["SECOND_SPOUSE"]
    assert binding_create(**sign(bob), member=alice.person, relation="spouse").status == "awaiting_consent"  # B→A
    assert Binding.objects.filter(relation="spouse").count() == 2


@pytest.mark.django_db
def test_the_database_refuses_a_spouse_binding_brought_back_to_life_beside_another(alice, bob, carol, bind):
    withdrawn = bind(alice, bob.person, "spouse")
    binding_withdraw(binding=withdrawn, actor=alice)
    bind(carol, bob.person, "spouse")
    with pytest.raises(IntegrityError, match="one_live_spouse_per_person"), transaction.atomic():
        Binding.objects.filter(pk=withdrawn.pk).update(status="active")


# The sex and age of a spouse ----------------------------------------------------------------------------------

@pytest.mark.django_db
def test_refuses_a_spouse_of_the_same_sex(alice, bob, make_person):
    woman = make_person(birth=datetime.date(1986, 1, 1), sex="F")
    man = make_person(birth=datetime.date(1986, 1, 1), sex="M")
    assert findings(alice.person, woman, "spouse") == ["RELATION_IMPLAUSIBLE"]
    assert findings(bob.person, man, "spouse") == ["RELATION_IMPLAUSIBLE"]
    assert findings(alice.person, man, "spouse") == [] and findings(bob.person, woman, "spouse") == []


@pytest.mark.django_db
def test_the_sex_comes_from_the_17th_digit_of_a_permit_or_foreigners_number_too(alice, make_person):
    man = make_person(address="932840", birth=datetime.date(1980, 1, 1), sex="M")
    woman = make_person(address="810000", birth=datetime.date(1980, 1, 1), sex="F")
    assert findings(alice.person, man, "spouse") == []
    assert findings(alice.person, woman, "spouse") == ["RELATION_IMPLAUSIBLE"]


@pytest.mark.django_db
def test_refuses_a_wife_under_twenty(bob, make_person):
    nineteen = make_person(birth=datetime.date(2006, 6, 2), sex="F")
    twenty = make_person(birth=datetime.date(2006, 6, 1), sex="F")
    assert findings(bob.person, nineteen, "spouse") == ["RELATION_IMPLAUSIBLE"]
    assert findings(bob.person, twenty, "spouse") == []


@pytest.mark.django_db
def test_the_service_refuses_a_same_sex_spouse_binding(alice, make_person, bind):
    woman = make_person(birth=datetime.date(1986, 1, 1), sex="F")
    with pytest.raises(BindingRefused) as refused:
        bind(alice, woman, "spouse")
    assert codes(refused.value.reasons) == ["RELATION_IMPLAUSIBLE"]


# An employee without a personal account --------------------------------------------------------------------------

@pytest.fixture
def employee_without_account(db):
    return InsuredPerson.objects.create(certno=idnumber.make("320302", datetime.date(1980, 8, 8), 31), name="钱无账",
                                        insutype="310", region_id="320300")


@pytest.mark.django_db
def test_refuses_an_employee_without_a_personal_account_as_authorizer(employee_without_account, charlie):
    child = charlie
    (reason,) = binding_findings(authorizer=employee_without_account, relation="child", member=child, on=TODAY)
    assert reason.code == "AUTHORIZER_NO_ACCOUNT"
    assert "徐州" in str(reason.next_step) and "%(" not in str(reason.next_step) + str(reason.message)


@pytest.mark.django_db
def test_the_service_refuses_an_employee_without_a_personal_account(employee_without_account, charlie):
    with pytest.raises(BindingRefused) as refused:
        binding_create(authorizer=employee_without_account, actor=None, member=charlie, relation="child",
                       signature_method="typed", typed_name="钱无账")
    assert codes(refused.value.reasons) == ["AUTHORIZER_NO_ACCOUNT"]
    assert not Binding.objects.filter(authorizer=employee_without_account).exists()


def test_the_catalogue_explains_authorizer_no_account_in_chinese_and_english():
    from django.utils import translation

    from sharing import reasons

    with translation.override("zh-hans"):
        reason = reasons.ALL["AUTHORIZER_NO_ACCOUNT"].with_detail(region="徐州市")
        assert "个人账户" in str(reason.message) and "徐州市医保服务大厅" in str(reason.next_step)
    with translation.override("en"):
        assert "personal account" in str(reasons.AUTHORIZER_NO_ACCOUNT.message)


@pytest.mark.django_db
def test_a_binding_whose_authorizer_has_no_account_is_suspended_and_comes_back_with_the_account(
        employee_without_account, charlie, bind):
    from decimal import Decimal

    from ledger.services import account_open
    from sharing.review import person_reevaluate

    binding = bind(employee_without_account, charlie, direct=True)  # made before the rule, or by the core system
    person_reevaluate(person=employee_without_account)
    binding.refresh_from_db()
    assert (binding.status, binding.status_reason) == ("suspended", "AUTHORIZER_NO_ACCOUNT")
    account_open(person=employee_without_account, opening_balance=Decimal("10.00"))
    employee_without_account = InsuredPerson.objects.get(pk=employee_without_account.pk)
    person_reevaluate(person=employee_without_account)
    binding.refresh_from_db()
    assert binding.status == "active"
