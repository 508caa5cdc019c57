"""Reason codes of the family account and its insurance codes (the sharing codes live in sharing/reasons.py)."""

from django.utils.translation import gettext_lazy as _

from core.reasons import Reason

FAMILY_LIMIT_REACHED = Reason(
    "FAMILY_LIMIT_REACHED",
    _("A family account can hold at most %(limit)s family members, including requests still waiting for an answer."),
    _("Remove a member (or withdraw a waiting request) first, then add the new one."),
)
FAMILY_ALREADY_ADDED = Reason(
    "FAMILY_ALREADY_ADDED",
    _("This person is already in your family account, or a request to add them is waiting for their answer."),
    _("See the list of members in your family account."),
)
FAMILY_SELF = Reason(
    "FAMILY_SELF",
    _("You cannot add yourself to your own family account."),
    _("Your own insurance code is under Family account → My own code."),
)
FAMILY_MINOR_PARENT_ONLY = Reason(
    "FAMILY_MINOR_PARENT_ONLY",
    _("A child under 16 can be added directly only by a parent (relationship: child)."),
    _("Ask a parent of the child to add them, online or at a service hall with the household register (户口簿)."),
)
FAMILY_MINOR_NEEDS_PROOF = Reason(
    "FAMILY_MINOR_NEEDS_PROOF",
    _("Online, a child under 16 can be added only by a parent who already shares with the child through family "
      "sharing (a signed commitment letter for this child, relationship: child)."),
    _("Bind the child for family sharing first and then add them here, or go to a service hall with the household "
      "register (户口簿) so that the staff can add the child."),
)
FAMILY_ALREADY_CHANGED = Reason(
    "FAMILY_ALREADY_CHANGED",
    _("This family-account entry has already changed (answered, withdrawn or removed)."),
    _("See your family account for its current state."),
)
CODE_EXPIRED = Reason(
    "CODE_EXPIRED",
    _("This insurance code has expired; a code is valid for about a minute, so a screenshot does not work."),
    _("Ask the patient (or the family member showing it) to refresh the code on the phone and scan again."),
)
CODE_USED = Reason(
    "CODE_USED",
    _("This insurance code has already been used once; a code cannot be used twice."),
    _("Ask for a fresh code on the phone and scan again."),
)
CODE_INVALID = Reason(
    "CODE_INVALID",
    _("This is not a valid insurance code (it was changed, cut short or made up)."),
    _("Scan the code again from the patient's phone, or settle with the patient's ID card."),
)
CODE_WITHDRAWN = Reason(
    "CODE_WITHDRAWN",
    _("The family member has been removed from this family account, so the code is no longer valid."),
    _("The patient can show their own code, or settle with their ID card."),
)
