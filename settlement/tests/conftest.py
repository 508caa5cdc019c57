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
    """An active binding made through the real sharing service (typed signature; a spouse consents).

    direct=True writes the row itself (test-only): for a binding that the rules in force would no longer
    create, i.e. "the policy or the registry changed after binding", which the paying rules must notice."""
    import hashlib
    import itertools

    from django.utils import timezone

    from sharing.models import Binding, CommitmentLetter
    from sharing.services import binding_consent, binding_create

    seq = itertools.count(1)

    def make(authorizer_user, member, relation="child", direct=False, **fields):
        authorizer = authorizer_user.person
        if not direct:
            binding = binding_create(authorizer=authorizer, relation=relation, member=member, actor=authorizer_user,
                                     signature_method="typed", typed_name=authorizer.name, **fields)
            if binding.status == Binding.Status.AWAITING_CONSENT:
                binding = binding_consent(binding=binding, agree=True, actor=None)
            assert binding.status == Binding.Status.ACTIVE
            return binding
        letter = CommitmentLetter.objects.order_by("-version").first() or CommitmentLetter.objects.create(
            version=1, title="个人承诺书", body="test")
        now = timezone.now()
        return Binding.objects.create(
            reference=f"T{now:%Y%m%d%H%M%S}{next(seq):04d}", authorizer=authorizer, member=member,
            relation=relation, status="active", letter=letter,
            letter_sha256=hashlib.sha256(letter.body.encode()).hexdigest(), signature_method="typed",
            typed_name=authorizer.name, signed_at=now, activated_at=now, **fields)

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
