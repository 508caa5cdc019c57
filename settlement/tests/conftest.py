import datetime
import json

import pytest

from registry.models import SharingPolicy


@pytest.fixture
def institution(db):
    from settlement.models import Institution

    return Institution.objects.create(fixmedins_code="H32030200090", name="徐州市第一人民医院", region_id="320300")


@pytest.fixture
def api_key(institution):
    from settlement.keys import api_key_issue

    return api_key_issue(institution=institution)[1]


@pytest.fixture
def bind(db):
    """An active binding. Test-only factory writing the Binding row directly: the eligibility rules of binding
    are the sharing app's to test; here only "an active binding exists" matters. Spouses count as consented."""
    import hashlib
    import itertools

    from django.utils import timezone

    from sharing.models import Binding, CommitmentLetter

    seq = itertools.count(1)

    def make(authorizer_user, member, relation="child", **fields):
        letter = CommitmentLetter.objects.order_by("-version").first() or CommitmentLetter.objects.create(
            version=1, title="个人承诺书", body="test")
        now = timezone.now()
        return Binding.objects.create(
            reference=f"T{now:%Y%m%d%H%M%S}{next(seq):04d}", authorizer=authorizer_user.person, member=member,
            relation=relation, status=fields.pop("status", "active"), letter=letter,
            letter_sha256=hashlib.sha256(letter.body.encode()).hexdigest(), signature_method="typed",
            typed_name=authorizer_user.person.name, signed_at=now, activated_at=now, **fields)

    return make


@pytest.fixture
def api(client, api_key):
    """Calls the API with the institution's key; returns (status, json)."""

    class Api:
        key = api_key

        def post(self, path, body, key=None, raw=None):
            response = client.post(f"/api/v1/{path}", data=raw if raw is not None else json.dumps(body),
                                   content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key or self.key}")
            return response.status_code, response.json()

        def get(self, path, key=None):
            response = client.get(f"/api/v1/{path}", HTTP_AUTHORIZATION=f"Bearer {key or self.key}")
            return response.status_code, response.json()

        def settle(self, patient, amount, request_id="r-1", category="outpatient", **extra):
            body = {"request_id": request_id, "mdtrt_cert_type": "02", "mdtrt_cert_no": patient.certno,
                    "amount": amount, "category": category, **extra}
            return self.post("settlements", body)

    return Api()


@pytest.fixture
def shanxi_policy(db):
    """Floor ¥1,000, cap ¥500 per payment, one authorizer per settlement (seeded for Shanxi, province 14)."""
    return SharingPolicy.objects.get(province_id="14", effective_from=datetime.date(2023, 1, 1))
