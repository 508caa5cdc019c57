"""Fixed people for every test, created through the real services, plus small factories.

alice   — employee-insured authorizer in 徐州 with ¥3,000.00
bob     — alice's spouse, employee-insured in 徐州 with ¥500.00
charlie — alice's child, resident-insured in 徐州
dave    — an outsider in 南京, employee-insured with ¥100.00
"""

import datetime
import itertools
import json
from decimal import Decimal

import pytest

from notifications import sms

_seq = itertools.count(100)


def pytest_sessionstart(session):
    """The .mo files are build output (not in git): compile them before any page is rendered."""
    from pathlib import Path

    from core.translations import compile_all, reset_django_caches

    compile_all([Path(__file__).parent / "locale"])
    # Django is set up before this hook and may already have cached a catalogue without the fresh .mo files.
    reset_django_caches()


@pytest.fixture(autouse=True)
def _reseed_after_flush(request):
    """A transactional test ends with a flush that empties the tables data migrations seeded; mark it so that
    the teardown hook below puts the reference data back for every test that follows."""
    from tests.reseed import is_transactional

    if is_transactional(request):
        request.getfixturevalue("transactional_db")
        request.node._reseed_blocker = request.getfixturevalue("django_db_blocker")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield  # every fixture, including the transactional flush, has been torn down here
    blocker = getattr(item, "_reseed_blocker", None)
    # After the session's last test the test database itself is gone (its session fixture was torn down too).
    if blocker is not None and nextitem is not None:
        from tests.reseed import reseed_all

        with blocker.unblock():
            reseed_all()


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def make_person(db):
    from ledger.services import account_open
    from registry import idnumber
    from registry.models import InsuredPerson

    def make(name="测试", *, birth=datetime.date(1985, 1, 1), address="320302", region="320300", insutype="310",
             status="active", balance="0.00", mobile="", sex="M"):
        seq = next(_seq) % 1000
        seq = seq if (seq % 2 == 1) == (sex == "M") else (seq + 1) % 1000
        person = InsuredPerson.objects.create(
            certno=idnumber.make(address, birth, seq), name=name, insutype=insutype, region_id=region,
            status=status, mobile=mobile,
        )
        if insutype == "310":
            account_open(person=person, opening_balance=Decimal(balance))
        return person

    return make


@pytest.fixture
def make_citizen(make_person):
    from accounts.models import User

    def make(password="Correct-Horse-42", **kwargs):
        person = make_person(**kwargs)
        return User.objects.create_user(username=person.certno, password=password, person=person,
                                        mobile=person.mobile, first_name=person.name)

    return make


@pytest.fixture
def alice(make_citizen):
    return make_citizen(name="张丽", birth=datetime.date(1985, 3, 15), balance="3000.00", mobile="13800000001",
                        sex="F")


@pytest.fixture
def bob(make_citizen):
    return make_citizen(name="王波", birth=datetime.date(1984, 6, 1), balance="500.00", mobile="13800000002")


@pytest.fixture
def charlie(make_person):
    return make_person(name="王小川", birth=datetime.date(2014, 9, 1), insutype="390")


@pytest.fixture
def dave(make_citizen):
    return make_citizen(name="赵大伟", birth=datetime.date(1970, 1, 1), address="320102", region="320100",
                        balance="100.00", mobile="13800000004")


@pytest.fixture
def hall_staff(db):
    from accounts.models import User
    from registry.models import ServiceHall

    hall = ServiceHall.objects.create(name="徐州市医保服务大厅", region_id="320300")
    return User.objects.create_user(username="hall_test", password="Correct-Horse-42", role="staff", hall=hall)


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
    """A binding made through the real sharing service, signed with a typed name: the one way tests bind.

    `authorizer` is a citizen (a User, who is then the actor) or an insured person (the actor is the system).
    A spouse binding waits for consent unless agree=True. direct=True writes an active row itself (test-only):
    for a binding that the rules in force would no longer create, i.e. "the policy or the registry changed after
    binding", which the paying rules must notice."""
    import hashlib
    import itertools

    from django.utils import timezone

    from sharing.models import Binding, CommitmentLetter
    from sharing.services import binding_consent, binding_create

    seq = itertools.count(1)

    def make(authorizer, member, relation="child", *, agree=False, direct=False, **fields):
        person = getattr(authorizer, "person", None) or authorizer
        actor = authorizer if person is not authorizer else None
        if not direct:
            binding = binding_create(authorizer=person, relation=relation, member=member, actor=actor,
                                     signature_method=Binding.SignatureMethod.TYPED, typed_name=person.name, **fields)
            if agree and binding.status == Binding.Status.AWAITING_CONSENT:
                binding = binding_consent(binding=binding, agree=True, actor=None)
            return binding
        letter = CommitmentLetter.objects.order_by("-version").first() or CommitmentLetter.objects.create(
            version=1, title="个人承诺书", body="test")
        now = timezone.now()
        return Binding.objects.create(
            reference=f"T{now:%Y%m%d%H%M%S}{next(seq):04d}", authorizer=person, member=member,
            relation=relation, status="active", letter=letter,
            letter_sha256=hashlib.sha256(letter.body.encode()).hexdigest(), signature_method="typed",
            typed_name=person.name, signed_at=now, activated_at=now, **fields)

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
