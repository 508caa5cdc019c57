"""The queries compiled once per process (core.compiled) give what the ORM gives for the same values."""

import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import selectors
from core.compiled import compiled
from ledger.models import LedgerEntry
from ledger.services import entry_post
from registry.models import InsuredPerson
from settlement.models import Payment
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
        assert selectors._account(person_id=person_id) == list(selectors.account_query(person_id))
    account, person = alice.person.account, selectors.person_query(alice.person.pk).get()
    assert selectors._account(person_id=alice.person.pk) == [
        (account.pk, account.balance, None, person.region.province.name, person.region.name)]
    assert selectors._account(person_id=resident.person.pk) == []


def _entry(e):
    return (e.pk, e.kind, e.amount, e.balance_after, e.memo, e.reference, e.created_at)


def test_latest_entries_are_the_models_values(alice):
    account = alice.person.account
    for i in range(12):
        entry_post(account=account, amount=Decimal(f"{i}.25"), kind="credit", reference=f"credit:2026-{i % 12 + 1:02}")
    for entries in (10, 5):
        found, fast = selectors._account_and_entries(alice.person.pk, entries)
        models = LedgerEntry.objects.filter(account=account, reserve__isnull=True).order_by("-id")[:entries]
        assert len(fast) == entries and found == selectors._account(person_id=alice.person.pk)
        assert [_entry(e) for e in fast] == [_entry(e) for e in models]
        assert fast == [selectors.Entry(*row) for row in selectors.person_entries_query(alice.person.pk, entries)]


def test_the_account_and_its_entries_are_one_statement_and_nothing_for_a_person_without_one(alice, bob, make_citizen):
    resident = make_citizen(insutype="390", mobile="13600000007")
    entry_post(account=bob.person.account, amount=Decimal("3.00"), kind="credit")  # somebody else's entry
    with CaptureQueriesContext(connection) as queries:
        assert selectors._account_and_entries(resident.person.pk, 10) == ([], [])
        found, entries = selectors._account_and_entries(alice.person.pk, 10)
    assert len(queries) == 2 and len(found) == 1 and found[0][0] == alice.person.account.pk
    assert {e.pk for e in entries} == set(LedgerEntry.objects.filter(account=alice.person.account, reserve__isnull=True)
                                          .order_by("-id").values_list("pk", flat=True)[:10])


def test_own_payments_are_the_models_values(alice, api):
    for i, amount in enumerate(["12.30", "7.00"]):
        assert api.settle(alice.person, amount, request_id=f"own{i}")[0] == 201
    fast = money._own_payments(person_id=alice.person.pk)
    models = Payment.objects.filter(payer=alice.person, source=Payment.Source.OWN).select_related("institution")
    assert len(fast) == 2 and fast == list(money.own_payments_query(alice.person.pk))
    assert fast == [(p.created_at, p.institution.name, p.category, p.amount, p.refunded) for p in models.order_by("-id")]


def test_the_summary_runs_each_compiled_query_once(alice):
    selectors.my_insurance_summary(alice.person)
    with CaptureQueriesContext(connection) as queries:
        summary = selectors.my_insurance_summary(alice.person)
    assert summary["person"] is alice.person and summary["account"].pk == alice.person.account.pk
    region = alice.person.region
    assert summary["region_text"] == f"{region.province.name} {region.name}"  # read with the account
    assert len(queries) == 1  # the account with the region's names and the entries (none to describe: no memo query)


def test_the_summary_of_a_person_without_an_account_reads_the_person(make_citizen):
    resident = make_citizen(insutype="390", mobile="13600000008")
    with CaptureQueriesContext(connection) as queries:
        summary = selectors.my_insurance_summary(resident.person)
    assert summary["account"] is None and summary["entries"] == []
    assert summary["person"].pk == resident.person.pk and summary["person"].region.province.name
    region = resident.person.region
    assert summary["region_text"] == f"{region.province.name} {region.name}"
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

    entry_post(account=alice.person.account, amount=Decimal("1234.50"), kind="credit", reference="credit:2026-01")
    assert api.settle(alice.person, "12.30", request_id="own-r")[0] == 201
    payment = Payment.objects.get(payer=alice.person, source=Payment.Source.OWN)
    assert api.post(f"settlements/{payment.settlement_id}/refunds", {"request_id": "rf", "amount": "2.05"})[0] == 201
    entry_cells = Template('{{ e.created_at|date:"Y-m-d H:i" }}|{{ e.get_kind_display }}|{{ e.amount }}|'
                           '{{ e.balance_after }}')
    payment_cells = Template('{{ p.created_at|date:"Y-m-d H:i" }}|{{ p.institution.name }}|{{ p.get_category_display }}|'
                             '{{ p.amount }}|{% if p.refunded %}{{ p.refunded }}{% else %}—{% endif %}')
    for language in ("zh-hans", "en"):
        with translation.override(language):
            entries = selectors.my_insurance_summary(alice.person)["entries"]
            assert len(entries) >= 3
            for e in entries:
                model = LedgerEntry.objects.get(pk=e.pk)
                assert entry_cells.render(Context({"e": model})) == (
                    f"{e.when}|{e.kind_label}|{e.amount_text}|{e.balance_text}")
            rows = money.own_spending(alice.person)["rows"]
            payment.refresh_from_db()
            assert [r.refunded_text for r in rows] == ["2.05"]
            for p in rows:
                shown = f"{p.when}|{p.institution_name}|{p.category_label}|{p.amount_text}|{p.refunded_text}"
                assert payment_cells.render(Context({"p": payment})) == shown
