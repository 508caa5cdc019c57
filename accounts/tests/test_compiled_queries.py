"""The queries compiled once per process (core.compiled) give what the ORM gives for the same values."""

import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import selectors
from core.compiled import compiled
from ledger.services import entry_post
from registry.models import InsuredPerson
from spending.templatetags import money


def _fields(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_person_with_region_and_province_equals_the_orm(alice, bob):
    for user in (alice, bob):
        fast = selectors._person(person_id=user.person.pk)
        orm = list(selectors.person_query(user.person.pk))
        assert len(fast) == len(orm) == 1
        assert _fields(fast[0]) == _fields(orm[0])
        assert _fields(fast[0].region) == _fields(orm[0].region)
        assert _fields(fast[0].region.province) == _fields(orm[0].region.province)


def test_account_with_reserved_quota_equals_the_orm(alice, make_citizen):
    resident = make_citizen(insutype="390", mobile="13600000009")
    for person_id in (alice.person.pk, resident.person.pk):
        fast = selectors._account(person_id=person_id)
        orm = list(selectors.account_query(person_id))
        assert [(_fields(a), a.reserved) for a in fast] == [(_fields(a), a.reserved) for a in orm]
        people = [(_fields(a.person), _fields(a.person.region), _fields(a.person.region.province)) for a in fast]
        assert people == [(_fields(p), _fields(p.region), _fields(p.region.province))
                          for p in selectors.person_query(person_id)][: len(fast)]
    assert selectors._account(person_id=resident.person.pk) == []


def test_latest_entries_equal_the_orm(alice):
    account = alice.person.account
    for i in range(12):
        entry_post(account=account, amount=Decimal(f"{i}.25"), kind="credit", reference=f"credit:2026-{i % 12 + 1:02}")
    for entries in (10, 5):
        fast = selectors._latest_entries(account.pk, entries)
        orm = list(selectors.entries_query(account.pk, entries))
        assert len(fast) == entries
        assert [_fields(e) for e in fast] == [_fields(e) for e in orm]


def test_own_payments_equal_the_orm(alice, api):
    for i, amount in enumerate(["12.30", "7.00"]):
        assert api.settle(alice.person, amount, request_id=f"own{i}")[0] == 201
    fast = money._own_payments(person_id=alice.person.pk)
    orm = list(money.own_payments_query(alice.person.pk))
    assert len(orm) == 2
    assert [(_fields(p), _fields(p.institution)) for p in fast] == [(_fields(p), _fields(p.institution)) for p in orm]


def test_the_summary_runs_each_compiled_query_once(alice):
    selectors.my_insurance_summary(alice.person)
    with CaptureQueriesContext(connection) as queries:
        summary = selectors.my_insurance_summary(alice.person)
    assert summary["person"].pk == alice.person.pk and summary["account"].person_id == alice.person.pk
    assert summary["person"].region.province.name  # read with the account
    assert len(queries) == 2  # account with the person, entries (no settlement entries: no memo query)


def test_the_summary_of_a_person_without_an_account_reads_the_person(make_citizen):
    resident = make_citizen(insutype="390", mobile="13600000008")
    with CaptureQueriesContext(connection) as queries:
        summary = selectors.my_insurance_summary(resident.person)
    assert summary["account"] is None and summary["entries"] == []
    assert summary["person"].pk == resident.person.pk and summary["person"].region.province.name
    assert len(queries) == 2  # no account, then the person with region and province


def test_a_placeholder_missing_from_the_parameters_is_refused(db):
    broken = compiled(lambda person_id: InsuredPerson.objects.all(), person_id=uuid.uuid4())
    with pytest.raises(RuntimeError):
        broken(person_id=uuid.uuid4())
    with pytest.raises(TypeError):
        compiled(lambda person_id: InsuredPerson.objects.filter(pk=person_id), person_id=uuid.uuid4())(other=1)


def test_precomputed_cells_show_what_the_template_showed(alice, api):
    """The entries' and own payments' cells (core.texts) equal the template expressions they replaced."""
    from django.template import Context, Template
    from django.utils import translation

    from settlement.models import Payment

    entry_post(account=alice.person.account, amount=Decimal("1234.50"), kind="credit", reference="credit:2026-01")
    assert api.settle(alice.person, "12.30", request_id="own-r")[0] == 201
    payment = Payment.objects.get(payer=alice.person, source=Payment.Source.OWN)
    assert api.post(f"settlements/{payment.settlement_id}/refunds", {"request_id": "rf", "amount": "2.05"})[0] == 201
    entry_cells = Template('{{ e.created_at|date:"Y-m-d H:i" }}|{{ e.get_kind_display }}|{{ e.amount }}|'
                           '{{ e.balance_after }}')
    payment_cells = Template('{{ p.created_at|date:"Y-m-d H:i" }}|{{ p.get_category_display }}|{{ p.amount }}|'
                             '{% if p.refunded %}{{ p.refunded }}{% else %}—{% endif %}')
    for language in ("zh-hans", "en"):
        with translation.override(language):
            entries = selectors.my_insurance_summary(alice.person)["entries"]
            assert len(entries) >= 3
            for e in entries:
                assert entry_cells.render(Context({"e": e})) == f"{e.when}|{e.kind_label}|{e.amount_text}|{e.balance_text}"
            rows = money.own_spending(alice.person)["rows"]
            assert any(p.refunded for p in rows) and len(rows) == 1
            for p in rows:
                shown = f"{p.when}|{p.category_label}|{p.amount_text}|{p.refunded_text}"
                assert payment_cells.render(Context({"p": p})) == shown


def test_values_lists_come_back_as_the_orm_gives_them_without_its_iterators(alice):
    # core.compiled runs a values_list's SQL on a cursor and applies the fields' converters itself: the rows must be
    # what the ORM gives (tuples, flat values, Decimals, aware datetimes, a lower-cased email through Lower()).
    from django.db.models import F, Sum, Value
    from django.db.models.functions import Lower

    from ledger.models import LedgerEntry

    account = alice.person.account
    for amount in ("12.50", "0.01"):
        entry_post(account=account, amount=Decimal(amount), kind=LedgerEntry.Kind.CREDIT, memo="m", reference="r")

    def rows(account_id):
        return LedgerEntry.objects.filter(account_id=account_id).order_by("id").values_list(
            "id", "amount", "created_at", F("balance_after") * 2)

    def flat(account_id):
        return LedgerEntry.objects.filter(account_id=account_id).order_by("id").values_list("amount", flat=True)

    def total(account_id):
        return (LedgerEntry.objects.filter(account_id=account_id).values("account_id").annotate(s=Sum("amount"))
                .values_list("s", Lower(Value("X"))))

    for build in (rows, flat, total):
        fast = compiled(build, account_id=-991_234_567)(account_id=account.pk)
        orm = list(build(account.pk))
        assert fast == orm and fast
        first_fast, first_orm = (fast, orm) if build is flat else (fast[0], orm[0])
        assert [type(v) for v in first_fast] == [type(v) for v in first_orm]
    assert isinstance(compiled(flat, account_id=-991_234_567)(account_id=account.pk)[0], Decimal)
