"""Resident ID numbers (公民身份号码), GB 11643-1999.

18 characters: a 6-digit address code, an 8-digit birth date, a 3-digit
sequence (odd for men, even for women) and a check character (0-9 or X).

The address code is checked at province level only: a number issued decades
ago keeps the county code of that time even when the county has since been
merged or renamed, and such a citizen must never be told their ID is invalid.

The same 18-character scheme (and check character) is used by
- residence permits of Hong Kong, Macao and Taiwan residents: address code 810000, 820000 or 830000;
- the foreigners' permanent residence ID card of 2023: first digit 9, then the 2-digit code of the
  province where it was issued, a 3-digit nationality code, the birth date, the sequence and the check.
Province code 71 (Taiwan in GB/T 2260) is not issued in any number.

A 15-digit number is a first-generation card's; it is no longer used and is refused with an
explanation of what to do rather than a complaint about its length.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Mainland province-level codes (GB/T 2260) that begin citizens' numbers.
MAINLAND_PROVINCE_CODES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65",
}
# Residence permits of Hong Kong (81), Macao (82) and Taiwan (83) residents. Never 71.
PERMIT_CODES = {"81", "82", "83"}
PROVINCE_CODES = MAINLAND_PROVINCE_CODES | PERMIT_CODES
FOREIGNER_MARK = "9"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$", re.ASCII)
_FIRST_GENERATION = re.compile(r"^\d{15}$", re.ASCII)


def check_character(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalize(raw: str) -> str:
    """Strip spaces, turn full-width digits and letters into ASCII and upper-case a trailing x, as people type it
    (a Chinese input method easily gives １２３ or ｘ)."""
    return "".join(unicodedata.normalize("NFKC", str(raw)).split()).upper()


class Kind:
    RESIDENT = "resident"  # 公民身份号码
    PERMIT = "permit"  # 港澳台居民居住证
    FOREIGNER = "foreigner"  # 外国人永久居留身份证 (2023)


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: datetime.date
    sex: str  # "M" or "F"
    province_code: str  # of the address; for a foreigner's card, of the province that issued it
    kind: str = Kind.RESIDENT


def parse(raw: str, *, today: datetime.date | None = None) -> IdInfo:
    """Return what the number says about its holder, or raise ValidationError."""
    number = normalize(raw)
    if _FIRST_GENERATION.match(number):
        raise ValidationError(
            _("This is a 15-digit number of a first-generation ID card, which is no longer used. Enter the 18-digit "
              "number of the current ID card; if the insurance records still hold the old number, have it converted "
              "at the service hall with the ID card or household register."),
            code="id_first_generation",
        )
    if not _SHAPE.match(number):
        raise ValidationError(
            _("A resident ID number has 18 characters: 17 digits and a final digit or X."), code="id_format"
        )
    if number[0] == FOREIGNER_MARK:
        kind, province = Kind.FOREIGNER, number[1:3]
        known = province in MAINLAND_PROVINCE_CODES
    else:
        province = number[:2]
        kind = Kind.PERMIT if province in PERMIT_CODES else Kind.RESIDENT
        known = province in PROVINCE_CODES
    if not known:
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
    return IdInfo(number=number, birth_date=birth, sex=sex, province_code=province, kind=kind)


def is_valid(raw: str) -> bool:
    try:
        parse(raw)
    except ValidationError:
        return False
    return True


# Middle dots people type between the parts of a name (买买提·艾力): the registry may hold any of them, or none.
_NAME_DOTS = str.maketrans("", "", "·•‧∙⋅・･.．")


def name_key(name: str) -> str:
    """A name as compared: full-width forms folded (NFKC), spaces and middle dots dropped, letters upper-cased."""
    return "".join(unicodedata.normalize("NFKC", str(name or "")).translate(_NAME_DOTS).split()).upper()


def same_name(typed: str, registered: str) -> bool:
    """Does the name typed match the registered one, whatever middle dot (or none) was typed?"""
    key = name_key(typed)
    return bool(key) and key == name_key(registered)


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
