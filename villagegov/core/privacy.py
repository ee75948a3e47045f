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


# Numbers as people type them: ASCII or full-width digits (０-９), grouped by a single space (also the
# non-breaking and the ideographic one) or hyphen (also the full-width one) where people group them:
# an ID number 6-8-4, 6-4-4-4 or 4-4-4-4-2 (so at most after its 4th, 6th, ... 16th character); a
# mobile number 3-4-4, perhaps after +86, 0086, 86 or (+86). Only there: a looser pattern would take
# a row of small numbers on a notice for an ID or a phone number.
_DIGIT = "[0-9０-９]"
_SEP = "[ \u00a0\u3000\\-－]"
_NOT_ID_NEIGHBOUR = "[0-9０-９A-Za-zＡ-Ｚａ-ｚ]"
_ID_IN_TEXT = re.compile(
    rf"(?<!{_NOT_ID_NEIGHBOUR}){_DIGIT}{{4}}(?:{_SEP}?{_DIGIT}{{2}}){{6}}{_SEP}?{_DIGIT}[0-9０-９XxＸｘ]"
    rf"(?!{_NOT_ID_NEIGHBOUR})"
)
_MOBILE_IN_TEXT = re.compile(
    rf"(?<!{_DIGIT})(?P<prefix>(?:(?:[+＋]|00|００)?[8８][6６]|[(（][+＋]?[8８][6６][)）]){_SEP}?)?"
    rf"(?P<number>[1１][3-9３-９]{_DIGIT}{_SEP}?{_DIGIT}{{4}}{_SEP}?{_DIGIT}{{4}})(?!{_DIGIT})"
)
_SEPARATORS = re.compile(_SEP)


def mask_text(text: str) -> str:
    """Mask every ID-card and mobile number found in free text (public paper, the program's log),
    however it is spelt: plain, spaced, hyphenated, after +86, in full-width digits."""
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(_SEPARATORS.sub("", m.group(0)).upper()), text)
    return _MOBILE_IN_TEXT.sub(lambda m: (m.group("prefix") or "") + mask_phone(m.group("number")), text)


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
