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
        heads = "; ".join(f"chain {chain} head #{seq} {chain_hash}" if chain != 1 else f"head #{seq} {chain_hash}"
                          for chain, seq, chain_hash in report.heads) or f"head #0 {report.head_hash}"
        self.stdout.write(f"OK: {report.events} audit event(s), every chain is whole; {heads}.")
