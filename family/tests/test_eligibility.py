"""The family account's rules as pure functions (no database)."""

import pytest

from family.eligibility import MAX_MEMBERS, add_member_findings, is_minor, limit_reached

BASE = dict(is_self=False, already_added=False, live_count=0, minor=False, relation="parent", plausible=True,
            proof=False)


def codes(**changes):
    return [r.code for r in add_member_findings(**{**BASE, **changes})]


def test_an_adult_relative_may_be_asked():
    assert codes() == []


@pytest.mark.parametrize(("changes", "expected"), [
    ({"is_self": True}, ["FAMILY_SELF"]),
    ({"already_added": True}, ["FAMILY_ALREADY_ADDED"]),
    ({"live_count": MAX_MEMBERS}, ["FAMILY_LIMIT_REACHED"]),
    ({"minor": True, "relation": "sibling"}, ["FAMILY_MINOR_PARENT_ONLY"]),
    ({"minor": True, "relation": "child", "plausible": False}, ["RELATION_IMPLAUSIBLE"]),
    ({"minor": True, "relation": "child"}, ["FAMILY_MINOR_NEEDS_PROOF"]),
    ({"minor": True, "relation": "child", "proof": True}, []),
    ({"live_count": MAX_MEMBERS, "minor": True, "relation": "child"}, ["FAMILY_LIMIT_REACHED",
                                                                        "FAMILY_MINOR_NEEDS_PROOF"]),
])
def test_each_rule_of_adding_a_member(changes, expected):
    assert codes(**changes) == expected


def test_the_limit_message_names_the_limit():
    [reason] = add_member_findings(**{**BASE, "live_count": MAX_MEMBERS})
    assert str(MAX_MEMBERS) in str(reason.message) + str(reason.next_step)


def test_minors_and_the_limit():
    assert is_minor(15) and not is_minor(16)
    assert not limit_reached(MAX_MEMBERS - 1) and limit_reached(MAX_MEMBERS)
