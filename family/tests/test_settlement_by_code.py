"""The settlement API with a live insurance code (mdtrt_cert_type=01): the member is the patient, always."""

import json
from decimal import Decimal

import pytest

from family import services, tokens


@pytest.fixture
def settle(client, db):
    from settlement.keys import api_key_issue
    from settlement.models import Institution

    institution = Institution.objects.create(fixmedins_code="H32030200090", name="徐州市第一人民医院",
                                             region_id="320300")
    key = api_key_issue(institution=institution)[1]

    def post(token, amount, request_id="code-1"):
        body = {"request_id": request_id, "mdtrt_cert_type": "01", "mdtrt_cert_no": token, "amount": amount,
                "category": "outpatient"}
        response = client.post("/api/v1/settlements", data=json.dumps(body), content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {key}")
        return response.status_code, response.json()

    return post


def _balance(person):
    person.account.refresh_from_db()
    return person.account.balance


def _in_family_account(holder_user, member, relation="child"):
    """Added at a hall: the member (or, for a child, the household register) was checked there."""
    from registry.models import ServiceHall

    hall = ServiceHall.objects.get_or_create(name="徐州市医保服务大厅", defaults={"region_id": "320300"})[0]
    return services.family_member_add(actor=holder_user, holder=holder_user.person, relation=relation,
                                      member_name=member.name, member_certno=member.certno, member_present=True,
                                      hall=hall)


def test_a_stranger_cannot_add_a_child_online_and_spend_the_parents_shared_account(settle, alice, charlie, dave):
    """The review's attack: dave claims charlie as his child, then pays charlie's bills from alice's account."""
    from core.reasons import Refused
    from sharing.models import Binding
    from sharing.services import binding_create

    binding_create(authorizer=alice.person, member=charlie, relation="child", actor=alice,
                   signature_method=Binding.SignatureMethod.TYPED, typed_name=alice.person.name)
    with pytest.raises(Refused) as info:
        services.family_member_add(actor=dave, holder=dave.person, relation="child", member_name=charlie.name,
                                   member_certno=charlie.certno)
    assert info.value.reason.code == "FAMILY_MINOR_NEEDS_PROOF"
    with pytest.raises(Refused):
        tokens.token_issue(holder=dave.person, member=charlie)
    assert _balance(alice.person) == Decimal("3000.00")


def test_a_parents_code_for_a_child_never_pays_from_the_parent(settle, alice, charlie):
    _in_family_account(alice, charlie)
    token = tokens.token_issue(holder=alice.person, member=charlie).token
    status, body = settle(token, "80.00")
    assert status == 201
    assert body["cash_pay"] == "80.00" and body["payers"] == []
    assert "FAMILY_ACCOUNT_ONLY" in [note["code"] for note in body["notes"]]
    assert _balance(alice.person) == Decimal("3000.00")


def test_an_adult_members_code_pays_from_their_own_account(settle, alice, bob):
    _in_family_account(alice, bob.person, relation="spouse")
    token = tokens.token_issue(holder=alice.person, member=bob.person).token
    status, body = settle(token, "120.00")
    assert status == 201 and body["acct_pay"] == "120.00"
    assert _balance(bob.person) == Decimal("380.00") and _balance(alice.person) == Decimal("3000.00")


def test_with_a_sharing_binding_as_well_the_binding_pays(settle, alice, charlie):
    from sharing.models import Binding
    from sharing.services import binding_create

    _in_family_account(alice, charlie)
    binding_create(authorizer=alice.person, member=charlie, relation="child", actor=alice,
                   signature_method=Binding.SignatureMethod.TYPED, typed_name=alice.person.name)
    token = tokens.token_issue(holder=alice.person, member=charlie).token
    status, body = settle(token, "50.00")
    assert status == 201 and body["acct_mulaid_pay"] == "50.00"
    assert "FAMILY_ACCOUNT_ONLY" not in [note["code"] for note in body["notes"]]
    assert _balance(alice.person) == Decimal("2950.00")


def test_a_code_settles_once(settle, alice):
    token = tokens.token_issue(holder=alice.person, member=alice.person).token
    assert settle(token, "10.00", request_id="a")[0] == 201
    status, body = settle(token, "10.00", request_id="b")
    assert status >= 400 and body["code"] == "CODE_USED"
    assert _balance(alice.person) == Decimal("2990.00")


def test_a_tampered_code_is_refused(settle, alice):
    token = tokens.token_issue(holder=alice.person, member=alice.person).token
    status, body = settle(token[:-2] + "zz", "10.00")
    assert status >= 400 and body["code"] == "CODE_INVALID"
