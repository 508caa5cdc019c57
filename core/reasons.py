"""A refusal always carries a stable code, a plain explanation and what to do next."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Reason:
    code: str
    message: str | Promise
    next_step: str | Promise = ""

    def text(self) -> str:
        return str(_("%(message)s %(next_step)s (reason code: %(code)s)") % {
            "message": self.message, "next_step": self.next_step, "code": self.code,
        }).replace("  ", " ")

    def with_detail(self, **values) -> "Reason":
        """The same code with placeholders in the message and next step filled in."""
        return Reason(self.code, str(self.message) % values if values else self.message,
                      str(self.next_step) % values if values and self.next_step else self.next_step)

    def as_validation_error(self) -> ValidationError:
        return ValidationError(self.text(), code=self.code)


class Refused(Exception):
    """Raised by services; views turn it into a message or a form error."""

    def __init__(self, reason: Reason):
        super().__init__(reason.code)
        self.reason = reason
