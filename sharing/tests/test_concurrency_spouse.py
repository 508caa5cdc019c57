"""One live spouse binding per person, in either direction, holds when two submissions race past the engine."""

import datetime

import pytest

from sharing.models import Binding
from sharing.services import BindingRefused, binding_create
from sharing.tests.test_concurrency import race


@pytest.fixture
def carol(make_citizen):
    return make_citizen(name="刘卡萝", birth=datetime.date(1986, 4, 4), sex="F", balance="50.00")


def outcome(results):
    won = [r for r in results if isinstance(r, Binding)]
    lost = [r for r in results if isinstance(r, BindingRefused)]
    return won, lost


@pytest.mark.django_db(transaction=True)
def test_two_people_asking_the_same_person_at_once_only_one_wins(seeded, monkeypatch, alice, bob, carol, sign):
    won, lost = outcome(race(monkeypatch, [
        lambda: binding_create(**sign(alice), member=bob.person, relation="spouse"),  # A→B
        lambda: binding_create(**sign(carol), member=bob.person, relation="spouse"),  # C→B
    ]))
    assert len(won) == 1 and len(lost) == 1 and [r.code for r in lost[0].reasons] == ["SECOND_SPOUSE"]
    assert Binding.objects.filter(member=bob.person, relation="spouse").count() == 1


@pytest.mark.django_db(transaction=True)
def test_asking_and_being_asked_at_once_only_one_wins(seeded, monkeypatch, alice, bob, carol, sign):
    won, lost = outcome(race(monkeypatch, [
        lambda: binding_create(**sign(alice), member=bob.person, relation="spouse"),  # A→B
        lambda: binding_create(**sign(bob), member=carol.person, relation="spouse"),  # B→C
    ]))
    assert len(won) == 1 and len(lost) == 1 and [r.code for r in lost[0].reasons] == ["SECOND_SPOUSE"]
    assert Binding.objects.filter(relation="spouse").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_couple_asking_each_other_at_once_both_go_through(seeded, monkeypatch, alice, bob, sign):
    won, lost = outcome(race(monkeypatch, [
        lambda: binding_create(**sign(alice), member=bob.person, relation="spouse"),  # A→B
        lambda: binding_create(**sign(bob), member=alice.person, relation="spouse"),  # B→A
    ]))
    assert len(won) == 2 and lost == []
