import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.db_roles import is_embedded
from demo import data as demo


def production_like() -> str:
    """Why these settings look like production ("" when they do not): HTTPS on, or a database other than the
    embedded one of this checkout."""
    if settings.HTTPS:
        return "HTTPS is on (DJANGO_HTTPS)"
    if not is_embedded(settings.DATABASES["default"]):
        return "the database is not the embedded one (DATABASE_URL)"
    return ""


class Command(BaseCommand):
    help = "Load the demo families, staff and officials (idempotent). Refused on production-like settings unless DEMO=1."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not list the logins.")

    def handle(self, *args, quiet=False, **options):
        reason = production_like()
        if reason and os.environ.get("DEMO") != "1":
            raise CommandError(f"refusing to load demo data: {reason}. Demo logins share one published password; "
                               "set DEMO=1 only for a demonstration server.")
        demo.load()
        if quiet:
            self.stdout.write("Demo data loaded.")
            return
        self.stdout.write(f"Demo data loaded. Logins (password {demo.DEMO_PASSWORD}):")
        for label, key in demo.LOGINS:
            self.stdout.write(f"  citizen  {demo.certno(key)}  {label}")
        self.stdout.write(f"  register {demo.certno('father')}  张建国 / mobile 13900000004 (not registered yet)")
        self.stdout.write("  staff    hall_xz        徐州市医保服务大厅  -> /hall/")
        self.stdout.write("  official official_js / official_xz / admin  -> /admin/")
