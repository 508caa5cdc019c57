"""Import of the premium dues the core system publishes (the registry export's second file kind, UTF-8 CSV).

One row per due: certno, kind (resident | ltc), year, amount, insuplc_admdvs (pooling region), due_date
(YYYY-MM-DD). As for persons: all-or-nothing, every bad row reported by its line number (the header is line 1).
The person must already be in the registry (the persons file comes first); they need not be enrolled.
Reasons are translatable (lazy), as the persons file's: the admin shows them in Chinese, the command in English.
A due already published is updated (amount, region, due date) — the core system owns it.
"""

import csv
import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from registry import idnumber
from registry.models import InsuredPerson, PoolingRegion, PremiumDue

PREMIUM_HEADER = ["certno", "kind", "year", "amount", "insuplc_admdvs", "due_date"]
KINDS = {choice.value for choice in PremiumDue.Kind}


def _parse(raw: dict, regions: set[str], people: dict, seen: dict, line: int) -> tuple[dict | None, list[str]]:
    problems = []
    certno = idnumber.normalize(raw.get("certno") or "")
    try:
        idnumber.parse(certno)
    except ValidationError:
        problems.append(format_lazy(_("certno {certno} is not a valid ID number"), certno=repr(certno)))
    else:
        if certno not in people:
            problems.append(format_lazy(_("certno {certno} is not in the registry (import the persons file first)"),
                                        certno=idnumber.mask(certno)))
    kind = (raw.get("kind") or "").strip()
    if kind not in KINDS:
        problems.append(format_lazy(_("unknown kind {value} (resident, ltc)"), value=repr(kind)))
    year_raw = (raw.get("year") or "").strip()
    year = int(year_raw) if year_raw.isascii() and year_raw.isdigit() and len(year_raw) == 4 else None
    if year is None or not 2000 <= year <= 2100:
        problems.append(format_lazy(_("year {value} is not a year such as 2027"), value=repr(year_raw)))
    amount_raw = (raw.get("amount") or "").strip()
    try:
        amount = Decimal(amount_raw)
        if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")) or amount <= 0:
            raise InvalidOperation
    except InvalidOperation:
        problems.append(format_lazy(_("amount {value} is not a positive amount in yuan with at most two decimals"),
                                    value=repr(amount_raw)))
        amount = None
    region = (raw.get("insuplc_admdvs") or "").strip()
    if region not in regions:
        problems.append(format_lazy(_("unknown pooling region {value}"), value=repr(region)))
    due_raw = (raw.get("due_date") or "").strip()
    try:
        due_date = datetime.date.fromisoformat(due_raw) if len(due_raw) == 10 else None
    except ValueError:
        due_date = None
    if due_date is None:
        problems.append(format_lazy(_("due date {value} is not a date such as 2026-12-31"), value=repr(due_raw)))
    key = (certno, kind, year)
    if not problems:
        if key in seen:
            problems.append(format_lazy(_("the same person, kind and year as line {line}"), line=seen[key]))
        seen[key] = line
    if problems:
        return None, problems
    return {"person": people[certno], "kind": kind, "year": year, "amount": amount.quantize(Decimal("0.01")),
            "region_id": region, "due_date": due_date}, []


def import_premium_dues(reader: csv.DictReader, report, *, regions_in_scope: set[str] | None = None,
                        dry_run: bool = False) -> None:
    """Read the rows of a premium-dues file whose header was checked; fill `report` (registry.importer's).

    As for persons: an official's upload (`regions_in_scope`) refuses a due of a region outside their scope, and a
    preview (`dry_run`) counts what would be created, updated or left unchanged without writing."""
    reader.fieldnames = PREMIUM_HEADER
    raws = []
    for raw in reader:
        line = reader.line_num
        if None in raw or any(v is None for v in raw.values()):
            report.errors.append(format_lazy(_("line {line}: {problem}"), line=line, problem=format_lazy(
                _("expected {count} columns"), count=len(PREMIUM_HEADER))))
            continue
        raws.append((line, raw))
    certnos = {idnumber.normalize(raw.get("certno") or "") for _line, raw in raws}
    people = {p.certno: p for p in InsuredPerson.objects.filter(certno__in=certnos)}
    regions = set(PoolingRegion.objects.values_list("code", flat=True))
    seen: dict = {}
    rows = []
    for line, raw in raws:
        row, problems = _parse(raw, regions, people, seen, line)
        if row and regions_in_scope is not None and row["region_id"] not in regions_in_scope:
            row, problems = None, [format_lazy(_("pooling region {code} is outside your scope"),
                                               code=row["region_id"])]
        report.errors.extend(format_lazy(_("line {line}: {problem}"), line=line, problem=p) for p in problems)
        if row:
            rows.append(row)
    if report.errors:
        return
    with transaction.atomic():
        for row in rows:
            due = PremiumDue.objects.filter(person=row["person"], kind=row["kind"], year=row["year"]).first()
            if due is None:
                report.created += 1
                if not dry_run:
                    PremiumDue.objects.create(person=row["person"], kind=row["kind"], year=row["year"],
                                              **{k: row[k] for k in ("amount", "region_id", "due_date")})
                continue
            changed = [k for k in ("amount", "region_id", "due_date") if getattr(due, k) != row[k]]
            if not changed:
                report.unchanged += 1
                continue
            report.updated += 1
            if not dry_run:
                for k in changed:
                    setattr(due, k, row[k])
                due.save(update_fields=changed)

