"""ID-card numbers (GB 11643-1999) and masking of personal data on paper.

Every printed document goes through `mask_public` (printing/document.py masks each text of a paper
by its `Audience`): ID-card, bank card, mobile and landline numbers however they are typed, spaced,
hyphenated, after +86, in full-width digits. A village's published contacts print in full.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
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


def mask_text(text: str) -> str:
    """Mask every ID-card, bank card and phone number in free text, however written (the default rule)."""
    return mask_public(text)


_WHOLE_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_WHOLE_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def normalise_phone(text: str) -> str | None:
    """A mobile (11 digits from 13…19) or landline (0xxx-xxxxxxx); None if it is neither."""
    compact = re.sub(r"[\s()（）]", "", text)
    if compact.startswith("+86"):
        compact = compact[3:]
    if _WHOLE_MOBILE.match(compact) or _WHOLE_LANDLINE.match(compact):
        return compact
    return None


# --- masking on paper ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MaskRule:
    """How much of a number shows on public paper (*default* DOMAIN.md: 110105********1234, 138****5678).

    A village may show less, never more: keep_start + keep_end is at most the default's.
    """

    id_keep_start: int = 6
    id_keep_end: int = 4
    phone_keep_start: int = 3
    phone_keep_end: int = 4


DEFAULT_MASK = MaskRule()
MAX_ID_KEPT = DEFAULT_MASK.id_keep_start + DEFAULT_MASK.id_keep_end
MAX_PHONE_KEPT = DEFAULT_MASK.phone_keep_start + DEFAULT_MASK.phone_keep_end


# Full-width digits and X are matched too, and the ideographic space, full-width plus and the other
# hyphens as separators (one character for one, so positions carry over to the original).
_NUMBER_FORMS = str.maketrans("０１２３４５６７８９Ｘｘ－（）　＋‐‑‒–−﹣", "0123456789XX-() +------")
# An 18-character ID number with the shape GB 11643 gives it (17 digits, then a digit or X), also
# written in groups 6-8-4 or 6-4-4-4 with spaces or hyphens. The check digit is not required: a
# mistyped number still belongs to someone and must not be printed.
_ID = re.compile(r"(?<!\d)\d{6}[ -]?\d{4}[ -]?\d{4}[ -]?\d{3}[\dXx](?![\dXx])")
# A bank card number (a subsidy list's 一卡通 account): 16 to 19 digits, whole or in groups of four.
# An account is sensitive personal information (PIPL Art. 28); it shows as an ID number does, at most
# the first 6 and last 4 digits (the most a card number shows anywhere: PCI DSS 3.3, banks'
# statements). An 18-digit card is taken by _ID first, with the same result. No Luhn check, as with
# IDs: a mistyped number still belongs to someone.
_CARD = re.compile(r"(?<![\dXx])(?:\d{16,19}|\d{4}(?:[ -]\d{4}){3}(?:[ -]\d{1,3})?)(?![\dXx])")
# A mainland mobile number, 1[3-9] and 9 more digits, also +86 / 86 before it and 3-4-4 groups.
_MOBILE = re.compile(r"(?<!\d)(?:(?:\+|00)?86[ -]?)?(1[3-9]\d[ -]?\d{4}[ -]?\d{4})(?!\d)")
# A landline: area code 0 + 2 or 3 digits (in brackets, or followed by a hyphen or a space, or
# not), then a 7- or 8-digit subscriber number.
_LANDLINE = re.compile(r"(?<![\d-])(\(0\d{2,3}\)|0\d{2,3})([ -]?)(\d{7,8})(?![\d-])")
MIN_HIDDEN_LANDLINE = 4  # a landline hides at least 4 digits of its subscriber number, as a mobile does


def phone_key(text: str) -> str:
    """A phone number's digits alone, without a leading 86 (for comparing numbers however written)."""
    digits = re.sub(r"\D", "", text.translate(_NUMBER_FORMS))
    if len(digits) == 13 and digits.startswith("86"):
        return digits[2:]
    return digits


def _mask_span(chars: list[str], normal: str, start: int, end: int, keep_start: int, keep_end: int) -> None:
    positions = [i for i in range(start, end) if normal[i].isdigit() or normal[i] in "Xx"]
    for i in positions[keep_start : len(positions) - keep_end]:
        chars[i] = "*"


def mask_public(text: str, rule: MaskRule = DEFAULT_MASK, public: Iterable[str] = ()) -> str:
    """Mask every ID-card number, bank card number, mobile and landline number anywhere in `text`
    (names and the rest stay). `public` numbers are the village's own published contacts (the
    supervisory committee's phone): they print in full."""
    if not text:
        return text
    keep = {phone_key(p) for p in public if p.strip()}
    chars = list(text)
    normal = text.translate(_NUMBER_FORMS)
    for match in _ID.finditer(normal):
        _mask_span(chars, normal, match.start(), match.end(), rule.id_keep_start, rule.id_keep_end)
    normal = "".join(chars).translate(_NUMBER_FORMS)
    for match in _CARD.finditer(normal):
        _mask_span(chars, normal, match.start(), match.end(), rule.id_keep_start, rule.id_keep_end)
    normal = "".join(chars).translate(_NUMBER_FORMS)
    for match in _MOBILE.finditer(normal):
        if phone_key(match.group(1)) not in keep:
            _mask_span(
                chars, normal, match.start(1), match.end(1), rule.phone_keep_start, rule.phone_keep_end
            )
    normal = "".join(chars).translate(_NUMBER_FORMS)
    for match in _LANDLINE.finditer(normal):
        if phone_key(match.group(0)) in keep:
            continue
        subscriber = match.group(3)
        shown = max(0, min(rule.phone_keep_end, len(subscriber) - MIN_HIDDEN_LANDLINE))
        _mask_span(chars, normal, match.start(3), match.end(3), 0, shown)
    return "".join(chars)


def personal_numbers(text: str, public: Iterable[str] = ()) -> list[str]:
    """The unmasked ID-card, bank card, mobile and landline numbers in `text` (for checks: a public
    document has none, besides the village's own `public` contact numbers)."""
    keep = {phone_key(p) for p in public if p.strip()}
    normal = text.translate(_NUMBER_FORMS)
    found = [m.group(0) for m in _ID.finditer(normal)]
    rest = _ID.sub(" ", normal)
    found += [m.group(0) for m in _CARD.finditer(rest)]
    rest = _CARD.sub(" ", rest)
    found += [m.group(1) for m in _MOBILE.finditer(rest) if phone_key(m.group(1)) not in keep]
    rest = _MOBILE.sub(" ", rest)
    found += [m.group(0) for m in _LANDLINE.finditer(rest) if phone_key(m.group(0)) not in keep]
    return found


class Audience(enum.Enum):
    """Who a paper is for, which decides whether its personal numbers print in full."""

    PUBLIC = "public"  # posted on the board or handed about: every number masked, always
    ON_FILE = "on_file"  # kept in the village's files: masked unless the village chose otherwise


@dataclass(frozen=True)
class Masking:
    """How a village masks numbers on its paper: its rule, its own published contacts (the supervisory
    committee's phone, the offices' numbers), which print in full, and whether papers kept on file
    are masked too (the default: yes)."""

    rule: MaskRule = DEFAULT_MASK
    published: tuple[str, ...] = ()
    on_file: bool = True

    def masks(self, audience: Audience) -> bool:
        return audience is Audience.PUBLIC or self.on_file

    def __call__(self, text: str) -> str:
        return mask_public(text, self.rule, self.published)


DEFAULT_MASKING = Masking()
