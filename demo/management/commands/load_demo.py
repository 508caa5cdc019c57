from django.core.management.base import BaseCommand

from demo import data as demo


class Command(BaseCommand):
    help = "Load the demo families, staff and officials (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not list the logins.")

    def handle(self, *args, quiet=False, **options):
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
