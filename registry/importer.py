"""Import of the core insurance system's registry export (UTF-8 CSV).

All-or-nothing: every row is validated first and every bad row reported by its
line number in the file (the header is line 1); only a clean file is written,
in one transaction. For a person already known, the ledger stays the truth:
a different balance in the file is reported, never applied.
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from registry import hooks, idnumber
from registry.models import InsuredPerson, PoolingRegion
from registry.premium_import import PREMIUM_HEADER, import_premium_dues

HEADER = ["psn_name", "certno", "insutype", "insuplc_admdvs", "status", "acct_balc", "tel"]
STATUSES = {choice.value for choice in InsuredPerson.Status}
INSUTYPES = {choice.value for choice in InsuredPerson.InsuranceType}


@dataclass
class ImportReport:
    errors: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    balance_differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    line: int
    name: str
    certno: str
    insutype: str
    region_code: str
    status: str
    balance: Decimal | None
    mobile: str


def _parse_row(line: int, raw: dict, regions: set[str], seen: dict[str, int]) -> tuple[_Row | None, list[str]]:
    problems = []
    name = (raw.get("psn_name") or "").strip()
    if not name:
        problems.append("psn_name is empty")
    certno = idnumber.normalize(raw.get("certno") or "")
    try:
        idnumber.parse(certno)
    except ValidationError as exc:
        reason = {"id_check": "bad check character", "id_format": "malformed ID number",
                  "id_birth": "impossible birth date in ID number", "id_region": "unknown region in ID number"}
        problems.append(f"certno {certno!r}: {reason.get(exc.code, exc.code)}")
    else:
        if certno in seen:
            problems.append(f"certno {certno} duplicates line {seen[certno]}")
        else:
            seen[certno] = line
    insutype = (raw.get("insutype") or "").strip()
    if insutype not in INSUTYPES:
        problems.append(f"unknown insurance type {insutype!r} (310 employee, 390 resident)")
    region_code = (raw.get("insuplc_admdvs") or "").strip()
    if region_code not in regions:
        problems.append(f"unknown pooling region {region_code!r}")
    status = (raw.get("status") or "").strip()
    if status not in STATUSES:
        problems.append(f"unknown status {status!r} (active, suspended, ended)")
    balance_raw = (raw.get("acct_balc") or "").strip()
    balance = None
    if insutype == InsuredPerson.InsuranceType.RESIDENT and balance_raw:
        problems.append("a balance on a resident-insurance row (only employee insurance has a personal account)")
    elif insutype == InsuredPerson.InsuranceType.EMPLOYEE:
        try:
            balance = Decimal(balance_raw or "0")
            if not balance.is_finite() or balance != balance.quantize(Decimal("0.01")):
                raise InvalidOperation
        except InvalidOperation:
            problems.append(f"balance {balance_raw!r} is not an amount in yuan with at most two decimals")
            balance = None
        else:
            if balance < 0:
                problems.append(f"negative balance {balance_raw}")
            balance = balance.quantize(Decimal("0.01"))
    mobile = (raw.get("tel") or "").strip()
    if mobile and not (len(mobile) == 11 and mobile.isascii() and mobile.isdigit() and mobile.startswith("1")):
        problems.append(f"mobile number {mobile!r} is not 11 digits")
    if problems:
        return None, problems
    return _Row(line, name, certno, insutype, region_code, status, balance, mobile), []


def import_registry(stream: io.TextIOBase) -> ImportReport:
    report = ImportReport()
    reader = csv.DictReader(stream)
    header = [h.strip().lstrip("\ufeff") for h in (reader.fieldnames or [])]
    if header == PREMIUM_HEADER:  # the second file kind: premium dues
        import_premium_dues(reader, report)
        return report
    if header != HEADER:
        report.errors.append(f"line 1: header must be {','.join(HEADER)} (persons) or {','.join(PREMIUM_HEADER)} "
                             "(premium dues)")
        return report
    reader.fieldnames = HEADER
    regions = set(PoolingRegion.objects.values_list("code", flat=True))
    seen: dict[str, int] = {}
    rows = []
    for raw in reader:
        line = reader.line_num
        if None in raw or any(v is None for v in raw.values()):
            report.errors.append(f"line {line}: expected {len(HEADER)} columns")
            continue
        row, problems = _parse_row(line, raw, regions, seen)
        report.errors.extend(f"line {line}: {p}" for p in problems)
        if row:
            rows.append(row)
    if report.errors:
        return report
    with transaction.atomic():
        _apply(rows, report)
    return report


def _apply(rows: list[_Row], report: ImportReport) -> None:
    existing = {p.certno: p for p in InsuredPerson.objects.filter(certno__in=[r.certno for r in rows])}
    keeper = hooks.account_keeper()
    balances = keeper.balances([p.pk for p in existing.values()]) if keeper else {}
    for row in rows:
        person = existing.get(row.certno)
        fields = {"name": row.name, "insutype": row.insutype, "region_id": row.region_code,
                  "status": row.status, "mobile": row.mobile}
        if person is None:
            person = InsuredPerson.objects.create(certno=row.certno, **fields)
            report.created += 1
        else:
            changed = [k for k, v in fields.items() if getattr(person, k) != v]
            if changed:
                for k in changed:
                    setattr(person, k, fields[k])
                person.save(update_fields=[*changed, "updated_at"])
                report.updated += 1
                if {"status", "region_id", "insutype"} & set(changed):
                    # A registry change may break (or mend) this person's sharing bindings.
                    hooks.enrollment_changed(person=person)
            else:
                report.unchanged += 1
        if row.insutype == InsuredPerson.InsuranceType.EMPLOYEE and keeper is not None:
            balance = balances.get(person.pk)
            if balance is None:
                keeper.open(person=person, opening_balance=row.balance)
            elif balance != row.balance:
                report.balance_differences.append(
                    f"line {row.line}: {idnumber.mask(row.certno)} file says {row.balance}, ledger says "
                    f"{balance}; the ledger is kept"
                )
