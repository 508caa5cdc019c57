import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from ledger.models import LedgerEntry
from registry import idnumber
from registry.models import InsuredPerson

HEADER = "psn_name,certno,insutype,insuplc_admdvs,status,acct_balc,tel\n"
A = idnumber.make("320302", datetime.date(1980, 1, 2), 11)
B = idnumber.make("320102", datetime.date(2010, 5, 6), 22)


def write(tmp_path, body, name="export.csv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return str(path)


GOOD = f"张三,{A},310,320300,active,1234.56,13912345678\n李四,{B},390,320100,active,,\n"


def run(path):
    out_lines = []

    class Out:
        def write(self, s):
            out_lines.append(s)

        def flush(self):
            pass

    call_command("import_registry", path, stdout=Out(), stderr=Out())
    return "".join(out_lines)


def test_imports_a_good_file_with_opening_balances_as_ledger_entries(db, tmp_path):
    run(write(tmp_path, GOOD))
    zhang = InsuredPerson.objects.get(certno=A)
    assert zhang.name == "张三" and zhang.region_id == "320300" and zhang.mobile == "13912345678"
    assert zhang.account.balance == Decimal("1234.56")
    assert list(LedgerEntry.objects.filter(account=zhang.account).values_list("kind", "amount")) == [
        ("opening", Decimal("1234.56"))]
    assert not LedgerEntry.objects.filter(account__person__certno=B).exists()


def test_reimporting_the_same_file_changes_nothing(db, tmp_path):
    path = write(tmp_path, GOOD)
    run(path)
    snapshot = list(InsuredPerson.objects.values_list("certno", "updated_at"))
    entries = LedgerEntry.objects.count()
    out = run(path)
    assert "created 0, updated 0, unchanged 2" in out
    assert list(InsuredPerson.objects.values_list("certno", "updated_at")) == snapshot
    assert LedgerEntry.objects.count() == entries


def test_updates_a_known_person_but_reports_a_different_balance_instead_of_applying_it(db, tmp_path):
    run(write(tmp_path, GOOD))
    out = run(write(tmp_path, f"张三,{A},310,320100,suspended,9999.00,13912345678\n", "second.csv"))
    zhang = InsuredPerson.objects.get(certno=A)
    assert zhang.status == "suspended" and zhang.region_id == "320100"
    assert zhang.account.balance == Decimal("1234.56")
    assert "file says 9999.00, ledger says 1234.56" in out


@pytest.mark.parametrize(
    "row, message",
    [
        (f"张三,{A[:17]}{'0' if A[17] != '0' else '1'},310,320300,active,1.00,", "bad check character"),
        (f"张三,{A},310,999999,active,1.00,", "unknown pooling region '999999'"),
        (f"张三,{A},310,320300,active,-5.00,", "negative balance -5.00"),
        (f"张三,{A},390,320300,active,5.00,", "a balance on a resident-insurance row"),
        (f"张三,{A},320,320300,active,,", "unknown insurance type '320'"),
        (f"张三,{A},310,320300,retired,1.00,", "unknown status 'retired'"),
        (f"张三,{A},310,320300,active,abc,", "balance 'abc' is not an amount"),
        (f"张三,{A},310,320300,active,1.005,", "balance '1.005' is not an amount"),
        (f",{A},310,320300,active,1.00,", "psn_name is empty"),
        (f"张三,{A},310,320300,active,1.00", "expected 7 columns"),
    ],
)
def test_refuses_a_bad_row_naming_its_line_and_writes_nothing(db, tmp_path, row, message):
    body = f"李四,{B},390,320100,active,,\n{row}\n"
    with pytest.raises(CommandError, match="nothing was imported"):
        run(write(tmp_path, body))
    assert not InsuredPerson.objects.filter(certno__in=[A, B]).exists()


def test_reports_every_bad_row_by_line_number_including_duplicates(db, tmp_path, capsys):
    body = f"张三,{A},310,320300,active,1.00,\n李四,{B},390,320100,active,,\n张三,{A},310,320300,active,1.00,\n" \
           f"王五,{B[:17]}9,390,999999,active,,\n"
    errors = []

    class Err:
        def write(self, s):
            errors.append(s)

        def flush(self):
            pass

    with pytest.raises(CommandError):
        call_command("import_registry", write(tmp_path, body), stderr=Err(), stdout=Err())
    text = "".join(errors)
    assert f"line 4: certno {A} duplicates line 2" in text
    assert "line 5:" in text and "unknown pooling region '999999'" in text
    assert "line 2:" not in text and "line 3:" not in text


def test_refuses_a_wrong_header(db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("name,id\n张三,1\n", encoding="utf-8")
    with pytest.raises(CommandError):
        run(str(path))


def test_refuses_a_file_that_is_not_utf8(db, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes((HEADER + GOOD).encode("gbk"))
    with pytest.raises(CommandError, match="cannot read"):
        run(str(path))
    assert not InsuredPerson.objects.filter(certno=A).exists()


def test_new_persons_of_a_large_file_are_created_in_bulk_with_their_opening_entries(db, tmp_path,
                                                                                    django_assert_max_num_queries):
    rows = "".join(f"新{i},{idnumber.make('320302', datetime.date(1970, 1, 1) + datetime.timedelta(days=i), 11)},"
                   f"{'310' if i % 2 else '390'},320300,active,{'5.00' if i % 2 else ''},\n" for i in range(300))
    with django_assert_max_num_queries(40):  # not a few queries per row
        run(write(tmp_path, rows))
    assert InsuredPerson.objects.filter(name__startswith="新").count() == 300
    assert LedgerEntry.objects.filter(kind="opening", amount=Decimal("5.00")).count() == 150
    employee = InsuredPerson.objects.filter(insutype="310", name__startswith="新").first()
    assert employee.account.balance == Decimal("5.00")
