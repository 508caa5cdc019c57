from django.core.management.base import BaseCommand

from core.periodic import schedule_first_run


class Command(BaseCommand):
    help = "Queue the hourly and daily periodic jobs for the task worker, unless they are already queued (safe to repeat)."

    def handle(self, *args, **options):
        queued = schedule_first_run()
        self.stdout.write("Periodic jobs queued." if queued else "Periodic jobs already queued.")
