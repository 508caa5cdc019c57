import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from family.tokens import tokens_purge


class Command(BaseCommand):
    help = ("Delete insurance-code tokens that expired more than --older-than-hours ago (default 24). An expired code "
            "can only ever be refused, so its row is not needed. Run it periodically (e.g. daily from cron or a "
            "systemd timer).")

    def add_arguments(self, parser):
        parser.add_argument("--older-than-hours", type=int, default=24,
                            help="keep tokens that expired less than this many hours ago (default 24)")

    def handle(self, *args, older_than_hours, **options):
        if older_than_hours < 0:
            raise CommandError("--older-than-hours must be 0 or more")
        count = tokens_purge(before=timezone.now() - datetime.timedelta(hours=older_than_hours))
        self.stdout.write(f"{count} insurance-code token(s) purged.")
