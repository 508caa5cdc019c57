"""Real concurrent connections against PostgreSQL: 32 clients settle and refund against the same few accounts.

Each thread has its own database connection (Django keeps one per thread). Afterwards every balance equals
the sum of its ledger entries, none is negative, retried request ids were applied once, and no thread saw a
deadlock or any other error.
"""

import datetime
import random
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, connections

from ledger.models import LedgerEntry, PersonalAccount
from settlement.models import Payment, Settlement

CLIENTS = 32
PER_CLIENT = 6


@pytest.fixture
def seeded(transactional_db):
    from django.apps import apps

    from registry import seed

    seed.load(apps)  # the flush of an earlier transactional test removed what the migrations seeded


@pytest.mark.django_db(transaction=True)
def test_32_clients_settling_against_the_same_accounts_keep_every_invariant(seeded, make_citizen, make_person,
                                                                            bind, institution, api_key):
    from django.test import Client

    authorizers = [make_citizen(name=f"授权{i}", birth=datetime.date(1960 + i, 1, 1), balance="150.00",
                                mobile=f"1370000010{i}") for i in range(4)]
    members = []
    for i in range(4):
        member = make_citizen(name=f"成员{i}", birth=datetime.date(1995 + i, 1, 1), balance="20.00",
                              mobile=f"1370000020{i}")
        # Overlapping bindings in opposite orders: without a fixed lock order these would deadlock.
        first, second = (authorizers[i % 4], authorizers[(i + 1) % 4])
        if i % 2:
            first, second = second, first
        bind(first, member.person)
        bind(second, member.person)
        members.append(member.person)
    patients = members + [a.person for a in authorizers]
    start = sum(PersonalAccount.objects.values_list("balance", flat=True))
    barrier = threading.Barrier(CLIENTS)
    results, errors = [], []

    def client_run(n: int):
        rng = random.Random(n)
        client = Client()
        try:
            barrier.wait()
            for k in range(PER_CLIENT):
                patient = rng.choice(patients)
                # Every 4th request id is shared by two clients: a concurrent retry.
                request_id = f"dup-{(n // 2)}-{k}" if k % 4 == 0 else f"c{n}-{k}"
                amount = "37.00" if k % 4 == 0 else f"{rng.randint(1, 6000) / 100:.2f}"
                if k % 4 == 0:
                    patient = patients[(n // 2) % len(patients)]
                response = client.post("/api/v1/settlements", content_type="application/json",
                                       HTTP_AUTHORIZATION=f"Bearer {api_key}", data={
                                           "request_id": request_id, "mdtrt_cert_type": "02",
                                           "mdtrt_cert_no": patient.certno, "amount": amount,
                                           "category": "pharmacy"})
                results.append((request_id, response.status_code, response.json()))
                if k == PER_CLIENT - 1 and response.status_code in (200, 201):
                    body = response.json()
                    refund = client.post(f"/api/v1/settlements/{body['settlement_id']}/refunds",
                                         content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {api_key}",
                                         data={"request_id": f"refund-{request_id}", "amount": body["amount"]})
                    results.append((f"refund-{request_id}", refund.status_code, refund.json()))
        except Exception as exc:  # noqa: BLE001 - any error, deadlock included, fails the test below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client_run, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a client hung"
    assert errors == []
    assert all(status in (200, 201) for _rid, status, _body in results), [r for r in results if r[1] not in (200, 201)]

    # Every part adds up, and each shared request id was applied once, with one identical reply for both clients.
    by_id = {}
    for request_id, _status, body in results:
        by_id.setdefault(request_id, []).append(body)
        if "cash_pay" in body:
            assert (Decimal(body["acct_pay"]) + Decimal(body["acct_mulaid_pay"]) + Decimal(body["cash_pay"])
                    == Decimal(body["amount"]))
    for request_id, bodies in by_id.items():
        assert all(b == bodies[0] for b in bodies), request_id
    assert Settlement.objects.count() == len([r for r in by_id if not r.startswith("refund-")])

    # The ledger: balances equal their entries, nothing negative, money only moved between accounts and bills.
    for account in PersonalAccount.objects.all():
        total = sum(LedgerEntry.objects.filter(account=account).values_list("amount", flat=True), Decimal("0.00"))
        assert account.balance == total and account.balance >= 0
    paid = sum(Payment.objects.values_list("amount", flat=True), Decimal("0.00"))
    refunded = sum(Payment.objects.values_list("refunded", flat=True), Decimal("0.00"))
    assert sum(PersonalAccount.objects.values_list("balance", flat=True)) == start - paid + refunded
    call_command("verify_ledger")
    assert connection.connection is None or not connection.needs_rollback
