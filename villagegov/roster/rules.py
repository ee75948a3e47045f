"""What makes a roster entry valid. Pure: no database, no Qt."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from villagegov.accounts import rules as access
from villagegov.core import voting
from villagegov.core.actions import Allowed, Refusal, refuse
from villagegov.core.errors import ValidationError
from villagegov.core.i18n import N_, _
from villagegov.core.privacy import (
    IdNumberProblem,
    id_birth_date,
    id_gender,
    normalise_phone,
    validate_id_number,
)

MALE, FEMALE = "male", "female"
GENDERS = (MALE, FEMALE)
GENDER_LABELS = {MALE: N_("Male"), FEMALE: N_("Female")}

HEAD = "head"
RELATIONS = ("head", "spouse", "child", "child_in_law", "parent", "grandchild", "sibling", "other")
RELATION_LABELS = {
    "head": N_("Head of household"),
    "spouse": N_("Spouse"),
    "child": N_("Child"),
    "child_in_law": N_("Child-in-law"),
    "parent": N_("Parent"),
    "grandchild": N_("Grandchild"),
    "sibling": N_("Sibling"),
    "other": N_("Other relative"),
}

ID_PROBLEMS = {
    "format": N_("The ID-card number {number} is not 17 digits followed by a digit or X."),
    "birth_date": N_("The ID-card number {number} holds an impossible birth date."),
    "check_digit": N_("The ID-card number {number} has a wrong check digit."),
}


def gender_label(gender: str) -> str:
    return _(GENDER_LABELS[gender])


def relation_label(relation: str) -> str:
    return _(RELATION_LABELS[relation])


@dataclass(frozen=True)
class VillagerInput:
    """One villager as a form or an import row gives it; `gender`/`birth_date` may come from the ID."""

    name: str
    household_id: int
    relation: str
    gender: str | None = None
    birth_date: date | None = None
    id_number: str | None = None
    phone: str = ""
    party_member: bool = False
    representative: bool = False
    representative_term_start: date | None = None
    representative_term_end: date | None = None
    notes: str = ""


def check_id_number(text: str, today: date) -> str:
    try:
        return validate_id_number(text, today)
    except IdNumberProblem as exc:
        raise ValidationError(ID_PROBLEMS[exc.reason], field="id_number", number=text.strip()) from exc


def control_character(text: str, allowed: str = "") -> str | None:
    """The first invisible control or format character in `text` (NUL, a zero-width space, a direction
    mark…), as U+XXXX; None when there is none. Such characters come from broken files and pasted
    text, print as nothing, and make two equal-looking names differ."""
    for ch in text:
        if ch not in allowed and unicodedata.category(ch) in ("Cc", "Cf", "Cs"):
            return f"U+{ord(ch):04X}"
    return None


def id_facts(text: str, today: date) -> tuple[date, str] | None:
    """The birth date and gender a whole, valid ID-card number holds; None while it is not one (empty,
    still being typed, or wrong). The villager form fills its fields from it as the number is typed."""
    try:
        number = validate_id_number(text, today)
    except IdNumberProblem:
        return None
    return id_birth_date(number), id_gender(number)


def check_villager(data: VillagerInput, today: date) -> VillagerInput:
    """Return the entry cleaned (ID normalised, gender and birth date taken from it) or raise."""
    name = re.sub(r"\s+", "", data.name)
    if not name:
        raise ValidationError(N_("Please enter the villager's name."), field="name")
    code = control_character(name)
    if code is not None:
        raise ValidationError(
            N_("The name holds an invisible control character ({code}); type the name again."),
            field="name", code=code,
        )  # fmt: skip
    code = control_character(data.notes, allowed="\t\n\r")
    if code is not None:
        raise ValidationError(
            N_("The notes hold an invisible control character ({code}); type them again."),
            field="notes", code=code,
        )  # fmt: skip
    if len(name) > 30:
        raise ValidationError(N_("The name {name} is longer than 30 characters."), field="name", name=name)
    if data.relation not in RELATIONS:
        raise ValidationError(
            N_("Unknown relation to the head of household: {value}"), field="relation", value=data.relation
        )
    gender, born, number = data.gender, data.birth_date, None
    if data.id_number and data.id_number.strip():
        number = check_id_number(data.id_number, today)
        id_born, id_sex = id_birth_date(number), id_gender(number)
        if born is not None and born != id_born:
            raise ValidationError(
                N_("The birth date {date} does not match the ID-card number, which says {id_date}."),
                field="birth_date",
                date=born.isoformat(),
                id_date=id_born.isoformat(),
            )
        if gender is not None and gender != id_sex:
            raise ValidationError(
                N_("The gender does not match the ID-card number, which says {gender}."),
                field="gender",
                gender=gender_label(id_sex),
            )
        born, gender = id_born, id_sex
    if gender not in GENDERS:
        raise ValidationError(N_("Please choose the gender."), field="gender")
    if born is None:
        raise ValidationError(N_("Please enter the birth date."), field="birth_date")
    if born > today:
        raise ValidationError(
            N_("The birth date {date} is in the future."), field="birth_date", date=born.isoformat()
        )
    phone = ""
    if data.phone.strip():
        cleaned = normalise_phone(data.phone)
        if cleaned is None:
            raise ValidationError(
                N_("{phone} is not a mobile or landline number."), field="phone", phone=data.phone.strip()
            )
        phone = cleaned
    start, end = data.representative_term_start, data.representative_term_end
    if data.representative:
        if start is None:
            raise ValidationError(
                N_("Please enter when the representative's term starts."), field="representative_term_start"
            )
        if end is not None and end < start:
            raise ValidationError(
                N_("The representative's term ends before it starts."), field="representative_term_end"
            )
    else:
        start = end = None
    return replace(
        data, name=name, gender=gender, birth_date=born, id_number=number, phone=phone,
        representative_term_start=start, representative_term_end=end, notes=data.notes.strip(),
    )  # fmt: skip


def check_group_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise ValidationError(N_("Please enter the villager group's name."), field="name")
    if len(cleaned) > 30:
        raise ValidationError(N_("A group name has at most 30 characters."), field="name")
    code = control_character(cleaned)
    if code is not None:
        raise ValidationError(
            N_("The group's name holds an invisible control character ({code}); type it again."),
            field="name", code=code,
        )  # fmt: skip
    return cleaned


def check_household_number(number: str) -> str:
    cleaned = number.strip()
    if not cleaned:
        raise ValidationError(N_("Please enter the household number."), field="number")
    if len(cleaned) > 30:
        raise ValidationError(N_("A household number has at most 30 characters."), field="number")
    code = control_character(cleaned)
    if code is not None:
        raise ValidationError(
            N_("The household number holds an invisible control character ({code}); type it again."),
            field="number", code=code,
        )  # fmt: skip
    return cleaned


def check_address(address: str) -> str:
    cleaned = address.strip()
    code = control_character(cleaned)
    if code is not None:
        raise ValidationError(
            N_("The address holds an invisible control character ({code}); type it again."),
            field="address", code=code,
        )  # fmt: skip
    return cleaned


def check_village(name: str, township: str, county: str) -> tuple[str, str, str]:
    parts = (name.strip(), township.strip(), county.strip())
    labels = ("name", "township", "county")
    messages = (
        N_("Please enter the village's name."),
        N_("Please enter the township."),
        N_("Please enter the county."),
    )
    for value, fld, msg in zip(parts, labels, messages, strict=True):
        if not value:
            raise ValidationError(msg, field=fld)
    return parts


# --- reading values from a roster file ----------------------------------------------------

_TRUE = {"是", "√", "✓", "y", "yes", "true", "1", "党员", "代表"}
_FALSE = {"", "否", "×", "n", "no", "false", "0", "-"}
_GENDER_WORDS = {"男": MALE, "m": MALE, "male": MALE, "女": FEMALE, "f": FEMALE, "female": FEMALE}
_RELATION_WORDS = {
    "户主": "head", "本人": "head",
    "配偶": "spouse", "妻": "spouse", "夫": "spouse", "妻子": "spouse", "丈夫": "spouse", "爱人": "spouse",
    "老伴": "spouse", "老婆": "spouse", "老公": "spouse",
    "子": "child", "女": "child", "儿子": "child", "女儿": "child", "子女": "child", "长子": "child",
    "次子": "child", "三子": "child", "四子": "child", "五子": "child", "独生子": "child", "长女": "child",
    "次女": "child", "三女": "child", "四女": "child", "五女": "child", "独生女": "child", "养子": "child",
    "养女": "child", "继子": "child", "继女": "child",
    "儿媳": "child_in_law", "儿媳妇": "child_in_law", "女婿": "child_in_law", "儿媳/女婿": "child_in_law",
    "女婿/儿媳": "child_in_law", "子女配偶": "child_in_law",
    "父亲": "parent", "母亲": "parent", "父": "parent", "母": "parent", "父母": "parent", "爸爸": "parent",
    "妈妈": "parent", "公公": "parent", "婆婆": "parent", "岳父": "parent", "岳母": "parent",
    "继父": "parent", "继母": "parent", "养父": "parent", "养母": "parent",
    "孙子": "grandchild", "孙女": "grandchild", "外孙": "grandchild", "外孙子": "grandchild",
    "外孙女": "grandchild", "孙子女": "grandchild", "外孙子女": "grandchild", "孙儿": "grandchild",
    "兄": "sibling", "弟": "sibling", "姐": "sibling", "妹": "sibling", "哥哥": "sibling", "弟弟": "sibling",
    "姐姐": "sibling", "妹妹": "sibling", "兄弟": "sibling", "姐妹": "sibling", "兄弟姐妹": "sibling",
    "其他": "other", "其他亲属": "other",
    # English: the stored values and the English labels, as a roster written in English has them.
    "child-in-law": "child_in_law", "son-in-law": "child_in_law", "daughter-in-law": "child_in_law",
    "grandson": "grandchild", "granddaughter": "grandchild",
    **{relation: relation for relation in RELATIONS},
    **{label.lower(): relation for relation, label in RELATION_LABELS.items()},
}  # fmt: skip

# The word an exported roster writes: one the import reads back as the same relation, and where
# the villager's gender picks the word (女婿 or 儿媳, 孙子 or 孙女), the right one of the two.
_EXPORT_WORDS = {
    "head": "户主", "spouse": "配偶", "child": "子女", "child_in_law": "儿媳/女婿", "parent": "父母",
    "grandchild": "孙子女", "sibling": "兄弟姐妹", "other": "其他亲属",
}  # fmt: skip
_EXPORT_WORDS_BY_GENDER = {
    ("child_in_law", MALE): "女婿", ("child_in_law", FEMALE): "儿媳",
    ("grandchild", MALE): "孙子", ("grandchild", FEMALE): "孙女",
}  # fmt: skip


def relation_word(relation: str, gender: str | None) -> str:
    """The Chinese word a roster file uses for this relation (and gender); `parse_relation` reads it back."""
    by_gender = _EXPORT_WORDS_BY_GENDER.get((relation, gender)) if gender is not None else None
    return by_gender or _EXPORT_WORDS[relation]


def parse_flag(text: str) -> bool | None:
    low = text.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    return None


def parse_gender(text: str) -> str | None:
    return _GENDER_WORDS.get(text.strip().lower())


def parse_relation(text: str) -> str | None:
    return _RELATION_WORDS.get(text.strip().lower())


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


def _compact_readings(digits: str) -> list[date]:
    """The dates a run of digits without separators may mean: 1990112 is 1990-11-02 or 1990-01-12."""
    year, rest = int(digits[:4]), digits[4:]
    readings = []
    for split in range(1, len(rest)):
        month, day = rest[:split], rest[split:]
        if len(month) > 2 or len(day) > 2:
            continue
        try:
            readings.append(date(year, int(month), int(day)))
        except ValueError:
            continue
    return readings


def parse_date(value: object) -> date | None:
    """Dates as rosters write them: 1980-03-07, 1980/3/7, 1980.3.7, 19800307, 1980年3月7日, or Excel's own.

    Digits without separators must be eight (19800307): 1990112 could be 1990-11-02 as well as
    1990-01-12, and which one is not ours to guess; a ValidationError names both.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    # A date some program wrote with its (midnight) time: 1980-03-07 00:00:00, 1980/3/7 0:00.
    text = re.sub(r"\s+0?0:00(:00)?$", "", str(value).strip())
    if text.isascii() and text.isdigit():
        if len(text) == 8:
            try:
                return datetime.strptime(text, "%Y%m%d").date()
            except ValueError:
                return None
        readings = _compact_readings(text) if len(text) in (6, 7) else []
        if len(readings) > 1:
            raise ValidationError(
                N_("The date {value} could be {first} or {second}: write it in full, as 1990-01-12."),
                value=text, first=readings[0], second=readings[1],
            )  # fmt: skip
        if readings:
            raise ValidationError(
                N_("The date {value} is short of digits: write it in full, as {date}."),
                value=text, date=readings[0],
            )  # fmt: skip
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


# 村民委员会组织法 Art. 26 (2018 Art. 25): one villagers' representative for every 5 to 15 households,
# or several for each villager group. The roster only says so; a village that elects by group may keep
# its number. (The representatives' meeting's own check, decisions/rules.py, uses the same figures.)
HOUSEHOLDS_PER_REPRESENTATIVE = (Fraction(5), Fraction(15))


def representation_note(households: int, representatives: int) -> tuple[str, dict[str, Any]] | None:
    """A note (msgid, params) when the representatives marked are too few or too many for the households
    by the 5–15 rule; None when they are within it, or the village has no households yet."""
    if households <= 0:
        return None
    fewest, most = HOUSEHOLDS_PER_REPRESENTATIVE
    least = math.ceil(households / most)  # one for every 15 households at the most
    greatest = max(math.floor(households / fewest), 1)  # one for every 5 at the least; a tiny village 1
    params = {"households": households, "representatives": representatives, "least": least, "most": greatest}
    if representatives == 0:
        return N_(
            "No villagers' representatives are marked yet: the law asks one for every 5 to 15 households, "
            "{least} to {most} for {households} households (or several for each villager group)."
        ), params
    if representatives < least:
        return N_(
            "{representatives} representatives for {households} households are fewer than the law's one for "
            "every 15 households: at least {least} (or several for each villager group)."
        ), params
    if representatives > greatest:
        return N_(
            "{representatives} representatives for {households} households are more than the law's one for "
            "every 5 households: at most {most} (or several for each villager group)."
        ), params
    return None


# 村民委员会组织法 Art. 26 (2018 Art. 25): women representatives make up one third or more (以上: the
# third itself counts) of the representatives' meeting. The roster knows the representatives, not the
# committee members who also sit in it, so it holds the representatives alone to the third: the least
# the law can mean.
WOMEN_SHARE = voting.Threshold(Fraction(1, 3))


def women_note(representatives: int, women: int) -> tuple[str, dict[str, Any]] | None:
    """A note (msgid, params) when fewer than a third of the representatives marked are women."""
    if representatives <= 0 or WOMEN_SHARE.met(women, representatives):
        return None
    least = WOMEN_SHARE.minimum(representatives)
    return N_(
        "{women} of the {representatives} representatives are women: the law asks for a third or more of "
        "the representatives' meeting, at least {least} (more if the committee's members sit in it too)."
    ), {"women": women, "representatives": representatives, "least": least}


# --- what may be done now --------------------------------------------------------------------------
# The room's buttons and the service's checks ask the same functions (core/actions.py).

ADD_VILLAGER, EDIT_VILLAGER, DELETE_VILLAGER = "add_villager", "edit_villager", "delete_villager"
IMPORT, EXPORT = "import", "export"
ADD_HOUSEHOLD, EDIT_HOUSEHOLD, DELETE_HOUSEHOLD = "add_household", "edit_household", "delete_household"
ADD_GROUP, RENAME_GROUP, DELETE_GROUP = "add_group", "rename_group", "delete_group"
VILLAGER_ACTIONS = (EDIT_VILLAGER, DELETE_VILLAGER)
HOUSEHOLD_ACTIONS = (EDIT_HOUSEHOLD, DELETE_HOUSEHOLD)
GROUP_ACTIONS = (RENAME_GROUP, DELETE_GROUP)

HOUSEHOLD_HAS_MEMBERS = N_("Household {number} still has members; remove or move them first.")
GROUP_HAS_HOUSEHOLDS = N_("The group {name} still has households; move them first.")
HEAD_WITH_MEMBERS = N_(
    "{name} is the head of household {number}, which still has other members: make another member "
    "the head first, or move the others."
)
NAMED_ELSEWHERE = N_(
    "{name} is named in {records}, so stays on the roster; for a villager who moved away or died, say "
    "so in the notes."
)
# Other rooms' tables that name a villager, as a refusal names them (the service finds them in the
# database's own foreign keys, so a table missing here is still found and named as "other records").
NAMED_IN = {
    "council_member": N_("the villagers' council's members"),
    "meeting": N_("the council's meetings"),
    "ceremony_council_member": N_("the weddings and funerals council's members"),
    "decision_participant": N_("the major matters' records"),
}
OTHER_RECORDS = N_("other records")


@dataclass(frozen=True)
class VillagerFacts:
    """What the rules need to know of a villager to say whether it may be deleted."""

    name: str
    head: bool  # the head of household
    household: str  # the household's number
    others_in_household: int  # its members besides this villager
    named_in: frozenset[str] = frozenset()  # the tables of other records that name this villager


def room_actions(role: str) -> Allowed:
    """What the room offers before anything is chosen: adding, importing (which also needs the right to
    import), and exporting, which only reads."""
    write = access.refusal(role, access.WRITE)
    return Allowed.decide({
        ADD_VILLAGER: write,
        ADD_HOUSEHOLD: write,
        ADD_GROUP: write,
        IMPORT: write or access.refusal(role, access.MAINTAIN),
        EXPORT: None,
    })  # fmt: skip


@dataclass(frozen=True)
class NamedIn:
    """The records that name a villager, as a refusal's parameter: said in the language spoken when the
    refusal is shown, not when it was decided."""

    tables: frozenset[str]

    def __str__(self) -> str:
        labels = sorted({_(NAMED_IN.get(table, OTHER_RECORDS)) for table in self.tables})
        return _(", ").join(labels) if labels else _(OTHER_RECORDS)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def villager_actions(role: str, facts: VillagerFacts) -> Allowed:
    """Edit and delete one villager. Someone other records name stays (they would lose who it was);
    a head of household leaves last, so no household is left with members and no head."""
    write = access.refusal(role, access.WRITE)
    delete: Refusal | None = None
    if facts.named_in:
        delete = refuse(NAMED_ELSEWHERE, name=facts.name, records=NamedIn(facts.named_in))
    elif facts.head and facts.others_in_household:
        delete = refuse(HEAD_WITH_MEMBERS, name=facts.name, number=facts.household)
    return Allowed.decide({EDIT_VILLAGER: write, DELETE_VILLAGER: write or delete})


def household_actions(role: str, number: str, members: int) -> Allowed:
    write = access.refusal(role, access.WRITE)
    delete = refuse(HOUSEHOLD_HAS_MEMBERS, number=number) if members else None
    return Allowed.decide({EDIT_HOUSEHOLD: write, DELETE_HOUSEHOLD: write or delete})


def group_actions(role: str, name: str, households: int) -> Allowed:
    write = access.refusal(role, access.WRITE)
    delete = refuse(GROUP_HAS_HOUSEHOLDS, name=name) if households else None
    return Allowed.decide({RENAME_GROUP: write, DELETE_GROUP: write or delete})
