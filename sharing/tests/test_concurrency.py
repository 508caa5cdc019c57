"""Two submissions at the same moment: the database constraints let exactly one win."""

import datetime
import threading

import pytest
from django.db import connection

from sharing import services
from sharing.models import Binding
from sharing.services import BindingRefused, binding_create


def race(monkeypatch, calls):
    """Run the calls in two threads, both passing the engine's checks before either inserts."""
    barrier = threading.Barrier(len(calls), timeout=10)
    real = services.binding_findings

    def checked_then_wait(**kwargs):
        found = real(**kwargs)
        barrier.wait()
        return found

    monkeypatch.setattr(services, "binding_findings", checked_then_wait)
    results = [None] * len(calls)

    def run(i, call):
        try:
            results[i] = call()
        except BindingRefused as refused:
            results[i] = refused
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    return results


@pytest.mark.django_db(transaction=True)
def test_lets_only_one_of_two_identical_submissions_win(seeded, monkeypatch, alice, charlie, sign):
    call = lambda: binding_create(**sign(alice), member=charlie, relation="child")  # noqa: E731
    results = race(monkeypatch, [call, call])
    won = [r for r in results if isinstance(r, Binding)]
    lost = [r for r in results if isinstance(r, BindingRefused)]
    assert len(won) == 1 and len(lost) == 1
    assert [r.code for r in lost[0].reasons] == ["ALREADY_BOUND"]
    assert Binding.objects.filter(authorizer=alice.person, member=charlie).count() == 1


@pytest.mark.django_db(transaction=True)
def test_lets_only_one_of_two_spouses_win(seeded, monkeypatch, alice, bob, make_person, sign):
    other = make_person(name="另一人", birth=datetime.date(1983, 2, 2))
    results = race(monkeypatch, [
        lambda: binding_create(**sign(alice), member=bob.person, relation="spouse"),
        lambda: binding_create(**sign(alice), member=other, relation="spouse"),
    ])
    lost = [r for r in results if isinstance(r, BindingRefused)]
    assert len(lost) == 1 and [r.code for r in lost[0].reasons] == ["SECOND_SPOUSE"]
    assert Binding.objects.filter(authorizer=alice.person, relation="spouse").count() == 1
