from django.core.management.base import BaseCommand

from officials.summary import statistics_refresh


class Command(BaseCommand):
    help = "Rebuild the summary tables of the officials' statistics page. Safe to run any time; run it hourly."

    def handle(self, *args, **options):
        counts = statistics_refresh()
        self.stdout.write(", ".join(f"{k} {v}" for k, v in counts.items()))
