"""村务公开's plain records: what the service returns and the layouts, screens and archive take.

Plain dataclasses only: no peewee, no Qt (a layout imports these, never the service).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from villagegov.core import calendar as cal
from villagegov.core.privacy import DEFAULT_MASKING, Masking
from villagegov.notices import rules

ATTACHMENT, PHOTO = rules.ATTACHMENT_PURPOSE, rules.PHOTO_PURPOSE  # part of the notice / a photo of the sheet


@dataclass(frozen=True)
class NoticeFilter:
    category: str | None = None
    kind: str | None = None
    state: str | None = None
    year: int | None = None
    text: str = ""  # words in the title or the body; all must occur


@dataclass(frozen=True)
class NoticeRow:
    id: int
    number: str  # "" until approved
    category: str
    kind: str
    title: str
    state: str
    year: int
    posted_at: date | None
    period_end: date | None
    removed_at: date | None
    major: bool


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    notice_id: int
    purpose: str  # attachment / photo
    file_name: str
    media_type: str
    size: int
    sha256: str
    added_at: datetime
    added_by: str


@dataclass(frozen=True)
class ObjectionRow:
    id: int
    notice_id: int
    objector: str
    contact: str
    received_on: date
    content: str
    late: bool
    handling: str
    answer: str
    answered_on: date | None
    answer_due: date  # 10 days after receipt
    recorded_by: str


@dataclass(frozen=True)
class NoticeDetail:
    """A notice as the clerk's screen shows it: everything, unmasked."""

    id: int
    village_id: int
    number: str
    year: int
    category: str
    kind: str
    title: str
    body: str
    places: tuple[str, ...]
    major: bool
    state: str
    period_days: int | None
    period_unit: str | None
    period_start: date | None
    period_end: date | None
    tables: tuple[rules.TableInput, ...]
    finance_lines: tuple[rules.FinanceLine, ...]
    statement: rules.FinanceStatement | None  # totals computed from the lines (finance only)
    stated_income_fen: int | None
    stated_expense_fen: int | None
    statement_problem: str  # why approval would be refused; "" when the lines add up
    created_at: datetime
    created_by: str
    approved_at: datetime | None
    approved_by: str
    withdrawn_at: datetime | None
    posted_at: date | None
    posted_by: str
    posted_places: tuple[str, ...]
    removed_at: date | None
    removed_by: str
    superseded_at: date | None
    supersedes_id: int | None
    superseded_by: tuple[int, ...]  # corrections written for it (drafts included)
    attachments: tuple[AttachmentRow, ...]
    objections: tuple[ObjectionRow, ...]
    sequence: int | None = None  # the number's place in its year, once approved

    def as_input(self) -> rules.NoticeInput:
        """The notice as a draft form holds it (amounts back to yuan text)."""
        money = rules.fen_to_yuan
        return rules.NoticeInput(
            category=self.category, kind=self.kind, title=self.title, body=self.body, places=self.places,
            major=self.major, period_days=self.period_days, period_unit=self.period_unit,
            period_start=self.period_start, tables=self.tables,
            finance_lines=tuple(
                rules.FinanceLineInput(line.side, line.item, money(line.amount_fen))
                for line in self.finance_lines
            ),
            stated_income="" if self.stated_income_fen is None else money(self.stated_income_fen),
            stated_expense="" if self.stated_expense_fen is None else money(self.stated_expense_fen),
            opening_balance="" if self.statement is None or self.statement.opening_balance_fen is None
            else money(self.statement.opening_balance_fen),
        )  # fmt: skip


@dataclass(frozen=True)
class NoticeSettingsData:
    """The village's notice settings. Empty names mean "from the village's name" (see effective)."""

    period_days: int = rules.DEFAULT_PERIOD_DAYS
    period_unit: str = cal.DAYS
    committee_name: str = ""
    party_branch_name: str = ""
    supervisory_name: str = ""
    supervisory_phone: str = ""
    finance_busy: bool = False
    mask: rules.MaskRule = rules.DEFAULT_MASK
    # The village offices' own numbers that notices print in full: (number, whose), e.g.
    # ("0915-6321234", "村委会办公室"). Every other phone number on public paper is masked.
    public_phones: tuple[tuple[str, str], ...] = ()
    # Papers kept on file (minutes, report forms, ledgers) mask numbers as public paper does; a village
    # may print them in full there. Public paper masks them whatever this says.
    mask_on_file: bool = True


@dataclass(frozen=True)
class CalendarOverrideRow:
    id: int
    day: date
    working: bool
    note: str


@dataclass(frozen=True)
class DocumentTable:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class DocumentAttachment:
    """An attachment printed after the notice: its title (the file's name, masked) and content."""

    title: str
    media_type: str
    content: bytes = field(repr=False)


@dataclass(frozen=True)
class NoticeDocument:
    """Everything the notice's PDF prints, already masked for public paper (DOMAIN.md)."""

    notice_id: int
    state: str
    final: bool  # approved or later; a draft prints only as a draft
    village: str
    signing_body: str  # 青石村村民委员会, or the party branch for 党务公开
    category: str
    category_label: str
    kind: str
    kind_label: str
    number: str  # "" for a draft
    title: str
    paragraphs: tuple[rules.Paragraph, ...]
    tables: tuple[DocumentTable, ...]
    statement: rules.FinanceStatement | None  # lines and computed totals (finance statements)
    period_days: int | None  # 公示 only
    period_unit: str | None
    period_start: date | None  # posted (or planned) first day; None if not known yet
    period_end: date | None
    objection_body: str  # 青石村村务监督委员会 (公示 only: where objections go)
    objection_phone: str
    places: tuple[str, ...]  # the boards, by name
    sign_date: date | None  # the approval date (成文日期); None for a draft
    supersedes_number: str  # the number this notice corrects, or ""
    result_text: str  # the period result once the period has ended, else ""
    attachments: tuple[DocumentAttachment, ...] = ()  # printed after it (附件1, 附件2 …)
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


@dataclass(frozen=True)
class ResultDocument:
    """The printed result of a 公示's posting period: 公示期满无异议, or the objections and their handling."""

    notice_id: int
    village: str
    signing_body: str
    number: str  # the 公示's own number, cited in the text (the result has none of its own)
    title: str
    notice_title: str
    period_start: date
    period_end: date
    text: str
    objections: tuple[rules.ObjectionFacts, ...]  # on time first, then late; masked, no names
    objection_body: str
    objection_phone: str
    sign_date: date
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper
