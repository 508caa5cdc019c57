from django.core.management.base import BaseCommand, CommandError

from registry.importer import import_registry


class Command(BaseCommand):
    help = "Import the core system's registry export (UTF-8 CSV). All-or-nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8-sig", newline="") as fh:
                report = import_registry(fh)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from None
        if not report.ok:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(report.errors)} problem(s); nothing was imported.")
        for line in report.balance_differences:
            self.stdout.write(self.style.WARNING(line))
        self.stdout.write(
            f"created {report.created}, updated {report.updated}, unchanged {report.unchanged}, "
            f"balance differences reported {len(report.balance_differences)}"
        )
