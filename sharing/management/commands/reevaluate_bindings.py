from django.core.management.base import BaseCommand

from sharing.review import bindings_reevaluate


class Command(BaseCommand):
    help = ("Re-check every active or suspended binding against the policy in force today: end those whose validity "
            "period is over, suspend (or end) those a policy version now in force breaks, bring back those whose "
            "rules hold again. Run it daily, shortly after midnight, and after publishing a policy version.")

    def handle(self, *args, **options):
        changed = bindings_reevaluate()
        self.stdout.write(f"{len(changed)} binding(s) changed.")
