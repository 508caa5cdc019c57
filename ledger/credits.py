"""Monthly credits (划入) from a CSV file `certno,amount,period`: all-or-nothing, idempotent per person+period.

Like registry/importer.py: every row is checked first and every problem reported with its line number
(the header is line 1); only a clean file is posted, in one transaction. A credit already posted for the
same person and period with the same amount is skipped; with another amount it is a problem. The unique
constraint (person, period) makes two concurrent runs safe.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from ledger.models import Credit, LedgerEntry, PersonalAccount
from ledger.services import entry_post
from registry import idnumber

HEADER = ["certno", "amount", "period"]
_AMOUNT = re.compile(r"^\d{1,8}(\.\d{1,2})?$", re.ASCII)
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$", re.ASCII)


@dataclass
class CreditReport:
    errors: list[str] = field(default_factory=list)
    posted: int = 0
    skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def credits_post(stream: io.TextIOBase) -> CreditReport:
    report = CreditReport()
    reader = csv.reader(stream)
    header = next(reader, None)
    if [h.strip().lstrip("\ufeff") for h in (header or [])] != HEADER:
        report.errors.append(f"line 1: header must be {','.join(HEADER)}")
        return report
    rows, seen = [], {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            report.errors.append(f"line {line}: expected 3 columns")
            continue
        certno, amount, period = (cell.strip() for cell in row)
        certno = idnumber.normalize(certno)
        problems = []
        if not idnumber.is_valid(certno):
            problems.append(f"certno {certno!r} is not a valid resident ID number")
        if not _AMOUNT.fullmatch(amount) or Decimal(amount) <= 0:
            problems.append(f"amount {amount!r} is not a positive amount in yuan with at most two decimals")
        if not _PERIOD.fullmatch(period):
            problems.append(f"period {period!r} is not a month like 2026-05")
        if not problems and (certno, period) in seen:
            problems.append(f"credit for {idnumber.mask(certno)} in {period} duplicates line {seen[certno, period]}")
        seen.setdefault((certno, period), line)
        report.errors.extend(f"line {line}: {p}" for p in problems)
        if not problems:
            rows.append((line, certno, Decimal(amount).quantize(Decimal("0.01")), period))
    accounts = {a.person.certno: a for a in PersonalAccount.objects.select_related("person")
                .filter(person__certno__in=[r[1] for r in rows])}
    posted = {(c.person.certno, c.period): c.amount for c in Credit.objects.select_related("person")
              .filter(person__certno__in=[r[1] for r in rows])}
    todo = []
    for line, certno, amount, period in rows:
        if certno not in accounts:
            report.errors.append(f"line {line}: no personal account for {idnumber.mask(certno)} "
                                 "(employee insurance only)")
        elif (certno, period) in posted:
            if posted[certno, period] != amount:
                report.errors.append(f"line {line}: {period} was already credited with {posted[certno, period]}, "
                                     f"not {amount}")
            else:
                report.skipped += 1
        else:
            todo.append((accounts[certno], amount, period))
    if report.errors:
        return report
    with transaction.atomic():
        # Lock every account first, in id order like settlements do, so the two can never deadlock.
        list(PersonalAccount.objects.select_for_update().filter(pk__in={a.pk for a, _, _ in todo}).order_by("pk")
             .values_list("pk", flat=True))
        for account, amount, period in sorted(todo, key=lambda item: item[0].pk):
            entry = entry_post(account=account, amount=amount, kind=LedgerEntry.Kind.CREDIT,
                               memo=f"monthly credit {period}", reference=f"credit:{period}")
            Credit.objects.create(person=account.person, period=period, amount=amount, ledger_entry=entry)
            report.posted += 1
    return report
