from family.selectors import family_account_holders


def test_lists_who_has_the_member_in_a_family_account(alice, bob, charlie, add_to_family):
    add_to_family(alice.person, charlie)
    add_to_family(bob.person, charlie)
    assert family_account_holders(charlie) == [alice.person, bob.person]


def test_ignores_waiting_and_ended_memberships(alice, bob, dave, charlie, add_to_family):
    add_to_family(alice.person, charlie, status="removed")
    add_to_family(bob.person, charlie, status="awaiting_consent")
    add_to_family(dave.person, charlie, status="refused")
    assert family_account_holders(charlie) == []


def test_is_empty_for_someone_in_no_family_account(charlie):
    assert family_account_holders(charlie) == []
