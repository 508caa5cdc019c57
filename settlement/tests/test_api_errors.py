import json

import pytest

from settlement.models import Settlement

GOOD = {"request_id": "r-1", "mdtrt_cert_type": "02", "mdtrt_cert_no": None, "amount": "10.00",
        "category": "outpatient"}


def _body(person, **changes):
    return {**GOOD, "mdtrt_cert_no": person.certno, **changes}


@pytest.mark.parametrize("raw", [
    "", "not json", "[1, 2]", "null", '"a string"', "{", '{"amount": NaN}', '{"amount": Infinity}',
    "1" * 5000, "\xff\xfe", '{"a":' * 5000,
])
def test_answers_400_invalid_json_to_malformed_bodies(api, raw):
    status, body = api.post("settlements", None, raw=raw)
    assert status == 400 and body["code"] in {"INVALID_JSON", "INVALID_FIELD"} and body["message"]


@pytest.mark.parametrize("amount", [
    10, 10.5, "10.001", "-5.00", "0", "0.00", "abc", "", None, "NaN", "Infinity", "1e3", "1" * 40, " ", [], {},
    "100000000.00", True, "1,000.00", "１０.００",
])
def test_refuses_bad_amounts(api, bob, amount):
    status, body = api.post("settlements", _body(bob.person, amount=amount))
    assert status == 400 and body["code"] == "INVALID_FIELD" and "amount" in body["message"]
    assert not Settlement.objects.exists()


@pytest.mark.parametrize("field,value", [
    ("category", "surgery"), ("category", None), ("category", 1), ("mdtrt_cert_type", "03"),
    ("mdtrt_cert_type", 2), ("mdtrt_cert_no", "123"), ("mdtrt_cert_no", 320302198503150011),
    ("mdtrt_cert_no", "320302198503150012"), ("request_id", ""), ("request_id", "x" * 65),
    ("request_id", "有空格 的"), ("request_id", "abc\n"), ("request_id", 7), ("request_id", None),
])
def test_refuses_bad_fields_naming_the_field(api, bob, field, value):
    status, body = api.post("settlements", _body(bob.person, **{field: value}))
    assert status == 400 and body["code"] == "INVALID_FIELD" and field in body["message"]


def test_a_missing_field_is_400(api, bob):
    body = _body(bob.person)
    del body["category"]
    assert api.post("settlements", body)[0] == 400


def test_accepts_amounts_with_zero_one_or_two_decimals(api, bob):
    for i, amount in enumerate(["1", "1.5", "1.50"]):
        status, body = api.post("settlements", _body(bob.person, request_id=f"d{i}", amount=amount))
        assert status == 201 and body["amount"] in {"1.00", "1.50"}


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer nope", "Basic abc", "Bearer gjt_unknown_secret",
                                    "Bearer gjt_" + "x" * 300])
def test_a_bad_key_is_401(client, institution, header):
    kwargs = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.post("/api/v1/settlements", data="{}", content_type="application/json", **kwargs)
    assert response.status_code == 401 and response.json()["code"] == "UNAUTHORIZED"


def test_a_right_prefix_with_a_wrong_secret_is_401(api, bob):
    prefix = api.key.split("_")[1]
    assert api.post("settlements", _body(bob.person), key=f"gjt_{prefix}_wrongsecret")[0] == 401


def test_a_revoked_key_or_an_inactive_institution_is_401(api, bob, institution):
    from django.utils import timezone

    institution.api_keys.update(revoked_at=timezone.now())
    assert api.post("settlements", _body(bob.person))[0] == 401
    institution.api_keys.update(revoked_at=None)
    institution.active = False
    institution.save()
    assert api.post("settlements", _body(bob.person))[0] == 401


def test_wrong_methods_are_405_json(client, api_key):
    response = client.get("/api/v1/settlements", HTTP_AUTHORIZATION=f"Bearer {api_key}")
    assert response.status_code == 405 and response.json()["code"] == "METHOD_NOT_ALLOWED"
    response = client.post("/api/v1/patients/320302198503150011", HTTP_AUTHORIZATION=f"Bearer {api_key}")
    assert response.status_code == 405


def test_unknown_paths_and_settlement_ids_are_404_json(api):
    assert api.get("nothing-here") == (404, api.get("nothing-here")[1])
    assert api.get("nothing-here")[1]["code"] == "NOT_FOUND"
    status, body = api.post("settlements/not-a-uuid/refunds", {"request_id": "x", "amount": "1.00"})
    assert status == 404
    status, body = api.post("settlements/6b1f6c1e-0000-4000-8000-000000000000/refunds",
                            {"request_id": "x", "amount": "1.00"})
    assert status == 404 and body["code"] == "SETTLEMENT_NOT_FOUND"


def test_an_oversized_body_is_400(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    status, body = api.post("settlements", None, raw=json.dumps({"request_id": "a" * 5000}))
    assert status == 400 and body["code"] == "INVALID_JSON"


def test_errors_are_json_with_code_and_message_only(api):
    status, body = api.post("settlements", None, raw="nope")
    assert set(body) == {"code", "message"}
