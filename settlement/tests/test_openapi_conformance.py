"""The served OpenAPI document is a valid OpenAPI 3.1 spec, and real replies match what it declares."""

import json

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from settlement.openapi import schema


@pytest.fixture
def spec(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def assert_matches(spec, path, method, status, body):
    declared = spec["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]
    OAS31Validator({**declared, "components": spec["components"]}).validate(body)


def test_the_served_document_is_a_valid_openapi_31_spec(spec):
    validate(spec)
    assert spec == json.loads(json.dumps(schema()))


def test_patient_replies_match_the_schema(spec, api, alice, charlie, bind):
    bind(alice, charlie)
    status, body = api.get(f"patients/{charlie.certno}?mdtrt_cert_type=02")
    assert status == 200 and body["authorizers"]
    assert_matches(spec, "/patients/{mdtrt_cert_no}", "get", 200, body)
    for query, expected in [(f"{charlie.certno}?mdtrt_cert_type=99", 400), ("11010519491231002X?mdtrt_cert_type=02", 404)]:
        status, body = api.get(f"patients/{query}")
        assert status == expected
        assert_matches(spec, "/patients/{mdtrt_cert_no}", "get", status, body)
    status, body = api.get(f"patients/{charlie.certno}?mdtrt_cert_type=02", key="wrong-key")
    assert status == 401
    assert_matches(spec, "/patients/{mdtrt_cert_no}", "get", 401, body)


def test_settlement_and_refund_replies_match_the_schema(spec, api, alice, charlie, bind):
    bind(alice, charlie)
    status, settled = api.settle(charlie, "120.00")
    assert status == 201 and settled["payers"]
    assert_matches(spec, "/settlements", "post", 201, settled)
    status, again = api.settle(charlie, "120.00")
    assert status == 200 and again == settled
    assert_matches(spec, "/settlements", "post", 200, again)
    status, conflict = api.settle(charlie, "99.00")
    assert status == 409
    assert_matches(spec, "/settlements", "post", 409, conflict)
    status, invalid = api.post("settlements", {"request_id": "x"})
    assert status == 400
    assert_matches(spec, "/settlements", "post", 400, invalid)

    refunds = "/settlements/{settlement_id}/refunds"
    status, refund = api.post(f"settlements/{settled['settlement_id']}/refunds", {"request_id": "f-1", "amount": "20.00"})
    assert status == 201
    assert_matches(spec, refunds, "post", 201, refund)
    status, too_much = api.post(f"settlements/{settled['settlement_id']}/refunds",
                                {"request_id": "f-2", "amount": "999.00"})
    assert status == 400 and too_much["code"] == "REFUND_EXCEEDS_PAID"
    assert_matches(spec, refunds, "post", 400, too_much)
