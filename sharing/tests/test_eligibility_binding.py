"""Every code of rules.md "Who may share with whom", through the one engine."""

import datetime

import pytest

from sharing.eligibility.binding import binding_findings, binding_still_holds, member_lookup

TODAY = datetime.date(2026, 6, 1)


def codes(reasons):
    return [r.code for r in reasons]


def findings(authorizer, member, relation="child", **kw):
    kw.setdefault("on", TODAY)
    return codes(binding_findings(authorizer=authorizer, relation=relation, member=member, **kw))


@pytest.mark.django_db
def test_allows_a_parent_binding_a_child(alice, charlie):
    assert findings(alice.person, charlie) == []


@pytest.mark.django_db
def test_refuses_an_authorizer_without_employee_insurance(charlie, make_person):
    baby = make_person(birth=datetime.date(2025, 1, 1), insutype="390")
    assert "AUTHORIZER_NOT_EMPLOYEE" in findings(charlie, baby)


@pytest.mark.django_db
def test_refuses_an_authorizer_whose_enrollment_is_suspended(make_person, charlie):
    worker = make_person(birth=datetime.date(1980, 1, 1), status="suspended")
    assert findings(worker, charlie) == ["AUTHORIZER_NOT_ENROLLED"]


@pytest.mark.django_db
def test_refuses_parents_in_law_always(alice, make_person):
    in_law = make_person(birth=datetime.date(1958, 1, 1), insutype="390")
    assert findings(alice.person, in_law, "parent_in_law") == ["RELATION_NOT_ALLOWED"]


@pytest.mark.django_db
def test_refuses_a_sibling_under_the_article_policy(alice, make_person):
    sister = make_person(birth=datetime.date(1988, 1, 1), insutype="390")
    assert findings(alice.person, sister, "sibling") == ["RELATION_NOT_ALLOWED"]


@pytest.mark.django_db
def test_allows_a_sibling_under_the_close_relatives_policy(make_person):
    worker = make_person(address="110105", region="110000", birth=datetime.date(1980, 1, 1))
    brother = make_person(address="110105", region="110000", birth=datetime.date(1984, 1, 1), insutype="390")
    assert findings(worker, brother, "sibling") == []
    grandma = make_person(address="110105", region="110000", birth=datetime.date(1930, 1, 1), insutype="390")
    assert findings(worker, grandma, "grandparent") == []


@pytest.mark.django_db
def test_refuses_a_member_not_enrolled(alice, make_person):
    child = make_person(birth=datetime.date(2012, 1, 1), insutype="390", status="ended")
    assert findings(alice.person, child) == ["MEMBER_NOT_ENROLLED"]


@pytest.mark.django_db
def test_refuses_an_unknown_member(alice):
    assert findings(alice.person, None) == ["MEMBER_IDENTITY_MISMATCH"]


@pytest.mark.django_db
def test_refuses_a_name_that_does_not_match_the_number(alice, charlie):
    assert findings(alice.person, charlie, member_name="王小山") == ["MEMBER_IDENTITY_MISMATCH"]
    assert member_lookup("王小山", charlie.certno) is None
    assert member_lookup(" 王小川 ", charlie.certno.lower()) == charlie


@pytest.mark.django_db
def test_refuses_cross_city_where_the_province_does_not_allow_it(make_person):
    worker = make_person(address="340102", region="340100")
    child = make_person(address="340202", region="340200", birth=datetime.date(2012, 1, 1), insutype="390")
    assert findings(worker, child) == ["CROSS_REGION_NOT_ALLOWED"]


@pytest.mark.django_db
def test_allows_cross_city_where_the_province_allows_it(alice, make_person):
    mother = make_person(address="320102", region="320100", birth=datetime.date(1958, 1, 1), insutype="390")
    assert findings(alice.person, mother, "parent") == []


@pytest.mark.django_db
def test_refuses_cross_province_under_the_default_policy(alice, make_person):
    mother = make_person(address="340102", region="340100", birth=datetime.date(1958, 1, 1), insutype="390")
    assert findings(alice.person, mother, "parent") == ["CROSS_PROVINCE_NOT_ALLOWED"]


@pytest.mark.django_db
def test_allows_cross_province_under_the_2026_policy_only_from_its_date(make_person):
    worker = make_person(address="110105", region="110000", birth=datetime.date(1980, 5, 5))
    father = make_person(address="130102", region="130100", birth=datetime.date(1950, 10, 1), insutype="390")
    assert findings(worker, father, "parent", on=datetime.date(2026, 1, 1)) == []
    assert findings(worker, father, "parent", on=datetime.date(2025, 12, 31)) == ["CROSS_PROVINCE_NOT_ALLOWED"]


@pytest.mark.django_db
def test_refuses_validity_dates_that_start_in_the_past_or_end_before_they_start(alice, charlie):
    assert findings(alice.person, charlie, valid_from=TODAY - datetime.timedelta(days=1)) == ["OUTSIDE_VALIDITY"]
    assert findings(alice.person, charlie, valid_from=TODAY, valid_until=TODAY) == ["OUTSIDE_VALIDITY"]
    assert findings(alice.person, charlie, valid_from=TODAY, valid_until=TODAY + datetime.timedelta(days=1)) == []


@pytest.mark.django_db
def test_ignores_validity_dates_where_the_policy_has_none(make_person):
    worker = make_person(address="130102", region="130100")
    child = make_person(address="130102", region="130100", birth=datetime.date(2012, 1, 1), insutype="390")
    assert findings(worker, child, valid_from=TODAY - datetime.timedelta(days=5)) == []


@pytest.mark.django_db
def test_refuses_self_binding(alice):
    assert findings(alice.person, alice.person, "spouse") == ["SELF_BINDING"]


@pytest.mark.django_db
def test_refuses_a_second_live_binding_for_the_same_pair(alice, charlie, bind):
    bind(alice, charlie)
    assert findings(alice.person, charlie, on=None) == ["ALREADY_BOUND"]


@pytest.mark.django_db
def test_refuses_a_second_spouse(alice, bob, make_person, bind):
    bind(alice, bob.person, "spouse")
    other = make_person(birth=datetime.date(1983, 1, 1))
    assert findings(alice.person, other, "spouse", on=None) == ["SECOND_SPOUSE"]


@pytest.mark.django_db
def test_refuses_a_parent_younger_than_fifteen_years_older(alice, make_person):
    too_young = make_person(birth=datetime.date(1975, 1, 1), insutype="390")
    assert findings(alice.person, too_young, "parent") == ["RELATION_IMPLAUSIBLE"]
    old_enough = make_person(birth=datetime.date(1970, 3, 15), insutype="390")
    assert findings(alice.person, old_enough, "parent") == []


@pytest.mark.django_db
def test_refuses_a_child_older_than_the_authorizer(alice, make_person):
    older = make_person(birth=datetime.date(1980, 1, 1), insutype="390")
    assert findings(alice.person, older, "child") == ["RELATION_IMPLAUSIBLE"]


@pytest.mark.django_db
def test_refuses_a_spouse_under_marriage_age(alice, make_person):
    # A man must be 22, a woman 20.
    young_man = make_person(birth=datetime.date(2004, 7, 1), sex="M")
    assert findings(alice.person, young_man, "spouse") == ["RELATION_IMPLAUSIBLE"]
    man_22 = make_person(birth=datetime.date(2004, 6, 1), sex="M")
    assert findings(alice.person, man_22, "spouse") == []


@pytest.mark.django_db
def test_returns_every_reason_not_just_the_first(make_person):
    resident = make_person(address="340102", region="340100", insutype="390")
    stranger = make_person(address="320302", region="320300", birth=datetime.date(1999, 1, 1), status="ended")
    found = findings(resident, stranger, "parent")
    assert set(found) == {"AUTHORIZER_NOT_EMPLOYEE", "MEMBER_NOT_ENROLLED", "CROSS_PROVINCE_NOT_ALLOWED",
                          "RELATION_IMPLAUSIBLE"}


@pytest.mark.django_db
def test_explains_with_details_filled_in(alice, make_person):
    mother = make_person(address="340102", region="340100", birth=datetime.date(1958, 1, 1), insutype="390")
    (reason,) = binding_findings(authorizer=alice.person, relation="parent", member=mother, on=TODAY)
    assert "江苏省" in str(reason.message) and "安徽省" in str(reason.message)
    assert "%(" not in str(reason.message)


@pytest.mark.django_db
def test_rechecks_an_existing_binding_against_the_registry(alice, charlie, bind):
    binding = bind(alice, charlie)
    assert binding_still_holds(binding) == []
    charlie.status = "suspended"
    charlie.save()
    alice.person.status = "ended"
    alice.person.save()
    binding.refresh_from_db()
    assert codes(binding_still_holds(binding)) == ["AUTHORIZER_NOT_ENROLLED", "MEMBER_NOT_ENROLLED"]


@pytest.mark.django_db
def test_says_a_binding_outside_its_validity_period_does_not_hold(alice, charlie, bind):
    start = datetime.date.today() + datetime.timedelta(days=2)
    binding = bind(alice, charlie, valid_from=start, valid_until=start + datetime.timedelta(days=10))
    assert codes(binding_still_holds(binding)) == ["OUTSIDE_VALIDITY"]
    assert binding_still_holds(binding, on=start) == []
    assert codes(binding_still_holds(binding, on=start + datetime.timedelta(days=11))) == ["OUTSIDE_VALIDITY"]
