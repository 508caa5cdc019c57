"""The family page's reads, compiled once per process (core.compiled), give what the ORM gives."""

from family import selectors


def _fields(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_members_requests_and_accounts_equal_the_orm(alice, bob, charlie, dave, add_to_family):
    add_to_family(alice.person, charlie)
    add_to_family(alice.person, bob.person, relation="spouse", status="awaiting_consent")
    add_to_family(alice.person, dave.person, status="removed")
    add_to_family(bob.person, dave.person)
    add_to_family(dave.person, alice.person, relation="parent", status="awaiting_consent")
    for person in (alice.person, bob.person, dave.person, charlie):
        fast = selectors.family_members_of(person)
        orm = list(selectors.members_query(person.pk))
        assert [(_fields(m), _fields(m.member), _fields(m.member.region), _fields(m.member.region.province))
                for m in fast] == [(_fields(m), _fields(m.member), _fields(m.member.region),
                                    _fields(m.member.region.province)) for m in orm]
        for fast, orm in ((selectors.family_requests_for(person), selectors.requests_query(person.pk)),
                          (selectors.family_accounts_im_in(person), selectors.accounts_im_in_query(person.pk))):
            assert [(_fields(m), _fields(m.holder)) for m in fast] == [(_fields(m), _fields(m.holder)) for m in orm]
        # The page reads both in one statement: the same lists.
        both = selectors.family_requests_and_accounts_for(person)
        assert [[(_fields(m), _fields(m.holder)) for m in found] for found in both] == [
            [(_fields(m), _fields(m.holder)) for m in orm]
            for orm in (selectors.requests_query(person.pk), selectors.accounts_im_in_query(person.pk))]
    assert len(selectors.family_members_of(alice.person)) == 2
    assert len(selectors.family_members_of(alice.person, live_only=False)) == 3
    assert [m.holder_id for m in selectors.family_requests_for(alice.person)] == [dave.person.pk]
    assert [m.holder_id for m in selectors.family_accounts_im_in(dave.person)] == [bob.person.pk]



def test_a_member_of_several_accounts_gets_requests_and_accounts_apart_in_their_order(alice, bob, charlie, dave,
                                                                                       add_to_family):
    added = [add_to_family(alice.person, charlie), add_to_family(bob.person, charlie, status="awaiting_consent"),
             add_to_family(dave.person, charlie), add_to_family(dave.person, alice.person, status="removed")]
    requests, accounts = selectors.family_requests_and_accounts_for(charlie)
    assert [m.pk for m in requests] == [added[1].pk] and [m.holder.pk for m in requests] == [bob.person.pk]
    assert [m.pk for m in accounts] == [added[0].pk, added[2].pk]
