from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from audit.services import audit_record
from core.audit_hook import operator_actor
from registry.models import PoolingRegion
from settlement.keys import api_key_issue
from settlement.models import Institution


class Command(BaseCommand):
    help = "Issue an API key for a designated institution (created if needed). The key is printed once, last."

    def add_arguments(self, parser):
        parser.add_argument("fixmedins_code")
        parser.add_argument("--name", help="Institution name (for a new institution)")
        parser.add_argument("--admdvs", help="Pooling region code (for a new institution; default: from the code)")
        parser.add_argument("--key-name", default="", help="A label for the key")
        parser.add_argument("--actor", help="Username the audit trail records (default: the OS user)")

    @transaction.atomic
    def handle(self, *args, fixmedins_code, name, admdvs, key_name, actor=None, **options):
        try:
            operator = operator_actor(actor)
        except LookupError:
            raise CommandError(f"no account {actor!r}") from None
        code = fixmedins_code.strip().upper()
        institution = Institution.objects.filter(fixmedins_code=code).first()
        if institution is None:
            # The national code carries the region in characters 2–7 (H320302…): default to its city.
            region_code = admdvs or (code[1:5] + "00" if len(code) == 12 else "")
            region = PoolingRegion.objects.filter(code=region_code).first()
            if region is None:
                raise CommandError(f"unknown pooling region {region_code!r}; pass --admdvs")
            institution = Institution(fixmedins_code=code, name=name or code, region=region)
            try:
                institution.full_clean()
            except ValidationError as exc:
                raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from None
            institution.save()
            self.stdout.write(f"Created institution {institution}.")
        elif not institution.active:
            raise CommandError(f"{institution} is not active; activate it in the admin first.")
        api_key, key = api_key_issue(institution=institution, name=key_name)
        audit_record(actor=operator, subject=api_key, event="apikey.issued", channel="command",
                     region=institution.region_id, after={"prefix": api_key.prefix, "name": key_name})
        self.stdout.write(f"Issued key {api_key.prefix}… for {institution}. It is shown only now:")
        self.stdout.write(key)
