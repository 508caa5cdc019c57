"""What a hall counter adds to a binding: the one override staff may make (rules.md, RELATION_IMPLAUSIBLE).

A relationship that only looks implausible online (step-parents, late children, a marriage registered abroad)
may be confirmed by hall staff who saw the household register or the marriage certificate in person. No other
refusal can be overridden: `applies_to` is true only when RELATION_IMPLAUSIBLE is the *only* reason found.
"""

from dataclasses import dataclass

from core.reasons import Reason
from sharing.eligibility.binding import overridable_by_documents

# The documents that prove a relationship (hall.Visit records which were checked).
HOUSEHOLD_REGISTER = "household_register"
MARRIAGE_CERTIFICATE = "marriage_certificate"
OVERRIDE_DOCUMENTS = (HOUSEHOLD_REGISTER, MARRIAGE_CERTIFICATE)


@dataclass(frozen=True)
class RelationOverride:
    staff: object
    document: str
    note: str

    def __post_init__(self):
        if self.staff is None or not getattr(self.staff, "is_hall_staff", False):
            raise ValueError("only hall staff can confirm a relationship")
        if self.document not in OVERRIDE_DOCUMENTS:
            raise ValueError("a relationship is confirmed only with the household register or marriage certificate")
        if not self.note.strip():
            raise ValueError("an override needs a note")

    @staticmethod
    def applies_to(found: list[Reason]) -> bool:
        return overridable_by_documents(found)

    def fields(self) -> dict:
        return {"override_document": self.document, "override_note": self.note.strip(), "override_staff": self.staff}
