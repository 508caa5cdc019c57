import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from core.csv_export import RowWriter, safe_cell


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\",\"a\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx",
                                  "=1", "-", "--1"])
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_made_text(cell):
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["张小雨", "12.50", "-12.50", "0", "2026-01-02 10:00", "a=b", "", None])
def test_ordinary_cells_and_plain_numbers_are_left_alone(cell):
    assert safe_cell(cell) == ("" if cell is None else cell)


def test_the_row_writer_defuses_every_cell_and_stays_valid_csv():
    line = RowWriter().writerow(["=cmd|' /C calc'!A0", "李, 四", "@x", "3.00"])
    assert next(csv.reader(io.StringIO(line))) == ["'=cmd|' /C calc'!A0", "李, 四", "'@x", "3.00"]


def test_the_spending_csv_escapes_names_from_the_registry_and_the_admin(client, alice, make_person):
    from settlement.keys import api_key_issue
    from settlement.models import Institution
    from settlement.services import settlement_create
    from sharing.services import binding_create

    member = make_person(name="=HYPERLINK(\"http://evil\")", insutype="390", birth=datetime.date(2014, 9, 1))
    binding_create(authorizer=alice.person, relation="child", member=member, actor=alice,
                   signature_method="typed", typed_name=alice.person.name)
    institution = Institution.objects.create(fixmedins_code="H32030200092", name="@SUM(1+1)", region_id="320300")
    api_key_issue(institution=institution)
    settlement_create(institution=institution, body={
        "request_id": "csv-1", "mdtrt_cert_type": "02", "mdtrt_cert_no": member.certno, "amount": Decimal("12.00"),
        "category": "pharmacy"})
    client.force_login(alice)
    content = b"".join(client.get(reverse("money:spending_csv")).streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff"))))
    assert rows[1][1] == "'=HYPERLINK(\"http://evil\")" and rows[1][2] == "'@SUM(1+1)" and rows[1][4] == "12.00"
