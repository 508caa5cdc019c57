"""Paying a premium due from a personal account (rules.md, "Premiums"): atomic, audited, both sides told.

Exactly once: the due's row is locked first (a second submission at the same moment waits, then finds it paid),
and the one-to-one between a due and its payment is the database's guarantee. Then the payer's account is locked
and one ledger entry pays the premium. A paid premium is never refunded online.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from ledger.models import LedgerEntry, PersonalAccount
from ledger.services import entry_post
from notifications.services import notify
from registry.models import InsuredPerson, PremiumDue
from registry.policy import policy_in_force
from sharing.changes import BindingRefused
from sharing.eligibility.premium import premium_findings
from sharing.models import PremiumPayment
from sharing.services import new_reference


def premium_check(*, payer: InsuredPerson, due: PremiumDue, relation: str) -> list:
    """What stops `payer` paying `due` now (no locks): shown on the check-answers page before the password."""
    account = PersonalAccount.objects.filter(person=payer).first()
    paid = PremiumPayment.objects.filter(due=due).select_related("payer").first()
    return premium_findings(payer=payer, member=due.person, relation=relation, due=due,
                            policy=policy_in_force(payer.region), balance=account.balance if account else None,
                            on=timezone.localdate(), paid_by=paid.payer if paid else None,
                            paid_reference=paid.reference if paid else "")


@transaction.atomic
def premium_pay(*, payer: InsuredPerson, due: PremiumDue, relation: str, actor, channel: str = "online") -> PremiumPayment:
    """Pay `due` from `payer`'s account, or raise BindingRefused with every reason the engine gives."""
    due = PremiumDue.objects.select_for_update(of=("self",)).select_related("person", "region").get(pk=due.pk)
    account = PersonalAccount.objects.select_for_update().filter(person=payer).first()
    paid = PremiumPayment.objects.filter(due=due).select_related("payer").first()
    found = premium_findings(payer=payer, member=due.person, relation=relation, due=due,
                             policy=policy_in_force(payer.region), balance=account.balance if account else None,
                             on=timezone.localdate(), paid_by=paid.payer if paid else None,
                             paid_reference=paid.reference if paid else "")
    if found:
        raise BindingRefused(found)
    reference = new_reference().replace("GJ", "JF", 1)
    entry = entry_post(account=account, amount=-due.amount, kind=LedgerEntry.Kind.PREMIUM, reference=reference,
                       memo=(_("%(kind)s %(year)s for %(name)s") % {
                           "kind": due.get_kind_display(), "year": due.year, "name": due.person.name})[:200])
    payment = PremiumPayment.objects.create(reference=reference, due=due, payer=payer, relation=relation,
                                            account=account, amount=due.amount, ledger_entry=entry, channel=channel)
    audit_record(actor=actor, subject=payment, event="premium.paid", channel=channel, after={
        "reference": reference, "due": due.pk, "kind": due.kind, "year": due.year, "amount": f"{due.amount:.2f}",
        "member": due.person.masked_certno, "relation": relation})
    params = {"kind": due.get_kind_display(), "year": due.year, "amount": f"{due.amount:.2f}",
              "name": due.person.name, "payer": payer.name, "ref": reference}
    link = reverse("sharing:premium_receipt", args=[payment.pk])
    notify(person=payer, title=_("Premium paid"), link=link,
           body=_("You paid the %(kind)s %(year)s of %(name)s, ¥%(amount)s, from your personal account. Reference "
                  "%(ref)s.") % params)
    if due.person_id != payer.pk:
        notify(person=due.person, title=_("Your premium was paid"), link=link,
               body=_("%(payer)s paid your %(kind)s %(year)s, ¥%(amount)s, from their personal account. Reference "
                      "%(ref)s.") % params)
    return payment
