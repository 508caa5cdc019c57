from ledger.memos import with_memos
from ledger.models import LedgerEntry, PersonalAccount
from registry.models import InsuredPerson


def my_insurance_summary(person: InsuredPerson, *, entries: int = 10) -> dict:
    person = InsuredPerson.objects.select_related("region__province").get(pk=person.pk)
    account = PersonalAccount.objects.filter(person=person).first()
    latest = with_memos(LedgerEntry.objects.filter(account=account).order_by("-id")[:entries]) if account else []
    return {"person": person, "account": account, "entries": latest}
