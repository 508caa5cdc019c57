"""Paying a premium due from a personal account (rules.md, "Premiums"), as a pure function.

The member need not be enrolled (paying is how they enroll): MEMBER_NOT_ENROLLED is never a finding here. The
policy in force in the payer's pooling region decides (as for bindings). A premium is paid at most once and never
after its due date.
"""

import datetime
from decimal import Decimal

from sharing import reasons
from sharing.eligibility.binding import authorizer_side_findings, relation_findings, relation_plausible

SELF = "self"


def premium_findings(*, payer, member, relation: str, due, policy, balance: Decimal | None, on: datetime.date,
                     paid_by=None, paid_reference: str = "") -> list:
    """Every reason `payer` may not pay `due` (for `member`, who is their `relation`, or themselves: "self") now.

    `paid_by` is whoever already paid the due (None: unpaid), with the payment's reference."""
    found = list(authorizer_side_findings(payer))
    if not policy.premiums_payable:
        found.append(reasons.PREMIUM_NOT_ALLOWED.with_detail(policy=policy.title))
    if relation == SELF:
        if member.pk != payer.pk:
            found.append(reasons.RELATION_NOT_ALLOWED.with_detail(policy=policy.title, allowed="—"))
    else:
        found += relation_findings(relation, policy)
        if member.pk == payer.pk:
            found.append(reasons.SELF_BINDING)
        elif not relation_plausible(authorizer=payer, member=member, relation=relation, on=on):
            found.append(reasons.RELATION_IMPLAUSIBLE)
    if paid_by is not None:
        found.append(reasons.PREMIUM_ALREADY_PAID.with_detail(ref=paid_reference) if paid_by.pk == payer.pk
                     else reasons.PREMIUM_PAID_BY_OTHER)
    elif due.due_date < on:
        found.append(reasons.PREMIUM_PAST_DUE.with_detail(due_date=due.due_date.isoformat()))
    elif balance is not None and balance < due.amount:
        found.append(reasons.PREMIUM_BALANCE_TOO_LOW.with_detail(balance=f"{balance:.2f}",
                                                                  amount=f"{due.amount:.2f}"))
    return found
