import pytest


@pytest.fixture
def paid(api, alice, bob, charlie, bind):
    """alice's account paid twice for charlie (one partly refunded); bob's once."""
    bind(alice, charlie)
    ids = []
    for i, amount in enumerate(["100.00", "40.50"]):
        ids.append(api.settle(charlie, amount, request_id=f"p{i}")[1]["settlement_id"])
    api.post(f"settlements/{ids[0]}/refunds", {"request_id": "rf", "amount": "30.00"})
    return ids
