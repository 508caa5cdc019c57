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
    assert len(selectors.family_members_of(alice.person)) == 2
    assert len(selectors.family_members_of(alice.person, live_only=False)) == 3
    assert [m.holder_id for m in selectors.family_requests_for(alice.person)] == [dave.person.pk]
    assert [m.holder_id for m in selectors.family_accounts_im_in(dave.person)] == [bob.person.pk]
