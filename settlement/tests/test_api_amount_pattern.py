import pytest

from settlement.models import Settlement


def _body(person, **overrides):
    return {"request_id": "amt-1", "mdtrt_cert_type": "02", "mdtrt_cert_no": person.certno, "amount": "12.30",
            "category": "pharmacy", **overrides}


@pytest.mark.parametrize("amount", ["12\u00a0", "12.30\n", " 12.30", "12.30 ", "\t12", "12.30\r\n", "\u300012",
                                    "12\u200b"])
def test_an_amount_must_match_the_documented_pattern_exactly_with_nothing_trimmed(api, bob, amount):
    status, body = api.post("settlements", _body(bob.person, amount=amount))
    assert status == 400 and body["code"] == "INVALID_FIELD" and "amount" in body["message"]
    assert not Settlement.objects.exists()


def test_a_refund_amount_is_not_trimmed_either(api, alice):
    status, body = api.post("settlements", _body(alice.person))
    assert status == 201
    status, refund = api.post(f"settlements/{body['settlement_id']}/refunds", {"request_id": "rf", "amount": "1.00\n"})
    assert status == 400 and refund["code"] == "INVALID_FIELD" and "amount" in refund["message"]
