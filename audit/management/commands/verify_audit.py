from django.core.management.base import BaseCommand, CommandError

from audit.chain import audit_chain_verify


class Command(BaseCommand):
    help = ("Check the audit trail's hash chain: every event in order, none missing, none altered, none inserted "
            "out of order. Exit 1 and name each break if not. Keep the printed head somewhere else (a log, a "
            "ticket) to be able to prove later that the chain was not rewritten from there on.")

    def handle(self, *args, **options):
        report = audit_chain_verify()
        for problem in report.problems:
            self.stderr.write(problem)
        if not report.whole:
            raise CommandError(f"{len(report.problems)} break(s) in the audit chain, the first: {report.problems[0]}")
        self.stdout.write(f"OK: {report.events} audit event(s), the chain is whole; head #{report.head_seq} "
                          f"{report.head_hash}.")
