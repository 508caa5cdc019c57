"""32 real connections settle against one sharing quota while others reduce and top it up (and, in the second test,
the authorizer unbinds): the quota is never overdrawn, every movement is a ledger entry, nothing deadlocks."""

import datetime
import random
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connections

from ledger.models import LedgerEntry, PersonalAccount, Reserve
from settlement.models import Payment
from sharing.changes import BindingRefused

CLIENTS = 32
PER_CLIENT = 4


@pytest.fixture
def seeded(transactional_db):
    from django.apps import apps

    from registry import seed

    seed.load(apps)


def _people(make_citizen, make_person, bind):
    from sharing.quotas import quota_add

    son = make_citizen(name="孙立", birth=datetime.date(1980, 5, 5), address="110105", region="110000",
                       balance="1000.00", mobile="13700000501")
    father = make_person(name="孙德明", birth=datetime.date(1952, 3, 1), address="130102", region="130100",
                         insutype="390")
    binding = bind(son, father, "parent")
    quota_add(binding=binding, amount=Decimal("300.00"), actor=son)
    return son, father, binding


def _run(clients, work):
    barrier = threading.Barrier(clients)
    errors = []

    def run(n):
        try:
            barrier.wait()
            work(n)
        except Exception as exc:  # noqa: BLE001 - any error, deadlock included, fails the test
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a client hung"
    return errors


def _assert_conserved(son, binding, start_total):
    reserve = Reserve.objects.get(binding_ref=binding.pk)
    assert reserve.balance >= 0
    assert reserve.balance == sum(LedgerEntry.objects.filter(reserve=reserve).values_list("amount", flat=True),
                                  Decimal("0.00"))
    account = PersonalAccount.objects.get(person=son.person)
    paid = sum(Payment.objects.filter(account=account).values_list("amount", flat=True), Decimal("0.00"))
    refunded = sum(Payment.objects.filter(account=account).values_list("refunded", flat=True), Decimal("0.00"))
    # Money only left the authorizer (account and quota together) through payments.
    assert account.balance + reserve.balance == start_total - paid + refunded
    call_command("verify_ledger")
    return reserve


@pytest.mark.django_db(transaction=True)
def test_32_clients_settling_and_reducing_one_quota_never_overdraw_it(seeded, make_citizen, make_person, bind,
                                                                     institution, api_key):
    from django.test import Client

    from sharing.quotas import quota_add, quota_reduce

    son, father, binding = _people(make_citizen, make_person, bind)
    statuses, refusals = [], []

    def work(n):
        rng = random.Random(n)
        client = Client()
        for k in range(PER_CLIENT):
            if n % 4 == 3:  # a quarter of the clients change the quota
                try:
                    if k % 2:
                        quota_add(binding=binding, amount=Decimal("5.00"), actor=son)
                    else:
                        quota_reduce(binding=binding, amount=Decimal(rng.choice(["7.00", "30.00"])), actor=son)
                except BindingRefused as refused:
                    refusals.append(refused.reasons[0].code)
                continue
            response = client.post("/api/v1/settlements", content_type="application/json",
                                   HTTP_AUTHORIZATION=f"Bearer {api_key}", data={
                                       "request_id": f"q{n}-{k}", "mdtrt_cert_type": "02",
                                       "mdtrt_cert_no": father.certno, "amount": f"{rng.randint(100, 2500) / 100:.2f}",
                                       "category": "pharmacy"})
            statuses.append(response.status_code)
            body = response.json()
            assert Decimal(body["acct_mulaid_pay"]) + Decimal(body["cash_pay"]) == Decimal(body["amount"])

    assert _run(CLIENTS, work) == []
    assert set(statuses) == {201}
    assert set(refusals) <= {"QUOTA_REDUCE_OVER_LEFT", "QUOTA_OVER_BALANCE"}
    reserve = _assert_conserved(son, binding, Decimal("1000.00"))
    # The quota ran out under this load: the last settlements paid in cash, and nothing more than the quota paid.
    assert Payment.objects.filter(source="quota").count() > 0
    assert reserve.balance < Decimal("300.00")


@pytest.mark.django_db(transaction=True)
def test_an_unbind_racing_settlements_returns_exactly_what_the_settlements_left(seeded, make_citizen, make_person,
                                                                              bind, institution, api_key):
    from django.test import Client

    from sharing.services import binding_unbind

    son, father, binding = _people(make_citizen, make_person, bind)

    def work(n):
        if n == 7:
            binding_unbind(binding=binding, actor=son)
            return
        client = Client()
        response = client.post("/api/v1/settlements", content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {api_key}", data={
                                   "request_id": f"u{n}", "mdtrt_cert_type": "02", "mdtrt_cert_no": father.certno,
                                   "amount": "20.00", "category": "pharmacy"})
        assert response.status_code == 201

    assert _run(16, work) == []
    reserve = _assert_conserved(son, binding, Decimal("1000.00"))
    assert reserve.balance == Decimal("0.00") and reserve.closed_at is not None
    paid = sum(Payment.objects.values_list("amount", flat=True), Decimal("0.00"))
    assert PersonalAccount.objects.get(person=son.person).balance == Decimal("1000.00") - paid
