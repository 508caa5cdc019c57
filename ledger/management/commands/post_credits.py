import hashlib

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from core import audit_hook
from core.audit_hook import operator_actor
from ledger.credits import credits_post


class Command(BaseCommand):
    help = ("Post monthly credits from a UTF-8 CSV (certno,amount,period). All-or-nothing; safe to run again. "
            "Audited as the operator.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--actor", help="Username the audit trail records (default: the OS user)")

    def handle(self, *args, file, actor=None, **options):
        try:
            operator = operator_actor(actor)
        except LookupError:
            raise CommandError(f"no account {actor!r}") from None
        try:
            with open(file, "rb") as raw:
                sha256 = hashlib.file_digest(raw, "sha256").hexdigest()
            with open(file, encoding="utf-8-sig", newline="") as fh:
                report = credits_post(fh)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from None
        except IntegrityError:
            raise CommandError("another run posted some of these credits at the same time; nothing was posted "
                               "by this run. Run it again to post the rest.") from None
        audit_hook.record(actor=operator, subject=("ledger.credits", sha256), channel="command",
                          event="ledger.credits_posted" if report.ok else "ledger.credits_refused",
                          after={"sha256": sha256, "posted": report.posted, "already_posted": report.skipped,
                                 "bad_rows": len(report.errors)})
        if not report.ok:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(report.errors)} problem(s); nothing was posted.")
        self.stdout.write(f"posted {report.posted}, already posted {report.skipped}")
