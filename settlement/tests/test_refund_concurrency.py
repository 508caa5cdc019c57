"""Partial refunds of one settlement racing each other, new settlements and changes of the paying order: the
result is the re-settlement of what is left, whatever the interleaving, and nothing deadlocks."""

import datetime
import json
import threading
from decimal import Decimal

import pytest
from django.db import connections

from ledger.models import LedgerEntry, PersonalAccount
from settlement.models import Settlement

REFUNDERS = 6


@pytest.fixture
def seeded(transactional_db):
    from django.apps import apps

    from registry import seed

    seed.load(apps)


@pytest.mark.django_db(transaction=True)
def test_racing_partial_refunds_leave_the_resettled_bill(seeded, make_citizen, bind, institution, api_key):
    from django.test import Client

    from sharing.payment_order import payment_order_move

    member = make_citizen(name="成员", birth=datetime.date(1995, 1, 1), balance="20.00", mobile="13700000301")
    first = make_citizen(name="授权甲", birth=datetime.date(1960, 1, 1), balance="150.00", mobile="13700000302")
    second = make_citizen(name="授权乙", birth=datetime.date(1961, 1, 1), balance="150.00", mobile="13700000303",
                          sex="F")
    bind(first, member.person)
    second_binding = bind(second, member.person)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_key}", "content_type": "application/json"}
    body = Client().post("/api/v1/settlements", data={
        "request_id": "big", "mdtrt_cert_type": "02", "mdtrt_cert_no": member.person.certno, "amount": "400.00",
        "category": "inpatient"}, **headers).json()
    assert (body["acct_pay"], body["acct_mulaid_pay"], body["cash_pay"]) == ("20.00", "300.00", "80.00")
    sid = body["settlement_id"]
    barrier = threading.Barrier(REFUNDERS + 2)
    statuses, errors = [], []

    def refunder(n):
        try:
            barrier.wait()
            response = Client().post(f"/api/v1/settlements/{sid}/refunds",
                                     data={"request_id": f"part-{n}", "amount": "60.00"}, **headers)
            statuses.append(response.status_code)
        except Exception as exc:  # noqa: BLE001 - any error, deadlock included, fails the test below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    def settler():
        try:
            barrier.wait()
            for k in range(3):
                response = Client().post("/api/v1/settlements", data={
                    "request_id": f"small-{k}", "mdtrt_cert_type": "02", "mdtrt_cert_no": member.person.certno,
                    "amount": "5.00", "category": "pharmacy"}, **headers)
                statuses.append(response.status_code)
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))
        finally:
            connections.close_all()

    def reorderer():
        try:
            barrier.wait()
            for direction in ("up", "down", "up"):
                payment_order_move(member=member.person, binding_id=second_binding.pk, direction=direction,
                                   actor=member)
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=refunder, args=(n,)) for n in range(REFUNDERS)]
    threads += [threading.Thread(target=settler), threading.Thread(target=reorderer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a client hung"
    assert errors == [] and all(status == 201 for status in statuses), (errors, statuses)

    # ¥360 of ¥400 refunded: what is left is what settling ¥40 would have paid (own ¥20, then the first ¥20).
    settlement = Settlement.objects.get(pk=sid)
    assert settlement.refunded == Decimal("360.00")
    assert [p.net for p in settlement.payments.order_by("id")] == [Decimal("20.00"), Decimal("20.00"),
                                                                    Decimal("0.00")]
    for account in PersonalAccount.objects.all():
        total = sum(LedgerEntry.objects.filter(account=account).values_list("amount", flat=True), Decimal("0.00"))
        assert account.balance == total and account.balance >= 0


@pytest.mark.django_db(transaction=True)
def test_racing_retries_of_one_full_refund_are_all_answered_with_its_reply(seeded, make_citizen, bind, institution,
                                                                           api_key):
    """The same refund (request_id, amount) sent by several clients at once: one refunds, every other waits for the
    settlement's lock and is answered with the stored reply (200), never REFUND_EXCEEDS_PAID — although the
    stored-refund read of its first statement ran before the winner committed."""
    from django.test import Client

    member = make_citizen(name="成员", birth=datetime.date(1995, 1, 1), balance="20.00", mobile="13700000311")
    bind(make_citizen(name="授权甲", birth=datetime.date(1960, 1, 1), balance="150.00", mobile="13700000312"),
         member.person)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_key}", "content_type": "application/json"}
    sid = Client().post("/api/v1/settlements", data={
        "request_id": "big", "mdtrt_cert_type": "02", "mdtrt_cert_no": member.person.certno, "amount": "100.00",
        "category": "inpatient"}, **headers).json()["settlement_id"]
    barrier = threading.Barrier(REFUNDERS)
    answers, errors = [], []

    def refunder():
        try:
            barrier.wait()
            response = Client().post(f"/api/v1/settlements/{sid}/refunds",
                                     data={"request_id": "all", "amount": "100.00"}, **headers)
            answers.append((response.status_code, response.json()))
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=refunder) for _ in range(REFUNDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a client hung"
    assert errors == [] and sorted(status for status, _ in answers) == [200] * (REFUNDERS - 1) + [201], answers
    assert len({json.dumps(body, sort_keys=True) for _, body in answers}) == 1
    assert Settlement.objects.get(pk=sid).refunded == Decimal("100.00")
