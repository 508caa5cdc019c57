"""Import of the core insurance system's registry export (UTF-8 CSV).

All-or-nothing: every row is validated first and every bad row reported by its
line number in the file (the header is line 1); only a clean file is written,
in one transaction. For a person already known, the ledger stays the truth:
a different balance in the file is reported, never applied. Reasons are translatable (lazy): the admin shows
them in Chinese, the command prints them in English.
"""

import csv
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core import audit_hook
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


def _parse_row(line: int, raw: dict, regions: set[str], seen: dict[str, int]) -> tuple[_Row | None, list]:
    problems = []
    name = (raw.get("psn_name") or "").strip()
    if not name:
        problems.append(_("psn_name is empty"))
    certno = idnumber.normalize(raw.get("certno") or "")
    try:
        idnumber.parse(certno)
    except ValidationError as exc:
        reason = {"id_check": _("bad check character"), "id_format": _("malformed ID number"),
                  "id_birth": _("impossible birth date in ID number"), "id_region": _("unknown region in ID number")}
        problems.append(format_lazy(_("certno {certno}: {reason}"), certno=repr(certno),
                                    reason=reason.get(exc.code, exc.code)))
    else:
        if certno in seen:
            problems.append(format_lazy(_("certno {certno} duplicates line {line}"), certno=certno, line=seen[certno]))
        else:
            seen[certno] = line
    insutype = (raw.get("insutype") or "").strip()
    if insutype not in INSUTYPES:
        problems.append(format_lazy(_("unknown insurance type {value} (310 employee, 390 resident)"),
                                    value=repr(insutype)))
    region_code = (raw.get("insuplc_admdvs") or "").strip()
    if region_code not in regions:
        problems.append(format_lazy(_("unknown pooling region {value}"), value=repr(region_code)))
    status = (raw.get("status") or "").strip()
    if status not in STATUSES:
        problems.append(format_lazy(_("unknown status {value} (active, suspended, ended)"), value=repr(status)))
    balance_raw = (raw.get("acct_balc") or "").strip()
    balance = None
    if insutype == InsuredPerson.InsuranceType.RESIDENT and balance_raw:
        problems.append(_("a balance on a resident-insurance row (only employee insurance has a personal account)"))
    elif insutype == InsuredPerson.InsuranceType.EMPLOYEE:
        try:
            balance = Decimal(balance_raw or "0")
            if not balance.is_finite() or balance != balance.quantize(Decimal("0.01")):
                raise InvalidOperation
        except InvalidOperation:
            problems.append(format_lazy(_("balance {value} is not an amount in yuan with at most two decimals"),
                                        value=repr(balance_raw)))
            balance = None
        else:
            if balance < 0:
                problems.append(format_lazy(_("negative balance {value}"), value=balance_raw))
            balance = balance.quantize(Decimal("0.01"))
    mobile = (raw.get("tel") or "").strip()
    if mobile and not (len(mobile) == 11 and mobile.isascii() and mobile.isdigit() and mobile.startswith("1")):
        problems.append(format_lazy(_("mobile number {value} is not 11 digits"), value=repr(mobile)))
    if problems:
        return None, problems
    return _Row(line, name, certno, insutype, region_code, status, balance, mobile), []


def import_registry(stream: io.TextIOBase, *, regions_in_scope: set[str] | None = None,
                    dry_run: bool = False, actor=None, progress=None) -> ImportReport:
    """Validate the whole file, then (unless `dry_run`, the preview) write it in one transaction if it is clean.

    `regions_in_scope` limits an official's upload: a row placing a person in a region outside it, or about a
    person who lives outside it today, is a bad row. The counts of new, changed and unchanged persons are filled
    in a preview too. The file is read row by row (never whole into memory) and known persons are looked up in
    chunks, so that a 100 k-row file is validated in a few seconds. `progress(done, total)`, when given, is told the
    rows written so far while a clean file is applied (the background job shows it)."""
    report = ImportReport()
    reader = csv.DictReader(stream)
    header = [h.strip().lstrip("\ufeff") for h in (reader.fieldnames or [])]
    if header == PREMIUM_HEADER:  # the second file kind: premium dues (registry.premium_import)
        import_premium_dues(reader, report, regions_in_scope=regions_in_scope, dry_run=dry_run)
        return report
    if header != HEADER:
        report.errors.append(format_lazy(_("line {line}: {problem}"), line=1, problem=format_lazy(
            _("header must be {header}"), header=",".join(HEADER))))
        return report
    reader.fieldnames = HEADER
    regions = set(PoolingRegion.objects.values_list("code", flat=True))
    seen: dict[str, int] = {}
    rows = []
    errors: list[tuple[int, str]] = []
    for raw in reader:
        line = reader.line_num
        if None in raw or any(v is None for v in raw.values()):
            errors.append((line, format_lazy(_("expected {count} columns"), count=len(HEADER))))
            continue
        row, problems = _parse_row(line, raw, regions, seen)
        errors.extend((line, p) for p in problems)
        if row:
            rows.append(row)
    existing = _existing(rows)
    good = []
    for row in rows:
        person = existing.get(row.certno)
        if regions_in_scope is not None and row.region_code not in regions_in_scope:
            errors.append((row.line, format_lazy(_("pooling region {code} is outside your scope"),
                                                 code=row.region_code)))
        elif regions_in_scope is not None and person is not None and person.region_id not in regions_in_scope:
            errors.append((row.line, _("this person is insured outside your scope")))
        else:
            good.append(row)
    errors.sort(key=lambda e: e[0])
    report.errors.extend(format_lazy(_("line {line}: {problem}"), line=line, problem=problem)
                         for line, problem in errors)
    for row in good:
        person = existing.get(row.certno)
        if person is None:
            report.created += 1
        elif _changes(person, row):
            report.updated += 1
        else:
            report.unchanged += 1
    if report.errors or dry_run:
        return report
    report.created = report.updated = report.unchanged = 0
    with transaction.atomic():
        _apply(rows, report, existing, actor, progress or (lambda done, total: None))
    return report


CHUNK = 5000


def _existing(rows: list[_Row]) -> dict[str, InsuredPerson]:
    """The persons of these rows already known, looked up in chunks (a query has at most 65 535 parameters)."""
    certnos = [r.certno for r in rows]
    found = {}
    for start in range(0, len(certnos), CHUNK):
        found.update((p.certno, p) for p in InsuredPerson.objects.filter(certno__in=certnos[start:start + CHUNK]))
    return found


def _fields(row: _Row) -> dict:
    return {"name": row.name, "insutype": row.insutype, "region_id": row.region_code, "status": row.status,
            "mobile": row.mobile}


def _fields_names() -> list[str]:
    return ["name", "insutype", "region_id", "status", "mobile"]


def _changes(person: InsuredPerson, row: _Row) -> list[str]:
    return [k for k, v in _fields(row).items() if getattr(person, k) != v]


def _apply(rows: list[_Row], report: ImportReport, existing: dict[str, InsuredPerson], actor, progress) -> None:
    progress(0, len(rows))
    keeper = hooks.account_keeper()
    ids = [p.pk for p in existing.values()]
    balances = {}
    if keeper:
        for start in range(0, len(ids), CHUNK):
            balances.update(keeper.balances(ids[start:start + CHUNK]))
    # New persons in bulk (a large file is mostly new persons the first time), with their accounts.
    new_rows = [row for row in rows if row.certno not in existing]
    created = InsuredPerson.objects.bulk_create(
        [InsuredPerson(certno=row.certno, **_fields(row)) for row in new_rows], batch_size=2000)
    report.created = len(created)
    if keeper is not None:
        keeper.open_many([(person, row.balance) for person, row in zip(created, new_rows, strict=True)
                          if row.insutype == InsuredPerson.InsuranceType.EMPLOYEE])
    total = len(rows)
    progress(len(new_rows), total)
    # Changed known persons are written in bulk; then the bindings of those whose enrollment changed are
    # re-evaluated one by one (each may end or mend bindings), reading the rows just written.
    changed_persons, enrollment_changed = [], []
    now = timezone.now()
    for row in rows:
        person = existing.get(row.certno)
        if person is None:
            continue  # created above
        changed = _changes(person, row)
        if changed:
            fields = _fields(row)
            for k in changed:
                setattr(person, k, fields[k])
            person.updated_at = now
            changed_persons.append(person)
            if {"status", "region_id", "insutype"} & set(changed):
                enrollment_changed.append(person)
        else:
            report.unchanged += 1
    for start in range(0, len(changed_persons), CHUNK):
        InsuredPerson.objects.bulk_update(changed_persons[start:start + CHUNK], [*_fields_names(), "updated_at"])
        progress(min(total, len(new_rows) + report.unchanged + start + CHUNK) - len(enrollment_changed), total)
    report.updated = len(changed_persons)
    for done, person in enumerate(enrollment_changed, 1):
        # A registry change may break (or mend) this person's sharing bindings.
        hooks.enrollment_changed(person=person, actor=actor)
        if done % 500 == 0:
            progress(total - len(enrollment_changed) + done, total)
    for row in rows:
        person = existing.get(row.certno)
        if person is None:
            continue
        if row.insutype == InsuredPerson.InsuranceType.EMPLOYEE and keeper is not None:
            balance = balances.get(person.pk)
            if balance is None:  # a known person who became employee-insured
                keeper.open(person=person, opening_balance=row.balance)
            elif balance != row.balance:
                report.balance_differences.append(
                    f"line {row.line}: {idnumber.mask(row.certno)} file says {row.balance}, ledger says "
                    f"{balance}; the ledger is kept"
                )
    progress(total, total)


def file_sha256(stream) -> str:
    """SHA-256 of a binary stream, read in chunks; the stream is left at its start."""
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def import_audit(*, actor, sha256: str, report: ImportReport, dry_run: bool, channel: str, region=None,
                 province=None):
    """One audit row per upload, preview or command run: who, the file's SHA-256, the counts (never the rows)."""
    if dry_run:
        event = "registry.import_previewed"
    else:
        event = "registry.imported" if report.ok else "registry.import_refused"
    return audit_hook.record(
        actor=actor, subject=("registry.import", sha256), event=event, channel=channel, region=region,
        province=province,
        after={"sha256": sha256, "created": report.created, "updated": report.updated,
               "unchanged": report.unchanged, "bad_rows": len(report.errors),
               "balance_differences": len(report.balance_differences)},
    )
