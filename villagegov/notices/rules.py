"""村务公开: what makes a notice valid, and its life. Pure: no database, no Qt.

A notice's life (`state`):

    draft ──approve──▶ approved ──post──▶ posted ──remove──▶ removed
      │                   │                  │                  │
    (delete)          withdraw               └──── superseded ◀─┘ (when a correction is posted)
                          ▼                          ▲
                      withdrawn        approved ─────┘

- draft: the clerk writes and edits it; it has no number yet and may be deleted.
- approved: the secretary approved it; it now has its number 〔2026〕N号 and is never edited.
- withdrawn: approved, then withdrawn by the secretary before it was posted; it keeps its number,
  which is never given to another notice.
- posted: hanging on the bulletin board(s) since `posted_at`; a 公示 runs its posting period.
- removed: taken down (撤下) on `removed_at`.
- superseded: a correction (a new notice with `supersedes` pointing here) was posted; both are kept.

Only a draft changes; everything after approval is corrected by a new notice that supersedes it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from villagegov.accounts import rules as access
from villagegov.core import calendar
from villagegov.core.actions import FINAL, NOTHING_SELECTED, Allowed, Refusal, refuse
from villagegov.core.errors import FinalisedRecord, ValidationError
from villagegov.core.i18n import N_, _, format_date, format_money, ngettext
from villagegov.core.numbering import document_number
from villagegov.core.privacy import DEFAULT_MASK as DEFAULT_MASK
from villagegov.core.privacy import MAX_ID_KEPT as MAX_ID_KEPT
from villagegov.core.privacy import MAX_PHONE_KEPT as MAX_PHONE_KEPT
from villagegov.core.privacy import MaskRule as MaskRule
from villagegov.core.privacy import mask_public as mask_public
from villagegov.core.privacy import personal_numbers as personal_numbers
from villagegov.core.privacy import phone_key as phone_key

# --- names (GLOSSARY.md) ----------------------------------------------------------------------

PARTY, VILLAGE, FINANCE = "party", "village", "finance"
CATEGORIES = (PARTY, VILLAGE, FINANCE)
CATEGORY_LABELS = {
    PARTY: N_("Party affairs disclosure"),  # 党务公开
    VILLAGE: N_("Village affairs disclosure"),  # 村务公开
    FINANCE: N_("Finance disclosure"),  # 财务公开
}

PUBLICITY, ANNOUNCEMENT, NOTIFICATION = "publicity", "announcement", "notification"
KINDS = (PUBLICITY, ANNOUNCEMENT, NOTIFICATION)
KIND_LABELS = {
    PUBLICITY: N_("Publicity notice"),  # 公示: has a posting period in which villagers may object
    ANNOUNCEMENT: N_("Announcement"),  # 公告
    NOTIFICATION: N_("Notification"),  # 通知
}

DRAFT, APPROVED, WITHDRAWN, POSTED, REMOVED, SUPERSEDED = (
    "draft", "approved", "withdrawn", "posted", "removed", "superseded",
)  # fmt: skip
STATES = (DRAFT, APPROVED, WITHDRAWN, POSTED, REMOVED, SUPERSEDED)
STATE_LABELS = {
    DRAFT: N_("Draft"),
    APPROVED: N_("Approved"),
    WITHDRAWN: N_("Withdrawn"),
    POSTED: N_("Posted"),
    REMOVED: N_("Taken down"),
    SUPERSEDED: N_("Superseded"),
}
# States in which the notice was (or is) on the board.
WAS_POSTED = (POSTED, REMOVED, SUPERSEDED)

APPROVE, WITHDRAW, POST, REMOVE, SUPERSEDE = "approve", "withdraw", "post", "remove", "supersede"
TRANSITIONS: dict[str, dict[str, str]] = {
    APPROVE: {DRAFT: APPROVED},
    WITHDRAW: {APPROVED: WITHDRAWN},
    POST: {APPROVED: POSTED},
    REMOVE: {POSTED: REMOVED},
    SUPERSEDE: {APPROVED: SUPERSEDED, POSTED: SUPERSEDED, REMOVED: SUPERSEDED},
}
ACTION_REFUSALS = {
    APPROVE: N_("Only a draft can be approved; this notice is {state}."),
    WITHDRAW: N_("Only an approved notice that is not yet posted can be withdrawn; this notice is {state}."),
    POST: N_("Only an approved notice can be posted; this notice is {state}."),
    REMOVE: N_("Only a posted notice can be taken down; this notice is {state}."),
    SUPERSEDE: N_("A notice that is {state} cannot be superseded by a correction."),
}

INCOME, EXPENSE = "income", "expense"
SIDES = (INCOME, EXPENSE)
SIDE_LABELS = {INCOME: N_("Income"), EXPENSE: N_("Expenditure")}

VILLAGE_BOARD = "village"  # 村务公开栏; a group's board is "group:<id>"
GROUP_PREFIX = "group:"

DEFAULT_PERIOD_DAYS = 7  # *default* (DOMAIN.md): a village setting
MAX_PERIOD_DAYS = 90
ANSWER_DAYS = 10  # an objection is answered within 10 days (民基字〔2014〕169号)
MAX_TITLE = 200
MAX_BODY = 50_000
MAX_CELL = 500
MAX_TABLE_ROWS = 20_000
MAX_FEN = 10**15  # ten trillion yuan: a guard against a pasted account number, not a rule


def category_label(category: str) -> str:
    return _(CATEGORY_LABELS[category])


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind])


def state_label(state: str) -> str:
    return _(STATE_LABELS[state])


def side_label(side: str) -> str:
    return _(SIDE_LABELS[side])


# --- life --------------------------------------------------------------------------------------


def next_state(state: str, action: str) -> str:
    """The state after `action`, or a refusal that names the notice's current state."""
    after = TRANSITIONS[action].get(state)
    if after is None:
        raise ValidationError(ACTION_REFUSALS[action], state=state_label(state))
    return after


EDIT_REFUSAL = N_(
    "Notice {number} is {state} and is never changed; write a correction, a new notice that supersedes it."
)


def check_editable(state: str, number: str) -> None:
    """Only drafts change; an approved or posted notice is corrected by a new notice."""
    if state != DRAFT:
        raise FinalisedRecord(EDIT_REFUSAL, number=number, state=state_label(state))


def notice_number(year: int, sequence: int) -> str:
    """〔2026〕3号 (GB/T 9704, hexagonal brackets, not zero-padded)."""
    return document_number(year, sequence)


def next_sequence(used: Iterable[int | None]) -> int:
    """The next number of the year: one past every number ever given, so none is reused."""
    return max((n for n in used if n is not None), default=0) + 1


# --- what the clerk types or pastes -----------------------------------------------------------------


def split_headings(text: str) -> list[str]:
    """A table's column headings typed on one line, separated by tabs or commas (either width)."""
    if not text.strip():
        return []
    return [cell.strip() for cell in re.split(r"\t|,|，", text)]


def parse_pasted(text: str) -> list[list[str]]:
    """Tab-separated text as Excel and WPS put it on the clipboard (quoted cells may hold newlines)."""
    text = text.replace("\r\n", "\n").rstrip("\n")
    if not text:
        return []
    return [row for row in csv.reader(io.StringIO(text), delimiter="\t") if any(c.strip() for c in row)]


def side_of(text: str) -> str | None:
    """The side a pasted cell names (收入 / 支出, income / expenditure, in either language), if any."""
    text = text.strip().lower()
    for side in SIDES:
        if text in (side, SIDE_LABELS[side].lower(), side_label(side).lower()):
            return side
    return {"收入": INCOME, "支出": EXPENSE}.get(text)


def pasted_finance_lines(text: str) -> list[FinanceLineInput]:
    """Rows of `side, item, amount` or `item, amount` (income, unless the row names a side)."""
    out = []
    for cells in parse_pasted(text):
        cells = [c.strip() for c in cells]
        side = side_of(cells[0]) if cells else None
        if side is not None:
            cells = cells[1:]
        if cells:
            out.append(FinanceLineInput(side or INCOME, cells[0], cells[1] if len(cells) >= 2 else ""))
    return out


_NUMBER_PART = re.compile(r"^([+\d\-()（） ]+)(.*)$")


def parse_public_phones(text: str) -> tuple[tuple[str, str], ...]:
    """Lines of "number whose" (0915-6321234 村委会办公室) as (number, whose) pairs."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        match = _NUMBER_PART.match(line)
        number, whose = (match.group(1), match.group(2)) if match else (line, "")
        out.append((number.strip(), whose.strip()))
    return tuple(out)


@dataclass(frozen=True)
class BookComparison:
    side: str
    stated_fen: int  # the account books' total, as the clerk typed it
    computed_fen: int  # the lines' total

    @property
    def difference_fen(self) -> int:
        return abs(self.stated_fen - self.computed_fen)


@dataclass(frozen=True)
class FinanceTotals:
    """A statement's totals computed from its lines as they are typed, never typed themselves, and
    compared with the account books' totals where those are given."""

    income_fen: int
    expense_fen: int
    comparisons: tuple[BookComparison, ...]
    problems: tuple[str, ...]  # in the user's language: a line's amount, or a book total, unreadable


def finance_totals(
    lines: Sequence[FinanceLineInput], stated_income: str = "", stated_expense: str = ""
) -> FinanceTotals:
    income = expense = 0
    problems: list[str] = []
    for number, line in enumerate(lines, start=1):
        try:
            fen = parse_yuan(line.amount)
        except ValidationError as exc:
            problems.append(_("Line {n}: {problem}").format(n=number, problem=exc.message()))
            continue
        if line.side == INCOME:
            income += fen
        else:
            expense += fen
    comparisons = []
    for side, computed, text in ((INCOME, income, stated_income), (EXPENSE, expense, stated_expense)):
        if not text.strip():
            continue
        try:
            comparisons.append(BookComparison(side, parse_yuan(text), computed))
        except ValidationError as exc:
            problems.append(exc.message())
    return FinanceTotals(income, expense, tuple(comparisons), tuple(problems))


# --- what may be done now --------------------------------------------------------------------------
# The room's buttons and the service's checks ask the same functions (core/actions.py).

NEW, SETTINGS, CALENDAR = "new", "settings", "calendar"
EDIT, DELETE, ATTACHMENTS, CORRECT = "edit", "delete", "attachments", "correct"
RECORD_OBJECTION, ANSWER_OBJECTION = "record_objection", "answer_objection"
PRINT, PRINT_RESULT = "print", "print_result"
NOTICE_ACTIONS = (
    EDIT, DELETE, ATTACHMENTS, APPROVE, WITHDRAW, POST, REMOVE, CORRECT,
    RECORD_OBJECTION, PRINT, PRINT_RESULT,
)  # fmt: skip


@dataclass(frozen=True)
class NoticeFacts:
    """What the rules need to know of a notice to say what may be done to it."""

    state: str
    kind: str
    number: str
    period_end: date | None


def room_actions(role: str) -> Allowed:
    """What the room offers before a notice is chosen."""
    write = access.refusal(role, access.WRITE)
    return Allowed.decide({NEW: write, SETTINGS: write, CALENDAR: write})


def _transition(state: str, action: str) -> Refusal | None:
    if state in TRANSITIONS[action]:
        return None
    return refuse(ACTION_REFUSALS[action], state=state_label(state))


def _editable(facts: NoticeFacts) -> Refusal | None:
    if facts.state == DRAFT:
        return None
    return refuse(EDIT_REFUSAL, FINAL, number=facts.number, state=state_label(facts.state))


def notice_actions(role: str, facts: NoticeFacts, today: date) -> Allowed:
    """Each action on one notice, allowed or refused with the reason, for this role and today."""
    write = access.refusal(role, access.WRITE)
    approve = access.refusal(role, access.APPROVE)
    publicity = facts.kind == PUBLICITY
    correct: Refusal | None
    objection: Refusal | None
    result: Refusal | None
    if facts.state == DRAFT:
        correct = refuse(N_("A draft is corrected by editing it."))
    else:
        correct = _transition(facts.state, SUPERSEDE)
    if not publicity:
        objection = refuse(N_("Only a publicity notice (公示) receives objections."))
        result = refuse(N_("Only a publicity notice (公示) has a posting period with a result."))
    else:
        objection = None if facts.state in WAS_POSTED else refuse(
            N_("Objections are recorded once the notice is posted.")
        )  # fmt: skip
        if facts.period_end is None:
            result = refuse(N_("The posting period starts when the notice is posted."))
        elif today <= facts.period_end:
            result = refuse(N_("The posting period runs until {end}."), end=facts.period_end.isoformat())
        else:
            result = None
    return Allowed.decide({
        EDIT: write or _editable(facts),
        DELETE: write or _editable(facts),
        ATTACHMENTS: None,
        APPROVE: approve or _transition(facts.state, APPROVE),
        WITHDRAW: approve or _transition(facts.state, WITHDRAW),
        POST: write or _transition(facts.state, POST),
        REMOVE: write or _transition(facts.state, REMOVE),
        CORRECT: write or correct,
        RECORD_OBJECTION: write or objection,
        PRINT: None,
        PRINT_RESULT: result,
    })  # fmt: skip


ADD_ATTACHMENT, ADD_PHOTO, REMOVE_ATTACHMENT = "add_attachment", "add_photo", "remove_attachment"
ATTACHMENT_PURPOSE, PHOTO_PURPOSE = "attachment", "photo"  # records.ATTACHMENT, records.PHOTO


def attachment_actions(role: str, facts: NoticeFacts, chosen_purpose: str | None) -> Allowed:
    """An attachment (printed after the notice) belongs to a draft; a photo of the posted sheet is added
    once the notice is up, and stays; `chosen_purpose` is that of the attachment chosen to remove."""
    write = access.refusal(role, access.WRITE)
    photo = None if facts.state in WAS_POSTED else refuse(
        N_("A photo of the posted sheet can be added once the notice is posted.")
    )  # fmt: skip
    if chosen_purpose is None:
        remove: Refusal | None = refuse(NOTHING_SELECTED)
    elif chosen_purpose == PHOTO_PURPOSE:
        remove = refuse(N_("A photo of the posted sheet is part of the record and stays."), FINAL)
    else:
        remove = _editable(facts)
    return Allowed.decide({
        ADD_ATTACHMENT: write or _editable(facts),
        ADD_PHOTO: write or photo,
        REMOVE_ATTACHMENT: write or remove,
    })  # fmt: skip


def objection_actions(role: str, answered_on: date | None) -> Allowed:
    """What may be done to one objection: answered once, then final."""
    already = None if answered_on is None else refuse(
        N_("This objection was answered on {date}; the answer stays as it was given."), FINAL,
        date=answered_on.isoformat(),
    )  # fmt: skip
    return Allowed.decide({ANSWER_OBJECTION: access.refusal(role, access.WRITE) or already})


# --- money ----------------------------------------------------------------------------------------

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")
_PLAIN = re.compile(r"^\d+(\.\d*)?$")


def parse_yuan(text: str, field: str = "amount", allow_negative: bool = False) -> int:
    """Yuan as a clerk types it ("1,234.5", "¥80", "300元") to integer fen, exactly (Decimal)."""
    raw = text.strip()
    cleaned = raw.translate(_FULLWIDTH).replace(" ", "")
    for sign in ("¥", "￥", "元", "RMB"):
        cleaned = cleaned.replace(sign, "")
    if not cleaned:
        raise ValidationError(N_("Please enter an amount in yuan."), field=field)
    negative = cleaned.startswith("-")
    if negative:
        if not allow_negative:
            raise ValidationError(
                N_("The amount {text} is negative; enter income and expenditure as positive amounts."),
                field=field,
                text=raw,
            )
        cleaned = cleaned[1:]
    if not (_PLAIN.match(cleaned) or _GROUPED.match(cleaned)):
        raise ValidationError(
            N_("{text} is not an amount in yuan; write it like 1,234.50."), field=field, text=raw
        )
    try:
        amount = Decimal(cleaned.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the patterns above already refuse it
        raise ValidationError(
            N_("{text} is not an amount in yuan; write it like 1,234.50."), field=field, text=raw
        ) from exc
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(
            N_("The amount {text} has more than two decimals; the smallest unit is one fen (0.01 yuan)."),
            field=field,
            text=raw,
        )
    fen = int(amount * 100)
    if fen >= MAX_FEN:
        raise ValidationError(N_("The amount {text} is implausibly large."), field=field, text=raw)
    return -fen if negative else fen


def fen_to_yuan(fen: int) -> str:
    """Integer fen as plain yuan text for a form ("1234.50"), the inverse of parse_yuan."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), 100)
    return f"{sign}{whole}.{part:02d}"


@dataclass(frozen=True)
class FinanceLine:
    side: str
    item: str
    amount_fen: int


@dataclass(frozen=True)
class FinanceStatement:
    """Income and expenditure with totals computed from the lines, never typed."""

    income: tuple[FinanceLine, ...]
    expense: tuple[FinanceLine, ...]
    income_total_fen: int
    expense_total_fen: int
    opening_balance_fen: int | None
    closing_balance_fen: int | None  # opening + income − expenditure, when the opening is given


def statement(lines: Sequence[FinanceLine], opening_balance_fen: int | None = None) -> FinanceStatement:
    income = tuple(line for line in lines if line.side == INCOME)
    expense = tuple(line for line in lines if line.side == EXPENSE)
    income_total = sum(line.amount_fen for line in income)
    expense_total = sum(line.amount_fen for line in expense)
    closing = None if opening_balance_fen is None else opening_balance_fen + income_total - expense_total
    return FinanceStatement(income, expense, income_total, expense_total, opening_balance_fen, closing)


def check_statement(
    lines: Sequence[FinanceLine], stated_income_fen: int | None, stated_expense_fen: int | None
) -> None:
    """A statement is approved only if its lines add up, to the fen, to the totals in the books."""
    if not lines:
        return
    if stated_income_fen is None or stated_expense_fen is None:
        raise ValidationError(
            N_(
                "Enter the total income and expenditure from the account books; the lines are checked "
                "against them."
            ),
            field="stated_income" if stated_income_fen is None else "stated_expense",
        )
    computed = statement(lines)
    for side, total, stated in (
        (INCOME, computed.income_total_fen, stated_income_fen),
        (EXPENSE, computed.expense_total_fen, stated_expense_fen),
    ):
        if total != stated:
            raise ValidationError(
                N_(
                    "The {side} lines add up to {computed}, but the account books say {stated} "
                    "(a difference of {difference}); correct the lines or the total."
                ),
                field=f"stated_{side}",
                side=side_label(side),
                computed=format_money(total),
                stated=format_money(stated),
                difference=format_money(abs(total - stated)),
            )


# --- what a notice holds ----------------------------------------------------------------------


@dataclass(frozen=True)
class TableInput:
    """A table in a notice (a subsidy list, a project list): a header and rows of text cells."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


@dataclass(frozen=True)
class FinanceLineInput:
    side: str  # income / expense
    item: str
    amount: str  # yuan as typed: "1,234.50"


@dataclass(frozen=True)
class NoticeInput:
    """A notice as the draft form gives it. Amounts are yuan text; period None takes the village's
    default (publicity notices only)."""

    category: str
    kind: str
    title: str
    body: str = ""
    places: tuple[str, ...] = (VILLAGE_BOARD,)
    major: bool = False  # touches villagers' interests: to be disclosed at once
    period_days: int | None = None
    period_unit: str | None = None
    period_start: date | None = None  # the planned first day on the board
    tables: tuple[TableInput, ...] = ()
    finance_lines: tuple[FinanceLineInput, ...] = ()
    stated_income: str = ""  # totals from the account books, the check on the lines
    stated_expense: str = ""
    opening_balance: str = ""


@dataclass(frozen=True)
class CleanNotice:
    category: str
    kind: str
    title: str
    body: str
    places: tuple[str, ...]
    major: bool
    period_days: int | None
    period_unit: str | None
    period_start: date | None
    tables: tuple[TableInput, ...]
    finance_lines: tuple[FinanceLine, ...]
    stated_income_fen: int | None
    stated_expense_fen: int | None
    opening_balance_fen: int | None


def group_place(group_id: int) -> str:
    return f"{GROUP_PREFIX}{group_id}"


def place_group_id(place: str) -> int | None:
    """The group of a group board's place code; None for the village board."""
    if place.startswith(GROUP_PREFIX):
        return int(place[len(GROUP_PREFIX) :])
    return None


def check_places(places: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for place in places:
        ok = place == VILLAGE_BOARD or (
            place.startswith(GROUP_PREFIX) and place[len(GROUP_PREFIX) :].isdigit()
        )
        if not ok:
            raise ValidationError(N_("Unknown bulletin board: {place}"), field="places", place=place)
        if place not in out:
            out.append(place)
    if not out:
        raise ValidationError(N_("Choose at least one bulletin board to post the notice on."), field="places")
    return tuple(out)


def place_label(place: str, group_names: Mapping[int, str]) -> str:
    group = place_group_id(place)
    if group is None:
        return _("Village affairs board")
    return _("{group} board").format(group=group_names.get(group, "?"))


def clean_text(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def check_table(table: TableInput, index: int) -> TableInput:
    header = tuple(cell.strip() for cell in table.header)
    if not header or not any(header):
        raise ValidationError(N_("Table {n} has no column headings."), field="tables", n=index)
    rows: list[tuple[str, ...]] = []
    for number, row in enumerate(table.rows, start=1):
        cells = tuple(str(cell).strip() for cell in row)
        if len(cells) != len(header):
            raise ValidationError(
                N_("Row {row} of table {n} has {cells} cells, but the table has {columns} columns."),
                field="tables", row=number, n=index, cells=len(cells), columns=len(header),
            )  # fmt: skip
        if any(len(cell) > MAX_CELL for cell in cells):
            raise ValidationError(
                N_("Row {row} of table {n} has a cell longer than {max} characters."),
                field="tables", row=number, n=index, max=MAX_CELL,
            )  # fmt: skip
        if any(cells):
            rows.append(cells)
    if len(rows) > MAX_TABLE_ROWS:
        raise ValidationError(
            N_("Table {n} has more than {max} rows."), field="tables", n=index, max=MAX_TABLE_ROWS
        )
    return TableInput(header, tuple(rows), table.caption.strip())


def _optional_yuan(text: str, field: str, allow_negative: bool = False) -> int | None:
    return parse_yuan(text, field, allow_negative) if text.strip() else None


def check_notice(data: NoticeInput, default_days: int, default_unit: str) -> CleanNotice:
    """Return the draft cleaned (amounts in fen, period filled in) or raise ValidationError."""
    if data.category not in CATEGORIES:
        raise ValidationError(N_("Unknown notice category: {value}"), field="category", value=data.category)
    if data.kind not in KINDS:
        raise ValidationError(N_("Unknown kind of notice: {value}"), field="kind", value=data.kind)
    title = re.sub(r"\s+", " ", data.title).strip()
    if not title:
        raise ValidationError(N_("Please enter the notice's title."), field="title")
    if len(title) > MAX_TITLE:
        raise ValidationError(N_("A title has at most {max} characters."), field="title", max=MAX_TITLE)
    body = clean_text(data.body)
    if len(body) > MAX_BODY:
        raise ValidationError(N_("The text has more than {max} characters."), field="body", max=MAX_BODY)
    places = check_places(data.places)
    days: int | None = None
    unit: str | None = None
    start = data.period_start
    if data.kind == PUBLICITY:
        days = data.period_days if data.period_days is not None else default_days
        unit = data.period_unit or default_unit
        if unit not in calendar.UNITS:
            raise ValidationError(N_("Unknown unit of days: {unit}"), field="period_unit", unit=unit)
        if not 1 <= days <= MAX_PERIOD_DAYS:
            raise ValidationError(
                N_("A posting period lasts from 1 to {max} days."), field="period_days", max=MAX_PERIOD_DAYS
            )
    else:
        start = None  # only a 公示 has a posting period
    tables = tuple(check_table(t, i) for i, t in enumerate(data.tables, start=1))
    lines: list[FinanceLine] = []
    has_money = data.finance_lines or any(
        s.strip() for s in (data.stated_income, data.stated_expense, data.opening_balance)
    )
    if has_money and data.category != FINANCE:
        raise ValidationError(
            N_("Only a finance disclosure carries income and expenditure lines."), field="finance_lines"
        )
    for number, line in enumerate(data.finance_lines, start=1):
        if line.side not in SIDES:
            raise ValidationError(N_("Unknown side of the accounts: {value}"), field="finance_lines",
                                  value=line.side)  # fmt: skip
        item = re.sub(r"\s+", " ", line.item).strip()
        if not item:
            raise ValidationError(
                N_("Line {n} of the statement has no item."), field="finance_lines", n=number
            )
        if len(item) > MAX_CELL:
            raise ValidationError(
                N_("Line {n} of the statement has an item longer than {max} characters."),
                field="finance_lines", n=number, max=MAX_CELL,
            )  # fmt: skip
        lines.append(FinanceLine(line.side, item, parse_yuan(line.amount, "finance_lines")))
    return CleanNotice(
        category=data.category, kind=data.kind, title=title, body=body, places=places, major=data.major,
        period_days=days, period_unit=unit, period_start=start, tables=tables, finance_lines=tuple(lines),
        stated_income_fen=_optional_yuan(data.stated_income, "stated_income"),
        stated_expense_fen=_optional_yuan(data.stated_expense, "stated_expense"),
        opening_balance_fen=_optional_yuan(data.opening_balance, "opening_balance", allow_negative=True),
    )  # fmt: skip


def check_approval(notice: CleanNotice) -> None:
    """What must hold before the secretary's approval: a finance statement adds up to the fen."""
    check_statement(notice.finance_lines, notice.stated_income_fen, notice.stated_expense_fen)


# --- the body as paragraphs -----------------------------------------------------------------------

_LEVELS = (
    (1, re.compile(r"^[一二三四五六七八九十百]+、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十百]+[）)]")),
    (3, re.compile(r"^\d+[.．、]")),
    (4, re.compile(r"^[（(]\d+[）)]")),
)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph; `level` 0 is body text, 1 一、 2 （一） 3 1. 4 (1) (GB/T 9704 headings).

    `addressee` marks the opening line that names whom the notice addresses (主送: 各村民小组、
    全体村民：), which GB/T 9704 sets flush left, not indented like the body."""

    text: str
    level: int = 0
    addressee: bool = False


_SENTENCE_MARKS = re.compile(r"[，。；！？,;!?]")
MAX_ADDRESSEE = 30


def is_addressee(text: str) -> bool:
    """各村民小组、全体村民： — short, ends with a colon, no sentence inside it, and not the end of a
    sentence that introduces what follows (现将有关事项通知如下：)."""
    return (
        text.endswith(("：", ":"))
        and len(text) <= MAX_ADDRESSEE
        and not _SENTENCE_MARKS.search(text)
        and not text.rstrip("：:").endswith(("如下", "下列", "以下"))
    )


def paragraphs(body: str) -> tuple[Paragraph, ...]:
    """Each non-empty line of the body is a paragraph; a line opening with 一、 （一） 1. (1) is a
    heading; a first line like 各村民小组、全体村民： is the addressee."""
    out: list[Paragraph] = []
    for line in body.split("\n"):
        text = line.strip()
        if not text:
            continue
        level = next((lvl for lvl, pattern in _LEVELS if pattern.match(text)), 0)
        out.append(Paragraph(text, level, addressee=not out and level == 0 and is_addressee(text)))
    return tuple(out)


# --- personal data on public paper ----------------------------------------------------------------


# Masking lives in core/privacy.py (every room's paper goes through it); the notices room keeps the
# village's rule in its settings, and checks a new one here.
def check_mask_rule(rule: MaskRule) -> MaskRule:
    parts = (rule.id_keep_start, rule.id_keep_end, rule.phone_keep_start, rule.phone_keep_end)
    if any(p < 0 for p in parts) or (
        rule.id_keep_start + rule.id_keep_end > MAX_ID_KEPT
        or rule.phone_keep_start + rule.phone_keep_end > MAX_PHONE_KEPT
    ):
        raise ValidationError(
            N_(
                "Public paper may show at most {id} characters of an ID-card number and {phone} digits "
                "of a mobile number."
            ),
            field="mask",
            id=MAX_ID_KEPT,
            phone=MAX_PHONE_KEPT,
        )
    return rule


# --- the posting period and objections -----------------------------------------------------------


def is_late(received_on: date, period_end: date) -> bool:
    """The last day of the period is on time; the day after is late."""
    return received_on > period_end


def answer_deadline(received_on: date) -> date:
    """An objection is answered (or the notice corrected and reposted) within 10 days of receipt."""
    return calendar.deadline(received_on, ANSWER_DAYS)


def check_objection(
    objector: str, content: str, received_on: date, posted_at: date, today: date
) -> tuple[str, str]:
    who = re.sub(r"\s+", " ", objector).strip()
    what = clean_text(content)
    if not who:
        raise ValidationError(N_("Please enter who raised the objection."), field="objector")
    if not what:
        raise ValidationError(N_("Please enter what the objection says."), field="content")
    if received_on < posted_at:
        raise ValidationError(
            N_("The notice was posted on {posted}; an objection to it cannot be received before that."),
            field="received_on", posted=posted_at.isoformat(),
        )  # fmt: skip
    if received_on > today:
        raise ValidationError(
            N_("The day the objection was received, {date}, is in the future."),
            field="received_on", date=received_on.isoformat(),
        )  # fmt: skip
    return who, what


def check_answer(answer: str, answered_on: date, received_on: date, today: date) -> str:
    text = clean_text(answer)
    if not text:
        raise ValidationError(N_("Please enter the answer given."), field="answer")
    if answered_on < received_on:
        raise ValidationError(
            N_("The objection was received on {received}; it cannot be answered before that."),
            field="answered_on", received=received_on.isoformat(),
        )  # fmt: skip
    if answered_on > today:
        raise ValidationError(
            N_("The day of the answer, {date}, is in the future."), field="answered_on",
            date=answered_on.isoformat(),
        )  # fmt: skip
    return text


@dataclass(frozen=True)
class ObjectionFacts:
    """What the period result needs of one objection (no objector: names stay off public paper)."""

    received_on: date
    content: str
    handling: str
    answer: str
    answered_on: date | None
    late: bool


@dataclass(frozen=True)
class PeriodResult:
    ended: bool
    period_end: date
    on_time: tuple[ObjectionFacts, ...]
    late: tuple[ObjectionFacts, ...]
    text: str  # 公示期满无异议, or how many objections there were and that their handling follows
    summary: str  # the same in one line for the notice itself, pointing to the result for handling

    @property
    def without_objections(self) -> bool:
        return self.ended and not self.on_time


def period_result(period_end: date, today: date, objections: Sequence[ObjectionFacts]) -> PeriodResult:
    on_time = tuple(sorted((o for o in objections if not o.late), key=lambda o: o.received_on))
    late = tuple(sorted((o for o in objections if o.late), key=lambda o: o.received_on))
    ended = today > period_end
    if not ended:
        text = summary = _("The posting period runs until {date}.").format(date=format_date(period_end))
    elif not on_time:
        text = summary = _("The posting period has ended with no objections.")
    else:
        text = ngettext(
            "{n} objection was received during the posting period; its handling follows.",
            "{n} objections were received during the posting period; their handling follows.",
            len(on_time),
        ).format(n=len(on_time))
        summary = ngettext(
            "{n} objection was received during the posting period; the period result tells how it "
            "was handled.",
            "{n} objections were received during the posting period; the period result tells how "
            "they were handled.",
            len(on_time),
        ).format(n=len(on_time))
    if ended and late:
        after = ngettext(
            "{n} objection was received after the posting period ended.",
            "{n} objections were received after the posting period ended.",
            len(late),
        ).format(n=len(late))
        text = _("{sentence} {another}").format(sentence=text, another=after)
        summary = _("{sentence} {another}").format(sentence=summary, another=after)
    return PeriodResult(ended, period_end, on_time, late, text, summary)


# --- due reminders ------------------------------------------------------------------------------------

MONTH, QUARTER = "month", "quarter"
DISCLOSURE, MAJOR_MATTER, OBJECTION_ANSWER = "disclosure", "major", "objection"
DUE, OVERDUE = "due", "overdue"
REMINDER_REASONS = {
    (DISCLOSURE, MONTH): N_("Finance must be disclosed every month where collective finance is busy."),
    (DISCLOSURE, QUARTER): N_("This category must be disclosed at least once a quarter."),
    (MAJOR_MATTER, ""): N_("A matter touching villagers' interests is disclosed at once."),
    (OBJECTION_ANSWER, ""): N_("An objection is answered within 10 days."),
}


@dataclass(frozen=True)
class Reminder:
    kind: str  # disclosure / major / objection
    status: str  # due / overdue
    due_by: date
    category: str = ""
    frequency: str = ""  # month / quarter for disclosures
    last_posted: date | None = None
    notice_id: int | None = None
    objection_id: int | None = None
    title: str = ""

    @property
    def reason(self) -> str:
        return _(REMINDER_REASONS[(self.kind, self.frequency)])


@dataclass(frozen=True)
class PendingMajor:
    """A notice about a major matter that is not yet on the board."""

    notice_id: int
    title: str
    since: date  # when it was drafted


@dataclass(frozen=True)
class OpenObjection:
    objection_id: int
    notice_id: int
    title: str
    received_on: date


def frequency(category: str, finance_busy: bool) -> str:
    """Finance monthly where the village says its finance is busy; otherwise at least quarterly.

    DOMAIN.md sets quarterly for ordinary village affairs; party affairs use the same *default*.
    """
    return MONTH if category == FINANCE and finance_busy else QUARTER


def _period_bounds(day: date, freq: str) -> tuple[date, date]:
    months = 1 if freq == MONTH else 3
    first_month = day.month if freq == MONTH else 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    next_month = first_month + months
    following = date(day.year + (next_month - 1) // 12, (next_month - 1) % 12 + 1, 1)
    return start, following - timedelta(days=1)


def due_reminders(
    today: date,
    last_posted: Mapping[str, date | None],
    finance_busy: bool,
    pending_major: Sequence[PendingMajor] = (),
    open_objections: Sequence[OpenObjection] = (),
) -> list[Reminder]:
    """What is due or overdue today, most urgent first.

    A category is *due* while the current month (quarter) has no posting yet, and *overdue* when the
    whole previous one went without (due_by is then that period's last day). A village that has
    posted nothing at all yet is told it is due, not overdue.
    """
    out: list[Reminder] = []
    for category in CATEGORIES:
        freq = frequency(category, finance_busy)
        start, end = _period_bounds(today, freq)
        last = last_posted.get(category)
        if last is not None and last >= start:
            continue
        previous_start, previous_end = _period_bounds(start - timedelta(days=1), freq)
        if last is not None and last < previous_start:
            out.append(Reminder(DISCLOSURE, OVERDUE, previous_end, category, freq, last))
        else:
            out.append(Reminder(DISCLOSURE, DUE, end, category, freq, last))
    for matter in pending_major:
        status = OVERDUE if today > matter.since else DUE
        out.append(
            Reminder(MAJOR_MATTER, status, matter.since, notice_id=matter.notice_id, title=matter.title)
        )
    for item in open_objections:
        by = answer_deadline(item.received_on)
        out.append(
            Reminder(
                OBJECTION_ANSWER, OVERDUE if today > by else DUE, by,
                notice_id=item.notice_id, objection_id=item.objection_id, title=item.title,
            )
        )  # fmt: skip
    out.sort(key=lambda r: (r.status != OVERDUE, r.due_by, r.kind, r.category))
    return out
