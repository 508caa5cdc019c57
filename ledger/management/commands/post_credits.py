from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from ledger.credits import credits_post


class Command(BaseCommand):
    help = "Post monthly credits from a UTF-8 CSV (certno,amount,period). All-or-nothing; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8-sig", newline="") as fh:
                report = credits_post(fh)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from None
        except IntegrityError:
            raise CommandError("another run posted some of these credits at the same time; nothing was posted "
                               "by this run. Run it again to post the rest.") from None
        if not report.ok:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(report.errors)} problem(s); nothing was posted.")
        self.stdout.write(f"posted {report.posted}, already posted {report.skipped}")
