from settlement.openapi import schema


def test_describes_the_patient_with_masked_name_and_balances(api, alice, bob, charlie, bind):
    bind(alice, charlie)
    bind(bob, charlie, "child")
    status, body = api.get(f"patients/{charlie.certno}?mdtrt_cert_type=02")
    assert status == 200
    assert body == {
        "psn_name": "王**", "insutype": "390", "insuplc_admdvs": "320300", "status": "active",
        "acct_balc": "0.00", "mulaid_balc": "3500.00",
        "authorizers": [{"name": "张*", "relation": "child", "payable": "3000.00"},
                        {"name": "王*", "relation": "child", "payable": "500.00"}],
        "notes": [],
    }
    assert charlie.name not in str(body) and charlie.certno not in str(body)


def test_shows_the_own_balance_of_an_employee(api, alice):
    status, body = api.get(f"patients/{alice.person.certno}")
    assert status == 200 and body["acct_balc"] == "3000.00" and body["insutype"] == "310"


def test_lookups_are_read_only_and_errors_are_json(api, alice, db):
    assert api.get("patients/11010519491231002X")[1]["code"] == "PATIENT_NOT_FOUND"
    assert api.get("patients/11010519491231002X")[0] == 404
    assert api.get("patients/123")[0] == 400
    assert api.get(f"patients/{alice.person.certno}?mdtrt_cert_type=09")[0] == 400


def test_settles_with_an_insurance_code_token_for_the_member_only(api, alice, charlie, bind):
    """Type 01: a parent shows the child's code; the CHILD is the patient; the token is single-use."""
    from family.models import FamilyMembership
    from family.tokens import token_issue

    FamilyMembership.objects.create(holder=alice.person, member=charlie, relation="child", status="active")
    token = token_issue(holder=alice.person, member=charlie).token
    status, body = api.get(f"patients/{token}?mdtrt_cert_type=01")
    assert status == 200 and body["psn_name"] == "王**" and body["mulaid_balc"] == "0.00"
    body = {"request_id": "t-1", "mdtrt_cert_type": "01", "mdtrt_cert_no": token, "amount": "25.00",
            "category": "pharmacy"}
    status, reply = api.post("settlements", body)
    assert status == 201 and reply["cash_pay"] == "25.00" and reply["payers"] == []
    assert [n["code"] for n in reply["notes"]] == ["FAMILY_ACCOUNT_ONLY"]
    alice.person.account.refresh_from_db()
    assert alice.person.account.balance == 3000
    # A retry of the same request is answered from the record even though the token is now used...
    assert api.post("settlements", body) == (200, reply)
    # ...but the used token cannot pay again.
    status, err = api.post("settlements", {**body, "request_id": "t-2"})
    assert status == 400 and err["code"] == "CODE_USED"


def test_with_a_binding_from_the_family_account_holder_there_is_no_family_only_note(api, alice, charlie, bind):
    from family.models import FamilyMembership
    from family.tokens import token_issue

    FamilyMembership.objects.create(holder=alice.person, member=charlie, relation="child", status="active")
    bind(alice, charlie)
    token = token_issue(holder=alice.person, member=charlie).token
    status, reply = api.post("settlements", {"request_id": "t-1", "mdtrt_cert_type": "01", "mdtrt_cert_no": token,
                                             "amount": "25.00", "category": "pharmacy"})
    assert reply["acct_mulaid_pay"] == "25.00" and reply["notes"] == []


def test_a_tampered_token_is_refused(api, db):
    status, body = api.get("patients/abc:def?mdtrt_cert_type=01")
    assert status == 400 and body["code"] == "CODE_INVALID"


def test_the_openapi_schema_is_served_valid_and_matches_the_urls(client, db):
    from django.urls import Resolver404, resolve

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json() == schema()
    doc = schema()
    assert doc["openapi"].startswith("3.1") and doc["info"]["title"] and doc["paths"]
    for path, operations in doc["paths"].items():
        url = "/api/v1" + path.replace("{mdtrt_cert_no}", "320302198503150011").replace(
            "{settlement_id}", "6b1f6c1e-0000-4000-8000-000000000000")
        try:
            match = resolve(url)
        except Resolver404:  # pragma: no cover
            raise AssertionError(f"{path} is not routed") from None
        assert match.func.__name__ != "not_found", path
        for method, operation in operations.items():
            assert method in {"get", "post"} and operation["responses"]
            assert client.generic(method.upper(), url).status_code == 401  # routed, and it wants a key
    # Every $ref resolves.
    refs = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    refs.add(value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(doc)
    for ref in refs:
        assert ref.split("/")[-1] in doc["components"]["schemas"], ref
