import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from portal import demo
from settlement.keys import DEMO_PREFIX
from settlement.models import ApiKey

DEMO_STAFF = ["admin", "official_js", "official_xz", "hall_xz"]
DEVELOPMENT_SENDERS = {"notifications.sms.FileSender", "notifications.sms.ConsoleSender", "notifications.sms.LocmemSender"}


def problems() -> list[str]:
    """What stops a production start: demo logins or the demo API key in the database, a development SMS sender."""
    found = []
    for user in User.objects.filter(username__in=DEMO_STAFF):
        if user.check_password(demo.DEMO_PASSWORD):
            found.append(f"the demo login {user.username!r} exists with the published demo password")
    if ApiKey.objects.filter(prefix=DEMO_PREFIX, revoked_at__isnull=True).exists():
        found.append(f"the demo API key (prefix {DEMO_PREFIX}) is active")
    if settings.SMS_BACKEND in DEVELOPMENT_SENDERS and os.environ.get("SMS_ALLOW_DEV_SENDER") != "1":
        found.append(f"SMS_BACKEND is the development sender {settings.SMS_BACKEND} (SMS_ALLOW_DEV_SENDER=1 allows it)")
    return found


class Command(BaseCommand):
    help = "Refuse a production start while demo data or a development SMS sender is in place (`make serve` runs it)."

    def handle(self, *args, **options):
        found = problems()
        if found:
            for line in found:
                self.stderr.write(f"preflight: {line}")
            raise CommandError("refusing to serve production; see docs/operations.md")
        self.stdout.write("preflight: no demo data, production SMS sender.")
