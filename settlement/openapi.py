"""The OpenAPI 3.1 description of /api/v1/, written by hand and checked against the URLconf by a test."""

MONEY = {"type": "string", "pattern": r"^\d{1,8}\.\d{2}$", "examples": ["12.30"],
         "description": "Yuan as a decimal string with two places. Requests may give 0–2 decimals; "
                        "JSON numbers are refused."}
ERROR = {"$ref": "#/components/schemas/Error"}


def _errors(*statuses: int) -> dict:
    text = {400: "Invalid input", 401: "Missing, unknown or revoked key", 404: "Unknown patient or settlement",
            409: "request_id reused with a different body", 429: "Too many enquiries with this key (Retry-After)"}
    return {str(s): {"description": text[s], "content": {"application/json": {"schema": ERROR}}} for s in statuses}


def _json(ref: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}


def schema() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "共济通 settlement API", "version": "1.0.0",
                 "description": "Settlement of personal-account payments (own and family sharing) by designated "
                                "institutions. Only the patient's own identity selects who pays."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/patients/{mdtrt_cert_no}": {
                "get": {
                    "operationId": "patient_detail", "summary": "Balances a settlement could use now",
                    "parameters": [
                        {"name": "mdtrt_cert_no", "in": "path", "required": True, "schema": {"type": "string"},
                         "description": "Resident ID number (type 02) or insurance-code token (type 01)"},
                        {"name": "mdtrt_cert_type", "in": "query", "required": False,
                         "schema": {"type": "string", "enum": ["01", "02"], "default": "02"}},
                    ],
                    "responses": {"200": _json("#/components/schemas/Patient", "The patient"),
                                  **_errors(400, 401, 404, 429)},
                },
            },
            "/settlements": {
                "post": {
                    "operationId": "settlement_create", "summary": "Settle a bill",
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/SettlementRequest"}}}},
                    "responses": {
                        "201": _json("#/components/schemas/Settlement", "Settled"),
                        "200": _json("#/components/schemas/Settlement", "The same request again: the stored reply"),
                        **_errors(400, 401, 404, 409),
                    },
                },
            },
            "/settlements/{settlement_id}/refunds": {
                "post": {
                    "operationId": "refund_create", "summary": "Refund part or all of a settlement",
                    "description": "A full refund returns to each account what it paid. A partial refund reverses "
                                   "the settlement and settles the smaller bill again (the same accounts pay what "
                                   "settling the reduced amount would have paid): cash comes back first, then the "
                                   "shared accounts in reverse paying order, then the patient's own account.",
                    "parameters": [{"name": "settlement_id", "in": "path", "required": True,
                                    "schema": {"type": "string", "format": "uuid"}}],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/RefundRequest"}}}},
                    "responses": {
                        "201": _json("#/components/schemas/Refund", "Refunded"),
                        "200": _json("#/components/schemas/Refund", "The same request again: the stored reply"),
                        **_errors(400, 401, 404, 409),
                    },
                },
            },
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "Key from `manage.py issue_api_key`"}},
            "schemas": {
                "Money": MONEY,
                "Error": {"type": "object", "required": ["code", "message"], "properties": {
                    "code": {"type": "string", "examples": ["REFUND_EXCEEDS_PAID"]},
                    "message": {"type": "string"}}},
                "Note": {"type": "object", "required": ["code", "message"], "properties": {
                    "code": {"type": "string", "examples": ["SHARED_BALANCE_ZERO"]},
                    "message": {"type": "string"}}},
                "Patient": {"type": "object", "required": [
                    "psn_name", "insutype", "insuplc_admdvs", "status", "acct_balc", "mulaid_balc", "authorizers",
                    "notes"],
                    "properties": {
                        "psn_name": {"type": "string", "description": "Masked, e.g. 张*"},
                        "insutype": {"type": "string", "enum": ["310", "390"]},
                        "insuplc_admdvs": {"type": "string", "pattern": r"^\d{6}$"},
                        "status": {"type": "string", "enum": ["active", "suspended", "ended"]},
                        "acct_balc": {"$ref": "#/components/schemas/Money"},
                        "mulaid_balc": {"$ref": "#/components/schemas/Money"},
                        "authorizers": {"type": "array", "items": {"type": "object",
                                        "required": ["name", "relation", "payable"], "properties": {
                                            "name": {"type": "string"}, "relation": {"type": "string"},
                                            "payable": {"$ref": "#/components/schemas/Money"}}}},
                        "notes": {"type": "array", "items": {"$ref": "#/components/schemas/Note"},
                                  "description": "Why the shared accounts can pay no more than mulaid_balc, e.g. "
                                                 "NOT_BOUND, BINDING_SUSPENDED, FAMILY_ACCOUNT_ONLY"}}},
                "SettlementRequest": {"type": "object", "additionalProperties": True, "required": [
                    "request_id", "mdtrt_cert_type", "mdtrt_cert_no", "amount", "category"], "properties": {
                    "request_id": {"type": "string", "pattern": r"^[A-Za-z0-9_.:-]{1,64}$"},
                    "mdtrt_cert_type": {"type": "string", "enum": ["01", "02"]},
                    "mdtrt_cert_no": {"type": "string"},
                    "amount": {"type": "string", "pattern": r"^\d{1,8}(\.\d{1,2})?$"},
                    "category": {"type": "string", "enum": ["outpatient", "pharmacy", "inpatient"]}}},
                "Payer": {"type": "object", "required": ["source", "name", "relation", "amount"], "properties": {
                    "source": {"type": "string", "enum": ["own", "shared", "quota"],
                               "description": "own: the patient's own account; shared: an authorizer's live "
                                              "balance; quota: a sharing quota (共济额度) the authorizer set aside "
                                              "for the patient"},
                    "name": {"type": "string"},
                    "relation": {"type": "string", "description": "self, or the patient's relationship to the "
                                                                  "authorizer (parent, spouse, child, …)"},
                    "amount": {"$ref": "#/components/schemas/Money"}}},
                "Settlement": {"type": "object", "required": [
                    "settlement_id", "request_id", "amount", "acct_pay", "acct_mulaid_pay", "cash_pay", "payers",
                    "notes"], "properties": {
                    "settlement_id": {"type": "string", "format": "uuid"},
                    "request_id": {"type": "string"},
                    "amount": {"$ref": "#/components/schemas/Money"},
                    "acct_pay": {"$ref": "#/components/schemas/Money"},
                    "acct_mulaid_pay": {"$ref": "#/components/schemas/Money"},
                    "cash_pay": {"$ref": "#/components/schemas/Money"},
                    "payers": {"type": "array", "items": {"$ref": "#/components/schemas/Payer"}},
                    "notes": {"type": "array", "items": {"$ref": "#/components/schemas/Note"}}}},
                "RefundRequest": {"type": "object", "required": ["request_id", "amount"], "properties": {
                    "request_id": {"type": "string", "pattern": r"^[A-Za-z0-9_.:-]{1,64}$"},
                    "amount": {"type": "string", "pattern": r"^\d{1,8}(\.\d{1,2})?$"}}},
                "Refund": {"type": "object", "required": [
                    "refund_id", "settlement_id", "request_id", "amount", "acct_refund", "acct_mulaid_refund",
                    "cash_refund", "payers"], "properties": {
                    "refund_id": {"type": "string", "format": "uuid"},
                    "settlement_id": {"type": "string", "format": "uuid"},
                    "request_id": {"type": "string"},
                    "amount": {"$ref": "#/components/schemas/Money"},
                    "acct_refund": {"$ref": "#/components/schemas/Money"},
                    "acct_mulaid_refund": {"$ref": "#/components/schemas/Money"},
                    "cash_refund": {"$ref": "#/components/schemas/Money"},
                    "payers": {"type": "array", "items": {"$ref": "#/components/schemas/Payer"}}}},
            },
        },
    }
