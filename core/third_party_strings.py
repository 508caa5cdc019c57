"""Strings of packages that ship no Simplified Chinese (django-axes), listed here so that `make messages` keeps
them in our catalogue, which LOCALE_PATHS puts before the packages' own. Never imported; only extracted."""

from django.utils.translation import gettext_noop

AXES = [
    gettext_noop("Access Attempt"), gettext_noop("Access lock out"),
    gettext_noop("Account locked: too many login attempts. Please try again later."),
    gettext_noop("Attempt Remaining"), gettext_noop("Attempt Time"), gettext_noop("Clean up expired attempts"),
    gettext_noop("Expires At"), gettext_noop("Failed Logins"), gettext_noop("Form Data"), gettext_noop("GET Data"),
    gettext_noop("HTTP Accept"), gettext_noop("IP Address"), gettext_noop("Locked Out"),
    gettext_noop("Logout Time"), gettext_noop("Meta Data"), gettext_noop("Not set"), gettext_noop("POST Data"),
    gettext_noop("Path"), gettext_noop("Session key hash (sha256)"),
    gettext_noop("The time when access attempt expires and is no longer valid."), gettext_noop("User Agent"),
    gettext_noop("Username"), gettext_noop("access attempt"), gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"), gettext_noop("access attempts"), gettext_noop("access failure"),
    gettext_noop("access failures"), gettext_noop("access log"), gettext_noop("access logs"),
]

# Django 6.1's own new strings that its Simplified Chinese catalogue does not have yet.
DJANGO = [gettext_noop("- Select an option -"), gettext_noop("Filter by %(field_name)s")]
