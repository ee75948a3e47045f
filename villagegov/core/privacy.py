"""ID-card numbers (GB 11643-1999) and masking of personal data on public paper."""

from __future__ import annotations

import re
from datetime import date

from villagegov.core import clock

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")


def check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalise_id_number(text: str) -> str:
    """Strip spaces and take a lowercase x; the check character is always an upper-case X."""
    return re.sub(r"\s+", "", text).upper()


class IdNumberProblem(ValueError):
    """Why an ID number is not valid: 'format', 'birth_date' or 'check_digit'."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def id_birth_date(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def id_gender(number: str) -> str:
    """The 17th character is odd for men and even for women."""
    return "male" if int(number[16]) % 2 else "female"


def validate_id_number(text: str, today: date | None = None) -> str:
    """Return the normalised number or raise IdNumberProblem with the reason."""
    number = normalise_id_number(text)
    if not ID_PATTERN.match(number):
        raise IdNumberProblem("format")
    try:
        born = id_birth_date(number)
    except ValueError as exc:
        raise IdNumberProblem("birth_date") from exc
    if born.year < 1880 or born > (today or clock.today()):
        raise IdNumberProblem("birth_date")
    if check_char(number[:17]) != number[17]:
        raise IdNumberProblem("check_digit")
    return number


def make_id_number(area: str, born: date, sequence: int) -> str:
    """A valid number from its parts (demo data and tests); `sequence` is 3 digits, odd for men."""
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


# Default masking (a village setting): first 6 and last 4 of an ID number, first 3 and last 4
# of a mobile number. No national pattern exists; see DOMAIN.md.
def mask_id_number(number: str, keep_start: int = 6, keep_end: int = 4) -> str:
    if len(number) <= keep_start + keep_end:
        return "*" * len(number)
    return number[:keep_start] + "*" * (len(number) - keep_start - keep_end) + number[-keep_end:]


def mask_phone(number: str, keep_start: int = 3, keep_end: int = 4) -> str:
    digits = re.sub(r"\D", "", number)
    if len(digits) <= keep_start + keep_end:
        return "*" * len(digits)
    return digits[:keep_start] + "*" * (len(digits) - keep_start - keep_end) + digits[-keep_end:]


_ID_IN_TEXT = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def mask_text(text: str) -> str:
    """Mask every ID-card and mobile number found in free text meant for public paper."""
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0).upper()), text)
    return _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), text)


_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def normalise_phone(text: str) -> str | None:
    """A mobile (11 digits from 13…19) or landline (0xxx-xxxxxxx); None if it is neither."""
    compact = re.sub(r"[\s()（）]", "", text)
    if compact.startswith("+86"):
        compact = compact[3:]
    if _MOBILE.match(compact) or _LANDLINE.match(compact):
        return compact
    return None
