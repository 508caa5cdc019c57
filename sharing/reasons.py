"""Every reason code of rules.md, with a plain explanation and what to do next.

The one catalogue every place that can refuse (wizard, hall, API, self-check,
officials' views) shows. Messages may carry %(name)s placeholders, filled in by
Reason.with_detail(). Add a new code here, never a private copy elsewhere.
"""

from django.utils.translation import gettext_lazy as _

from core.reasons import Reason

# Who may share with whom
AUTHORIZER_NOT_EMPLOYEE = Reason(
    "AUTHORIZER_NOT_EMPLOYEE",
    _("Only people insured under employee insurance have a personal account, so only they can share it."),
    _("Ask the family member who has employee insurance to bind you from their own account."),
)
AUTHORIZER_NOT_ENROLLED = Reason(
    "AUTHORIZER_NOT_ENROLLED",
    _("The authorizer's employee insurance is not active (suspended or ended), so the account cannot be shared."),
    _("Restore the enrollment through the employer or at the service hall of %(region)s, then try again."),
)
RELATION_NOT_ALLOWED = Reason(
    "RELATION_NOT_ALLOWED",
    _("This relationship may not share under the policy in force (%(policy)s): allowed are %(allowed)s."),
    _("Each person can be bound by their own children, parents or spouse instead."),
)
MEMBER_NOT_ENROLLED = Reason(
    "MEMBER_NOT_ENROLLED",
    _("The family member is not enrolled in basic medical insurance (employee or resident insurance)."),
    _("The family member must first enroll in resident or employee insurance at their local service hall; "
      "sharing can be bound once the enrollment is active."),
)
MEMBER_IDENTITY_MISMATCH = Reason(
    "MEMBER_IDENTITY_MISMATCH",
    _("The name and ID number given for the family member do not match one insured person in the registry."),
    _("Check the name and ID number against the family member's ID card (or household register for a child)."),
)
CROSS_REGION_NOT_ALLOWED = Reason(
    "CROSS_REGION_NOT_ALLOWED",
    _("You are insured in %(authorizer_region)s and the family member in %(member_region)s; "
      "%(province)s does not allow sharing between its cities."),
    _("Sharing works within the same pooling region. Ask the service hall whether the policy will change."),
)
CROSS_PROVINCE_NOT_ALLOWED = Reason(
    "CROSS_PROVINCE_NOT_ALLOWED",
    _("You are insured in %(authorizer_province)s and the family member in %(member_province)s; "
      "the policy in force does not allow sharing across provinces."),
    _("Sharing works within one province for now. The family member can be bound by a relative insured in "
      "their own province."),
)
OUTSIDE_VALIDITY = Reason(
    "OUTSIDE_VALIDITY",
    _("The binding is outside its validity period (%(valid_from)s to %(valid_until)s)."),
    _("Choose a start date no earlier than today and an end date after it, or bind again with new dates."),
)
SELF_BINDING = Reason(
    "SELF_BINDING", _("Nobody can bind themselves."), _("Enter the family member's own name and ID number."),
)
ALREADY_BOUND = Reason(
    "ALREADY_BOUND",
    _("You already have a sharing binding with this family member (pending or active)."),
    _("See your authorization records; unbind or withdraw the existing binding first if you want to change it."),
)
SECOND_SPOUSE = Reason(
    "SECOND_SPOUSE",
    _("You or the family member already take part in a spouse binding (given or received) that is pending, active "
      "or suspended; a person can have only one."),
    _("If it is yours, withdraw or unbind it in your authorization records first; if it is the family member's, "
      "it must be ended first, by them or at a service hall."),
)
RELATION_IMPLAUSIBLE = Reason(
    "RELATION_IMPLAUSIBLE",
    _("The dates of birth or the sexes in the two ID numbers do not fit this relationship (a spouse is of the "
      "other sex and of marriageable age: men 22, women 20)."),
    _("If the relationship is real, go to a service hall with both ID cards and the household register or "
      "marriage certificate; staff check documents and can bind for you."),
)

AUTHORIZER_NO_ACCOUNT = Reason(
    "AUTHORIZER_NO_ACCOUNT",
    _("The authorizer is insured under employee insurance but has no personal account, so there is no balance "
      "to share."),
    _("Ask the service hall of %(region)s to open the personal account (bring your ID card); sharing can be bound "
      "once it exists."),
)

# Consent (what the authorizer sees)
SPOUSE_CONSENT_PENDING = Reason(
    "SPOUSE_CONSENT_PENDING",
    _("The spouse has not answered yet; the binding works once they agree."),
    _("Ask your spouse to log in and open the consent inbox, or to answer at a service hall."),
)
SPOUSE_REFUSED = Reason(
    "SPOUSE_REFUSED", _("The spouse refused the binding."), _("Talk with your spouse; you may bind again later."),
)
CONSENT_EXPIRED = Reason(
    "CONSENT_EXPIRED",
    _("The spouse did not answer within %(days)s days, so the request expired."),
    _("Bind again and ask your spouse to answer in time."),
)

OFFICIAL_SUSPENSION = Reason(
    "OFFICIAL_SUSPENSION",
    _("The medical insurance office suspended this binding for cause; it does not pay meanwhile."),
    _("Ask at the service hall of the authorizer's pooling region, with your ID card; only the office can lift it."),
)

# The authorizer (or hall staff for them) ended the binding: no failure, shown as why a binding ended.
UNBOUND = Reason(
    "UNBOUND",
    _("The binding was ended by unbinding (at the authorizer's request)."),
    _("You can bind this family member again at any time under Family sharing → Bind account."),
)

# Paying
NOT_BOUND = Reason(
    "NOT_BOUND",
    _("There is no active sharing binding in which this person is the family member."),
    _("The worker with employee insurance must bind the family member under Family sharing → Bind account."),
)
BINDING_SUSPENDED = Reason(
    "BINDING_SUSPENDED",
    _("The sharing binding is suspended because a rule no longer holds."),
    _("It comes back by itself once the enrollment is active again; the service hall can tell you more."),
)
PATIENT_NOT_ENROLLED = Reason(
    "PATIENT_NOT_ENROLLED",
    _("The patient's basic medical insurance is not active (suspended or ended), so no insurance account pays."),
    _("The patient pays in cash; to be covered again, restore the enrollment at the service hall of the "
      "pooling region."),
)
SHARED_BALANCE_ZERO = Reason(
    "SHARED_BALANCE_ZERO",
    _("The authorizer's personal account balance is ¥0.00, so it cannot pay."),
    _("Pay the rest in cash; the account can pay again after the next monthly credit."),
)
SHARED_BALANCE_BELOW_FLOOR = Reason(
    "SHARED_BALANCE_BELOW_FLOOR",
    _("Only the part of the authorizer's balance above ¥%(floor)s may be shared, so this account pays at most "
      "that part (nothing while the balance is not above ¥%(floor)s)."),
    _("Pay the rest in cash."),
)
SHARED_CAP_REACHED = Reason(
    "SHARED_CAP_REACHED",
    _("Under the policy in force, shared accounts together pay at most ¥%(cap)s per payment for one member."),
    _("Pay the rest in cash."),
)
SINGLE_AUTHORIZER = Reason(
    "SINGLE_AUTHORIZER",
    _("The policy in force lets one settlement draw on one authorizer only."),
    _("Pay the rest in cash."),
)
FAMILY_ACCOUNT_ONLY = Reason(
    "FAMILY_ACCOUNT_ONLY",
    _("The patient is only in a family account (亲情账户), which shows their own insurance code; it does not share "
      "anyone's personal account."),
    _("To let your account pay for them, bind family sharing under Family sharing → Bind account."),
)

# Life cycle: the binding moved on since the page was shown (answered twice, unbound twice, ...)
BINDING_STATE_CHANGED = Reason(
    "BINDING_STATE_CHANGED",
    _("This binding has changed in the meantime; its status is now: %(status)s."),
    _("See your authorization records for where it stands now."),
)

# Binding life: why a binding ended by itself, or who ended it
INSURANCE_RELATIONSHIP_CHANGED = Reason(
    "INSURANCE_RELATIONSHIP_CHANGED",
    _("An insurance relationship of this binding changed (pooling region, insurance type, or enrollment ended); "
      "under the policy that governed the binding, it ends by itself."),
    _("If the rules allow it under the new insurance relationship, the authorizer can bind again."),
)
ENDED_BY_MEMBER = Reason(
    "ENDED_BY_MEMBER",
    _("The family member ended this binding."),
    _("The authorizer can bind again if both sides agree."),
)

# Sharing quotas (共济额度), the 2026 rules
QUOTA_EXHAUSTED = Reason(
    "QUOTA_EXHAUSTED",
    _("This binding shares through a quota that the authorizer set aside, and nothing of it is left (¥0.00)."),
    _("Ask the authorizer to top up the quota in their authorization records; meanwhile pay the rest in cash."),
)
QUOTA_NOT_USED = Reason(
    "QUOTA_NOT_USED",
    _("Under the policy in force this binding shares the live balance of the account, not a quota."),
    _("Nothing to set aside: the account pays for the family member as it is."),
)
QUOTA_OVER_BALANCE = Reason(
    "QUOTA_OVER_BALANCE",
    _("A quota can only be set aside from what the account may share now: at most ¥%(available)s."),
    _("Enter a smaller amount."),
)
QUOTA_REDUCE_OVER_LEFT = Reason(
    "QUOTA_REDUCE_OVER_LEFT",
    _("Only the unused part of the quota can be taken back: ¥%(left)s."),
    _("Enter a smaller amount."),
)
QUOTA_AMOUNT_NOT_POSITIVE = Reason(
    "QUOTA_AMOUNT_NOT_POSITIVE",
    _("The amount must be more than ¥0.00."),
    _("Enter an amount in yuan, for example 500.00."),
)
QUOTA_BINDING_NOT_ACTIVE = Reason(
    "QUOTA_BINDING_NOT_ACTIVE",
    _("A quota can be granted or topped up only for an active binding."),
    _("See your authorization records for where the binding stands."),
)

# Paying relatives' premiums (rules.md, "Premiums")
PREMIUM_NOT_ALLOWED = Reason(
    "PREMIUM_NOT_ALLOWED",
    _("The policy in force in your pooling region (%(policy)s) does not let a personal account pay premiums."),
    _("Pay the premium in cash through the usual channels (tax office app, bank or the service hall)."),
)
PREMIUM_ALREADY_PAID = Reason(
    "PREMIUM_ALREADY_PAID",
    _("You have already paid this premium (%(ref)s)."),
    _("Nothing more to pay: see the receipt in your messages."),
)
PREMIUM_PAID_BY_OTHER = Reason(
    "PREMIUM_PAID_BY_OTHER",
    _("This premium has already been paid by someone else."),
    _("Nothing more to pay. A premium is paid only once."),
)
PREMIUM_PAST_DUE = Reason(
    "PREMIUM_PAST_DUE",
    _("The due date of this premium (%(due_date)s) has passed, so it can no longer be paid online."),
    _("Ask the service hall of the family member's pooling region whether it can still be paid."),
)
PREMIUM_BALANCE_TOO_LOW = Reason(
    "PREMIUM_BALANCE_TOO_LOW",
    _("Your personal account's balance (¥%(balance)s) is less than the premium (¥%(amount)s)."),
    _("Pay the premium in cash, or after the next monthly credit."),
)

ALL = {r.code: r for r in list(globals().values()) if isinstance(r, Reason)}
