"""Resident ID numbers (公民身份号码), GB 11643-1999.

18 characters: a 6-digit address code, an 8-digit birth date, a 3-digit
sequence (odd for men, even for women) and a check character (0-9 or X).

The address code is checked at province level only: a number issued decades
ago keeps the county code of that time even when the county has since been
merged or renamed, and such a citizen must never be told their ID is invalid.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Province-level codes (GB/T 2260), including Taiwan, Hong Kong and Macao,
# whose residents may hold mainland-issued residence permits with these codes.
PROVINCE_CODES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82",
}
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


def check_character(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalize(raw: str) -> str:
    """Strip spaces and upper-case a trailing x, as people type it."""
    return "".join(str(raw).split()).upper()


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: datetime.date
    sex: str  # "M" or "F"
    province_code: str


def parse(raw: str, *, today: datetime.date | None = None) -> IdInfo:
    """Return what the number says about its holder, or raise ValidationError."""
    number = normalize(raw)
    if not _SHAPE.match(number):
        raise ValidationError(
            _("A resident ID number has 18 characters: 17 digits and a final digit or X."), code="id_format"
        )
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(_("The first digits of this ID number are not a known region code."), code="id_region")
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("The birth date inside this ID number does not exist."), code="id_birth") from None
    today = today or datetime.date.today()
    if birth > today or birth.year < 1890:
        raise ValidationError(_("The birth date inside this ID number is not possible."), code="id_birth")
    if check_character(number[:17]) != number[17]:
        raise ValidationError(
            _("The last character of this ID number does not match the others. Please check it against the ID card."),
            code="id_check",
        )
    sex = "M" if int(number[16]) % 2 else "F"
    return IdInfo(number=number, birth_date=birth, sex=sex, province_code=number[:2])


def is_valid(raw: str) -> bool:
    try:
        parse(raw)
    except ValidationError:
        return False
    return True


def make(address_code: str, birth: datetime.date, sequence: int) -> str:
    """Build a valid number (used by demo data, tests and benchmarks)."""
    first17 = f"{address_code}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def mask(number: str) -> str:
    """Show the first 3 and last 4 characters only: 320***********1234."""
    if not number or len(number) < 8:
        return "*" * len(number or "")
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
