from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core.audit_hook import operator_actor
from registry.importer import file_sha256, import_audit, import_registry


class Command(BaseCommand):
    help = "Import the core system's registry export (UTF-8 CSV). All-or-nothing. Audited as the operator."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--actor", help="Username the audit trail records (default: the OS user)")
        parser.add_argument("--dry-run", action="store_true", help="Validate and count only; write nothing")

    def handle(self, *args, **options):
        with translation.override("en"):  # operators' logs stay in English, as before
            return self._handle(*args, **options)

    def _handle(self, *args, file, actor=None, dry_run=False, **options):
        try:
            operator = operator_actor(actor)
        except LookupError:
            raise CommandError(f"no account {actor!r}") from None
        try:
            with open(file, "rb") as raw:
                sha256 = file_sha256(raw)
            with open(file, encoding="utf-8-sig", newline="") as fh:
                report = import_registry(fh, dry_run=dry_run, actor=operator if operator.pk else None)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from None
        import_audit(actor=operator, sha256=sha256, report=report, dry_run=dry_run, channel="command")
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(report.errors)} problem(s); nothing was imported.")
        for line in report.balance_differences:
            self.stdout.write(self.style.WARNING(line))
        self.stdout.write(
            f"{'would create' if dry_run else 'created'} {report.created}, updated {report.updated}, "
            f"unchanged {report.unchanged}, balance differences reported {len(report.balance_differences)}"
        )
