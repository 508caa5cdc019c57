from django.core.management.base import BaseCommand

from demo import data as demo


class Command(BaseCommand):
    help = "Print the portal's URL and the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--url", required=True)

    def handle(self, *args, url, **options):
        line = "=" * 72
        self.stdout.write(line)
        self.stdout.write(f"共济通 is running at {url}")
        self.stdout.write(f"Demo logins (password {demo.DEMO_PASSWORD}):")
        for label, key in demo.LOGINS:
            self.stdout.write(f"  {demo.certno(key)}  {label}")
        self.stdout.write(f"Try registering 张建国 {demo.certno('father')} with mobile 13900000004;")
        self.stdout.write("  SMS codes are written to var/sms.log (or run `make sms`).")
        self.stdout.write(f"Hall staff: hall_xz -> {url}hall/    Officials: official_js, official_xz, admin -> {url}admin/")
        self._api_key(url)
        self.stdout.write(line)

    def _api_key(self, url):
        from settlement.keys import demo_api_key

        code, name, _region = demo.DEMO_INSTITUTION
        self.stdout.write(f"Settlement API for {name} ({code}), schema at {url}api/v1/openapi.json:")
        self.stdout.write(f"  curl -H 'Authorization: Bearer {demo_api_key()}' "
                          f"{url}api/v1/patients/{demo.certno('child')}")
