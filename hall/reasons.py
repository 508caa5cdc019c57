"""Why the counter refuses something (each with what to do next). The rules of sharing come from the engine."""

from django.utils.translation import gettext_lazy as _

from core.reasons import Reason

PERSON_NOT_IN_REGISTRY = Reason(
    "PERSON_NOT_IN_REGISTRY", _("No insured person has this ID number."),
    _("The citizen must first enroll in basic medical insurance."))
OUTSIDE_HALL_SCOPE = Reason(
    "OUTSIDE_HALL_SCOPE", _("This citizen is insured in another province."),
    _("Serve them at a hall of that province, or help them online."))
VISIT_ALREADY_OPEN = Reason(
    "VISIT_ALREADY_OPEN", _("You are already serving another citizen."),
    _("End that visit first: nothing of one citizen may stay on the screen for the next."))
ID_CARD_NOT_CHECKED = Reason(
    "ID_CARD_NOT_CHECKED", _("The ID card must be checked in person before anything is done for someone."),
    _("Check the ID card and tick it."))
DOCUMENT_NOT_CHECKED = Reason(
    "DOCUMENT_NOT_CHECKED", _("This needs the household register or the marriage certificate, checked in this visit."),
    _("Check the document in person and record it on the visit first."))
NOT_PRESENT = Reason(
    "NOT_PRESENT", _("The person who must agree is not identified in this visit."),
    _("Identify the relative present with their own ID card first."))
ADULT_AGREES_THEMSELVES = Reason(
    "ADULT_AGREES_THEMSELVES", _("An adult agrees to join a family account themselves."),
    _("Ask the family account holder to send a request; the adult answers it online or at the counter."))
