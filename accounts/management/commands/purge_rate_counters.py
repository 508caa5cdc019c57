import datetime

from django.core.management.base import BaseCommand

from accounts.throttle import purge


class Command(BaseCommand):
    help = "Delete rate-limit counters of windows that ended long ago (safe any time; daily is enough)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-hours", type=int, default=48)

    def handle(self, *args, older_than_hours, **options):
        count = purge(datetime.timedelta(hours=older_than_hours))
        self.stdout.write(f"{count} rate counter(s) purged.")
