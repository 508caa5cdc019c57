"""Codes the settlement API answers with besides the paying notes of sharing/reasons.py.

API messages are read by institution staff at the counter; they are translated like every string
(Chinese by default, LANGUAGE_CODE).
"""

from django.utils.translation import gettext_lazy as _

from core.reasons import Reason

PATIENT_NOT_FOUND = Reason("PATIENT_NOT_FOUND", _("No insured person has this certificate number."),
                           _("Check the number against the patient's ID card or insurance code."))
SETTLEMENT_NOT_FOUND = Reason("SETTLEMENT_NOT_FOUND", _("This institution has no settlement with this id."))
REQUEST_ID_CONFLICT = Reason("REQUEST_ID_CONFLICT",
                             _("This request_id was already used with a different request body."),
                             _("Use a new request_id for a new request; repeat a request only unchanged."))
REFUND_EXCEEDS_PAID = Reason("REFUND_EXCEEDS_PAID",
                             _("The refund is more than what is left of the settlement (¥%(refundable)s)."))
CERT_TYPE_UNSUPPORTED = Reason("CERT_TYPE_UNSUPPORTED", _("This certificate type is not supported."),
                               _("Use 02 (resident ID number) or 01 (insurance code)."))
UNAUTHORIZED = Reason("UNAUTHORIZED", _("Missing, unknown or revoked API key."),
                      _("Send the header Authorization: Bearer <key>; ask the medical insurance bureau for a key."))
INVALID_JSON = Reason("INVALID_JSON", _("The request body is not a JSON object."))
INVALID_FIELD = Reason("INVALID_FIELD", _("Field %(field)s: %(problem)s"))
NOT_FOUND = Reason("NOT_FOUND", _("There is no such API endpoint."))
METHOD_NOT_ALLOWED = Reason("METHOD_NOT_ALLOWED", _("This method is not allowed here."))
RETRY = Reason("RETRY", _("A balance changed while this request was being settled; nothing was paid."),
               _("Send the same request again."))
RATE_LIMITED = Reason("RATE_LIMITED", _("Too many enquiries with this API key."),
                      _("Wait a minute and try again; ask the medical insurance bureau if your counters need more."))
