from django.core.management.base import BaseCommand

from sharing.review import bindings_expire_due


class Command(BaseCommand):
    help = ("Record the expiry of spouse requests past their consent deadline and tell both sides. "
            "Run it periodically (e.g. hourly from cron or a systemd timer); pages already show such requests "
            "as expired without it.")

    def handle(self, *args, **options):
        count = bindings_expire_due()
        self.stdout.write(f"{count} request(s) expired.")
