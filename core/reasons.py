"""A refusal always carries a stable code, a plain explanation and what to do next."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.functional import Promise

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class Reason:
    code: str
    message: str | Promise
    next_step: str | Promise = ""
    # Once with_detail() filled the placeholders: the message before and the values, so a text kept for later (an
    # in-site message) can be rendered again in its reader's language.
    detail: tuple = field(default=(), compare=False, repr=False)

    def text(self) -> str:
        """The message and the next step, for a citizen (the code stays in the API and the staff views)."""
        return " ".join(str(part) for part in (self.message, self.next_step) if part)

    @property
    def placeholders(self) -> set[str]:
        """The %(name)s placeholders still to be filled in (none once with_detail() filled them)."""
        return set(PLACEHOLDER.findall(f"{self.message} {self.next_step}"))

    def with_detail(self, **values) -> "Reason":
        """The same code with placeholders in the message and next step filled in."""
        return Reason(self.code, str(self.message) % values if values else self.message,
                      str(self.next_step) % values if values and self.next_step else self.next_step,
                      detail=(self.message, values) if values else ())

    def as_validation_error(self) -> ValidationError:
        return ValidationError(self.text(), code=self.code)


class Refused(Exception):
    """Raised by services; views turn it into a message or a form error."""

    def __init__(self, reason: Reason):
        super().__init__(reason.code)
        self.reason = reason
