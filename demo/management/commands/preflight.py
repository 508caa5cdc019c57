import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts.models import User
from demo import data as demo
from settlement.keys import DEMO_PREFIX
from settlement.models import ApiKey

DEMO_STAFF = ["admin", "official_js", "official_xz", "hall_xz"]
DEVELOPMENT_SENDERS = {"notifications.sms.FileSender", "notifications.sms.ConsoleSender", "notifications.sms.LocmemSender"}


def _serves_as_owner() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")
        return superuser or cursor.fetchone()[0] > 0


def problems() -> list[str]:
    """What stops a production start: demo logins or the demo API key in the database, a development SMS sender."""
    found = []
    for user in User.objects.filter(username__in=DEMO_STAFF):
        if user.check_password(demo.DEMO_PASSWORD):
            found.append(f"the demo login {user.username!r} exists with the published demo password")
    if ApiKey.objects.filter(prefix=DEMO_PREFIX, revoked_at__isnull=True).exists():
        found.append(f"the demo API key (prefix {DEMO_PREFIX}) is active")
    if os.environ.get("DB_ALLOW_OWNER_ROLE") != "1" and _serves_as_owner():
        found.append("DATABASE_URL connects as a superuser or the owner of the tables; serve as the runtime role "
                     "and migrate with DATABASE_OWNER_URL (docs/operations.md)")
    if settings.SMS_BACKEND == "notifications.sms.HttpGatewaySender" and not settings.SMS_GATEWAY_URL:
        found.append("SMS_BACKEND is the HTTP gateway sender but SMS_GATEWAY_URL is not set")
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
