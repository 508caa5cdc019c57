from django.utils.translation import gettext_lazy as _

from core.reasons import Reason

PERSON_NOT_IN_REGISTRY = Reason(
    "PERSON_NOT_IN_REGISTRY",
    _("This ID number is not in the enrollment registry."),
    _("Enroll in basic medical insurance at the service hall of your pooling region (bring your ID card); "
      "if you enrolled in the last few days, try again tomorrow."),
)
NAME_MISMATCH = Reason(
    "NAME_MISMATCH",
    _("The name does not match the name registered for this ID number."),
    _("Type your name exactly as on your ID card. If it is right there, ask the service hall to correct the registry."),
)
ALREADY_REGISTERED = Reason(
    "ALREADY_REGISTERED",
    _("A web account already exists for this ID number."),
    _("Log in, or reset your password with an SMS code if you forgot it."),
)
MOBILE_IN_USE = Reason(
    "MOBILE_IN_USE",
    _("This mobile number already belongs to another web account."),
    _("Use your own mobile number, or ask the service hall for help."),
)
MOBILE_NOT_IN_REGISTRY = Reason(
    "MOBILE_NOT_IN_REGISTRY",
    _("No mobile number is registered with your insurance, so we cannot confirm it is you."),
    _("Add your mobile number at the service hall of your pooling region (bring your ID card), or register there."),
)
MOBILE_MISMATCH = Reason(
    "MOBILE_MISMATCH",
    _("This is not the mobile number registered with your insurance."),
    _("Use the mobile number you gave when enrolling (or your employer gave). To change it, go to the service hall "
      "with your ID card."),
)
OTP_DAILY_LIMIT = Reason(
    "OTP_DAILY_LIMIT",
    _("Too many codes were sent to this number today."),
    _("Try again tomorrow, or ask at a service hall."),
)
OTP_RESEND_TOO_SOON = Reason(
    "OTP_RESEND_TOO_SOON",
    _("A code was sent less than a minute ago."),
    _("Wait a minute, then ask for a new code."),
)
OTP_NOT_SENT = Reason("OTP_NOT_SENT", _("No code has been sent to this number yet."), _("Ask for a code first."))
OTP_EXPIRED = Reason("OTP_EXPIRED", _("This code has expired (codes are valid for 5 minutes)."), _("Ask for a new code."))
OTP_TOO_MANY_ATTEMPTS = Reason(
    "OTP_TOO_MANY_ATTEMPTS", _("The code was typed wrongly too many times."), _("Ask for a new code.")
)
OTP_WRONG = Reason("OTP_WRONG", _("The code is not correct."), _("Check the SMS and type the 6 digits again."))
SESSION_EXPIRED = Reason(
    "SESSION_EXPIRED", _("Your registration session has expired."), _("Please start again from the first step.")
)
LOGIN_FAILED = Reason(
    "LOGIN_FAILED",
    _("The ID number, mobile number or password is not correct."),
    _("Check them, or reset your password with an SMS code."),
)
ACCOUNT_DISABLED = Reason(
    "ACCOUNT_DISABLED", _("This account is disabled."), _("Please contact the service hall."),
)
LOGIN_THROTTLED = Reason(
    "LOGIN_THROTTLED",
    _("Too many wrong passwords for this account from your device."),
    _("Wait 15 minutes and try again, or reset your password with an SMS code."),
)
LOGIN_ADDRESS_THROTTLED = Reason(
    "LOGIN_ADDRESS_THROTTLED",
    _("Too many wrong passwords from your network for several accounts."),
    _("Wait 15 minutes and try again, or reset your password with an SMS code."),
)
REGISTRATION_THROTTLED = Reason(
    "REGISTRATION_THROTTLED",
    _("Too many registration attempts from your network or for this ID number."),
    _("Wait an hour and try again, or register at a service hall with your ID card."),
)
LOOKUP_THROTTLED = Reason(
    "LOOKUP_THROTTLED",
    _("You have looked up too many people today."),
    _("Try again tomorrow, or ask at a service hall."),
)
