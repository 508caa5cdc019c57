from django.db.models import Q, Sum

from ledger.memos import with_memos
from ledger.models import LedgerEntry, PersonalAccount
from registry.models import InsuredPerson


def my_insurance_summary(person: InsuredPerson, *, entries: int = 10) -> dict:
    person = InsuredPerson.objects.select_related("region__province").get(pk=person.pk)
    # With what is set aside as sharing quotas (共济额度): still the person's money, no longer spendable by them.
    account = (PersonalAccount.objects.filter(person=person)
               .annotate(reserved=Sum("reserves__balance", filter=Q(reserves__closed_at__isnull=True))).first())
    entries_qs = LedgerEntry.objects.filter(account=account, reserve__isnull=True).order_by("-id")[:entries]
    latest = with_memos(entries_qs) if account else []
    return {"person": person, "account": account, "entries": latest, "reserved": account and account.reserved}
