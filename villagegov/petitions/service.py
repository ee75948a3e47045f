"""Every 民情三本账 and 矛盾纠纷调处 operation a user can do. Each write is one transaction with its
audit entries.

Who may do what (accounts.rules): the clerk and the secretary record petitions and their steps, and
disputes with their sessions, outcomes and follow-ups; only the secretary does the secretary's own
steps (书记阅批, 书记把关) and closes a petition (销号), and only the secretary edits the time limits;
the supervisory committee and township reviewers read.

A complainant's name (投诉举报) is seen only by the secretary: every reading function here gives
other roles "(withheld)" in its place, with no roster id and no contact, and a search by name
does not find complaints for them. No printed document carries a complainant's name, whoever
prints it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

import peewee

from villagegov.accounts import rules as access
from villagegov.core import attachments, audit, clock
from villagegov.core import calendar as cal
from villagegov.core.actor import Actor
from villagegov.core.db import database, is_postgres, transaction, translated_errors
from villagegov.core.errors import FinalisedRecord, NotFound, PermissionDenied, ValidationError
from villagegov.core.i18n import N_, _, in_document_language
from villagegov.core.privacy import DEFAULT_MASKING, Audience, Masking
from villagegov.petitions import rules
from villagegov.petitions.models import (
    ComplaintIdentity,
    Mediation,
    MediationFollowUp,
    MediationParty,
    MediationSession,
    Petition,
    PetitionAttachment,
    PetitionSettings,
    PetitionStep,
)
from villagegov.roster.models import Household, Village, Villager

# --- plain data returned to the screens, the CLI, the PDF layouts and the archive ------------------


@dataclass(frozen=True)
class Settings:
    limits: rules.TimeLimits = rules.DEFAULT_LIMITS
    committee_name: str = ""  # empty: "<village>人民调解委员会"


@dataclass(frozen=True)
class PetitionFilter:
    ledger: str | None = None
    year: int | None = None
    state: str | None = None  # open / closed
    overdue: bool = False  # only open petitions past their deadline
    attention: bool = False  # only open petitions due soon or overdue
    text: str = ""  # words in the matter or the content (or a name, where the user may see it)


@dataclass(frozen=True)
class PetitionRow:
    id: int
    number: str
    ledger: str
    channel: str
    received_on: date
    subject: str
    petitioner: str  # "(withheld)" for a complaint unless the reader is the secretary
    state: str
    next_step: str  # "" once closed
    due_on: date | None
    status: str  # on_track / due_soon / overdue; "" once closed
    provisional: bool  # the deadline was counted without knowing that year's holidays
    round: int
    satisfaction: str
    closed_on: date | None


@dataclass(frozen=True)
class StepRow:
    id: int
    position: int
    round: int
    step: str
    done_on: date
    done_by: str
    note: str
    assignee: str
    satisfaction: str
    due_on: date | None
    on_time: bool
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    file_name: str
    media_type: str
    size: int
    sha256: str
    added_at: datetime
    added_by: str


@dataclass(frozen=True)
class PetitionDetail:
    id: int
    number: str
    ledger: str
    channel: str
    received_on: date
    subject: str
    content: str
    villager_id: int | None  # None when withheld or anonymous
    petitioner: str
    contact: str  # "" when withheld
    petitioner_visible: bool  # False: the reader may not see who complained
    anonymous: bool
    departments: bool
    state: str
    next_step: str
    due_on: date | None
    warn_on: date | None
    status: str
    provisional: bool
    round: int
    satisfaction: str
    closed_on: date | None
    created_at: datetime
    created_by: str
    steps: tuple[StepRow, ...]
    attachments: tuple[AttachmentRow, ...]

    @property
    def on_time(self) -> bool:
        return rules.on_time([rules.TimedStep(s.step, s.done_on, s.due_on) for s in self.steps])

    def as_input(self) -> rules.PetitionInput:
        return rules.PetitionInput(
            ledger=self.ledger, channel=self.channel, received_on=self.received_on, subject=self.subject,
            content=self.content, villager_id=self.villager_id, anonymous=self.anonymous,
            contact=self.contact, departments=self.departments,
        )  # fmt: skip


@dataclass(frozen=True)
class Attention:
    """What the main window's indicator shows: open items past or near their deadlines."""

    overdue: int
    due_soon: int
    mediations_overdue: int

    @property
    def total(self) -> int:
        return self.overdue + self.due_soon + self.mediations_overdue


OVERDUE_PETITION, DUE_PETITION, OVERDUE_MEDIATION, FOLLOW_UP_DUE = (
    "overdue_petition", "due_petition", "overdue_mediation", "follow_up_due",
)  # fmt: skip


@dataclass(frozen=True)
class Reminder:
    kind: str
    record_id: int
    number: str
    subject: str
    step: str  # the petition's next step ("" for a mediation)
    due_on: date


@dataclass(frozen=True)
class MediationFilter:
    year: int | None = None
    outcome: str | None = None  # "" for those being mediated
    text: str = ""


@dataclass(frozen=True)
class MediationRow:
    id: int
    number: str
    kind: str
    received_on: date
    parties: str  # the parties' names, joined
    outcome: str
    concluded_on: date | None
    due_on: date
    overdue: bool


@dataclass(frozen=True)
class PartyRow:
    id: int
    position: int
    villager_id: int | None
    name: str
    gender: str
    birth_date: date | None
    id_number: str
    address: str
    phone: str


@dataclass(frozen=True)
class SessionRow:
    id: int
    position: int
    held_on: date
    place: str
    mediators: tuple[str, ...]
    present: str
    record: str
    recorded_by: str


@dataclass(frozen=True)
class FollowUpRow:
    id: int
    party: str
    party_position: int
    visited_on: date
    performance: str
    satisfaction: str
    visitor: str
    note: str
    recorded_by: str


@dataclass(frozen=True)
class MediationDetail:
    id: int
    number: str
    kind: str
    received_on: date
    facts: str
    disputed: str
    mediators: tuple[str, ...]
    due_on: date
    outcome: str
    concluded_on: date | None
    responsibilities: tuple[str, ...]
    terms: tuple[str, ...]
    performance: str
    perform_by: date | None
    oral: bool
    outcome_note: str
    created_at: datetime
    created_by: str
    parties: tuple[PartyRow, ...]
    sessions: tuple[SessionRow, ...]
    follow_ups: tuple[FollowUpRow, ...]

    def as_input(self) -> rules.MediationInput:
        return rules.MediationInput(
            kind=self.kind, received_on=self.received_on, facts=self.facts, disputed=self.disputed,
            parties=tuple(
                rules.PartyInput(
                    p.name, p.villager_id, p.gender, p.birth_date, p.id_number, p.address, p.phone
                )
                for p in self.parties
            ),
            mediators=self.mediators,
        )  # fmt: skip


# Documents: plain data for pdf.py, in Chinese, with no complainant's name and no full number.


@dataclass(frozen=True)
class LedgerLine:
    number: str
    year: int
    sequence: int
    received_on: date
    channel: str
    petitioner: str  # "（保密）" for every complaint, "匿名" for an anonymous one
    subject: str
    assignee: str
    progress: str  # the step reached, or 已销号
    closed_on: date | None
    satisfaction: str
    on_time: str  # 是 / 否 / "" while open
    overdue: bool  # open and past its deadline on the day printed


@dataclass(frozen=True)
class LedgerDocument:
    village: str
    signing_body: str
    start: date
    end: date
    ledgers: tuple[tuple[str, tuple[LedgerLine, ...]], ...]  # (ledger label, lines)
    sign_date: date
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


@dataclass(frozen=True)
class AcknowledgementDocument:
    """受理告知书: told to the villager that the petition was accepted and when to expect an answer."""

    petition_id: int
    village: str
    signing_body: str
    number: str
    ledger_label: str
    addressee: str  # the villager's name; for a complaint never the name
    received_on: date
    channel_label: str
    subject: str
    result_days: int
    consult_days: int
    sign_date: date
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


@dataclass(frozen=True)
class AgreementParty:
    label: str  # 甲方, 乙方, …
    name: str
    gender: str  # 男 / 女 / ""
    birth_date: date | None
    id_number: str  # masked
    address: str
    phone: str  # masked


@dataclass(frozen=True)
class AgreementDocument:
    """调解协议书 with every content 人民调解法 Art. 29 names."""

    mediation_id: int
    village: str
    committee: str
    number: str
    kind_label: str
    parties: tuple[AgreementParty, ...]
    facts: str
    disputed: str
    responsibilities: tuple[tuple[str, str], ...]  # (party label and name, responsibility)
    terms: tuple[str, ...]
    performance: str
    perform_by: date
    mediators: tuple[str, ...]
    oral: bool
    copies: int  # one for each party and one for the committee
    concluded_on: date
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


@dataclass(frozen=True)
class SummaryDocument:
    village: str
    signing_body: str
    start: date
    end: date
    figures: rules.Figures
    sign_date: date
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


# --- helpers --------------------------------------------------------------------------------------


def _date(value: str | date | None) -> date | None:
    """SQLite returns a DateField read straight from the cursor as text, PostgreSQL as a date."""
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _today(today: date | None) -> date:
    return today or clock.today()


def _settings_row(vid: int) -> PetitionSettings | None:
    return PetitionSettings.get_or_none(PetitionSettings.village == vid)


def _settings(vid: int) -> Settings:
    row = _settings_row(vid)
    if row is None:
        return Settings()
    limits = rules.TimeLimits(**{name: getattr(row, name) for name in rules.LIMIT_FIELDS})
    return Settings(limits, row.committee_name)


def _village_name(vid: int) -> str:
    return Village.get_by_id(vid).name


def _committee(vid: int) -> str:
    return f"{_village_name(vid)}村民委员会"


def _mediation_committee(vid: int, settings: Settings) -> str:
    return settings.committee_name or f"{_village_name(vid)}人民调解委员会"


def _calendar(actor: Actor, vid: int) -> cal.WorkingCalendar:
    """The village's working days: China's, with the overrides kept in the notices room's settings."""
    from villagegov.notices import service as notices

    return notices.working_calendar(actor, vid)


def _petitioner_visible(actor: Actor, ledger: str) -> bool:
    return rules.may_see_petitioner(ledger, actor.role)


STORED_WITHHELD = "（保密）"  # what a complaint's stored words say where they named the complainant


def redact(text: str, name: str, contact: str, token: str | None = None) -> str:
    """A complaint's own words may name the complainant: the name and the phone give way to (withheld).

    A complaint's words are stored so (with `STORED_WITHHELD`); readers other than the secretary and
    every document go through it again, for words written before that rule.
    """
    for secret in (name, contact):
        if secret:
            text = text.replace(secret, token or _(rules.WITHHELD))
    return text


@dataclass(frozen=True)
class _Who:
    villager_id: int | None
    name: str
    contact: str


def _identity(p: Petition) -> _Who:
    """Who brought the petition: from the petition, or for a complaint from ComplaintIdentity."""
    if p.ledger != rules.COMPLAINT:
        return _Who(p.villager_id, p.petitioner, p.contact)
    row = ComplaintIdentity.get_or_none(ComplaintIdentity.petition == p.id)
    return _Who(row.villager_id, row.name, row.contact) if row else _Who(None, "", "")


def _shown_petitioner(actor: Actor, ledger: str, name: str, anonymous: bool) -> str:
    if anonymous:
        return _("Anonymous")
    return name if _petitioner_visible(actor, ledger) else _(rules.WITHHELD)


# --- settings -------------------------------------------------------------------------------------


def settings(actor: Actor, village_id: int | None = None) -> Settings:
    return _settings(access.readable_village(actor, village_id))


def update_settings(actor: Actor, data: Settings) -> Settings:
    """The secretary sets the time limits; deadlines already given stay as they were given."""
    vid = access.writable_village(actor, access.APPROVE)
    limits = rules.check_limits(data.limits)
    values: dict[str, Any] = {name: getattr(limits, name) for name in rules.LIMIT_FIELDS}
    values["committee_name"] = " ".join(data.committee_name.split())
    with translated_errors(), transaction():
        row = _settings_row(vid)
        if row is None:
            audit.record_create(actor, PetitionSettings(village=vid, **values))
        else:
            before = audit.snapshot(row)
            for key, value in values.items():
                setattr(row, key, value)
            audit.record_update(actor, row, before)
    return _settings(vid)


# --- petitions: reading ---------------------------------------------------------------------------------

_ROW_COLUMNS = (
    Petition.id, Petition.number, Petition.ledger, Petition.channel, Petition.received_on, Petition.subject,
    Petition.petitioner, Petition.contact, Petition.anonymous, Petition.state, Petition.next_step,
    Petition.due_on, Petition.warn_on, Petition.due_provisional, Petition.round, Petition.satisfaction,
    Petition.closed_on, ComplaintIdentity.name, ComplaintIdentity.contact,
)  # fmt: skip


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(column: peewee.Field, term: str) -> peewee.Expression:
    op = "ILIKE" if is_postgres() else "LIKE"
    return peewee.NodeList((column, peewee.SQL(op), _like(term), peewee.SQL("ESCAPE '\\'")))


def _petition_rows(actor: Actor, query: peewee.ModelSelect, today: date) -> list[PetitionRow]:
    rows = []
    with translated_errors():
        cursor = database.execute(query)
        for r in cursor.fetchall():
            (pid, number, ledger, channel, received, subject, name, contact, anonymous, state, nxt, due, warn,
             provisional, rnd, satisfaction, closed, complainant, complainant_contact) = r  # fmt: skip
            if ledger == rules.COMPLAINT:
                name, contact = complainant or "", complainant_contact or ""
            due, warn = _date(due), _date(warn)
            if not _petitioner_visible(actor, ledger):
                subject = redact(subject, name, contact)
            status = rules.status(due, warn, today) if state == rules.OPEN and due and warn else ""
            rows.append(
                PetitionRow(
                    pid,
                    number,
                    ledger,
                    channel,
                    _date(received),
                    subject,
                    _shown_petitioner(actor, ledger, name, bool(anonymous)),
                    state,
                    nxt,
                    due,
                    status,
                    bool(provisional),
                    rnd,
                    satisfaction,
                    _date(closed),
                )
            )
    return rows


def list_petitions(
    actor: Actor,
    filters: PetitionFilter | None = None,
    today: date | None = None,
    village_id: int | None = None,
    limit: int | None = None,
) -> list[PetitionRow]:
    """Petitions newest first; with `overdue` (or `attention`), open ones by deadline, oldest first."""
    vid = access.readable_village(actor, village_id)
    f = filters or PetitionFilter()
    today = _today(today)
    query = (
        Petition.select(*_ROW_COLUMNS)
        .join(ComplaintIdentity, peewee.JOIN.LEFT_OUTER, on=(ComplaintIdentity.petition == Petition.id))
        .where(Petition.village == vid)
    )
    if f.ledger is not None:
        query = query.where(Petition.ledger == f.ledger)
    if f.year is not None:
        query = query.where(Petition.year == f.year)
    if f.state is not None:
        query = query.where(Petition.state == f.state)
    if f.overdue or f.attention:
        query = query.where(Petition.state == rules.OPEN)
        # Overdue: past the last day. Attention: from the first "due soon" day on.
        query = query.where(Petition.due_on < today if f.overdue else Petition.warn_on <= today)
        query = query.order_by(Petition.due_on, Petition.id)
    else:
        query = query.order_by(Petition.received_on.desc(), Petition.id.desc())
    for term in f.text.split():
        words = _contains(Petition.subject, term) | _contains(Petition.content, term)
        complainant = peewee.fn.COALESCE(ComplaintIdentity.name, "")
        complainant_contact = peewee.fn.COALESCE(ComplaintIdentity.contact, "")
        name = _contains(Petition.petitioner, term)
        if rules.may_see_petitioner(rules.COMPLAINT, actor.role):
            condition = words | name | _contains(complainant, term) | _contains(complainant_contact, term)
        else:
            # A complainant's name (or phone) finds nothing, not even where the words repeat it.
            hidden = (Petition.ledger == rules.COMPLAINT) & (
                _contains(complainant, term)
                | ((complainant_contact != "") & _contains(complainant_contact, term))
            )
            condition = (words | name) & ~hidden
        query = query.where(condition)
    if limit is not None:
        query = query.limit(limit)
    return _petition_rows(actor, query, today)


def _petition(vid: int, petition_id: int) -> Petition:
    row = Petition.get_or_none((Petition.id == petition_id) & (Petition.village == vid))
    if row is None:
        raise NotFound(N_("That petition does not exist."))
    return row


def _readable_petition(actor: Actor, petition_id: int) -> Petition:
    row = Petition.get_or_none(Petition.id == petition_id)
    if row is None:
        raise NotFound(N_("That petition does not exist."))
    access.readable_village(actor, row.village_id)
    return row


def _steps(petition_id: int) -> list[PetitionStep]:
    return list(
        PetitionStep.select().where(PetitionStep.petition == petition_id).order_by(PetitionStep.position)
    )


def _step_row(s: PetitionStep, hide: Callable[[str], str] | None = None) -> StepRow:
    note = hide(s.note) if hide else s.note
    return StepRow(
        s.id, s.position, s.round, s.step, s.done_on, s.done_by, note, s.assignee, s.satisfaction,
        s.due_on, s.due_on is None or s.done_on <= s.due_on, s.recorded_by, s.recorded_at,
    )  # fmt: skip


def _attachment_row(a: PetitionAttachment) -> AttachmentRow:
    return AttachmentRow(a.id, a.file_name, a.media_type, a.size, a.sha256, a.added_at, a.added_by)


def _detail(actor: Actor, p: Petition, today: date) -> PetitionDetail:
    visible = _petitioner_visible(actor, p.ledger)
    who = _identity(p)

    def hide(text: str) -> str:
        return redact(text, who.name, who.contact)

    attachments = (
        PetitionAttachment.select(*[f for f in PetitionAttachment._meta.sorted_fields if f.name != "content"])
        .where(PetitionAttachment.petition == p.id)
        .order_by(PetitionAttachment.id)
    )
    status = ""
    if p.state == rules.OPEN and p.due_on is not None and p.warn_on is not None:
        status = rules.status(p.due_on, p.warn_on, today)
    return PetitionDetail(
        id=p.id, number=p.number, ledger=p.ledger, channel=p.channel, received_on=p.received_on,
        subject=p.subject if visible else hide(p.subject), content=p.content if visible else hide(p.content),
        villager_id=who.villager_id if visible else None,
        petitioner=_shown_petitioner(actor, p.ledger, who.name, p.anonymous),
        contact=who.contact if visible else "", petitioner_visible=visible, anonymous=p.anonymous,
        departments=p.departments, state=p.state, next_step=p.next_step, due_on=p.due_on,
        warn_on=p.warn_on, status=status, provisional=p.due_provisional, round=p.round,
        satisfaction=p.satisfaction, closed_on=p.closed_on, created_at=p.created_at,
        created_by=p.created_by, steps=tuple(_step_row(s, None if visible else hide) for s in _steps(p.id)),
        attachments=tuple(_attachment_row(a) for a in attachments),
    )  # fmt: skip


def get_petition(actor: Actor, petition_id: int, today: date | None = None) -> PetitionDetail:
    return _detail(actor, _readable_petition(actor, petition_id), _today(today))


def attention(actor: Actor, today: date | None = None) -> Attention:
    """Three counts over the indexed deadlines: cheap enough for the main window to ask at start."""
    vid = access.readable_village(actor, None)
    today = _today(today)
    open_ = Petition.select().where((Petition.village == vid) & (Petition.state == rules.OPEN))
    with translated_errors():
        overdue = open_.where(Petition.due_on < today).count()
        due_soon = open_.where((Petition.due_on >= today) & (Petition.warn_on <= today)).count()
        mediations = (
            Mediation.select()
            .where((Mediation.village == vid) & (Mediation.outcome == "") & (Mediation.due_on < today))
            .count()
        )
    return Attention(overdue, due_soon, mediations)


def reminders(actor: Actor, today: date | None = None) -> list[Reminder]:
    """Overdue petitions first, then those due soon, overdue mediations, and agreements to follow up."""
    vid = access.readable_village(actor, None)
    today = _today(today)
    found: list[Reminder] = []
    for row in list_petitions(actor, PetitionFilter(attention=True), today):
        kind = OVERDUE_PETITION if row.status == rules.OVERDUE else DUE_PETITION
        found.append(Reminder(kind, row.id, row.number, row.subject, row.next_step, row.due_on))
    found.sort(key=lambda r: (r.kind != OVERDUE_PETITION, r.due_on))
    late = (
        Mediation.select(Mediation.id, Mediation.number, Mediation.disputed, Mediation.due_on)
        .where((Mediation.village == vid) & (Mediation.outcome == "") & (Mediation.due_on < today))
        .order_by(Mediation.due_on)
    )
    for m in late:
        found.append(
            Reminder(OVERDUE_MEDIATION, m.id, m.number, rules.one_line(m.disputed, 30), "", m.due_on)
        )
    # An agreement whose performance fell due is visited on or after that day (回访).
    due_visits = list(
        Mediation.select(Mediation.id, Mediation.number, Mediation.disputed, Mediation.perform_by)
        .where(
            (Mediation.village == vid)
            & (Mediation.outcome == rules.AGREEMENT)
            & (Mediation.perform_by < today)
        )
        .order_by(Mediation.perform_by)
    )
    visited = (
        {
            mid: _date(last)
            for mid, last in MediationFollowUp.select(
                MediationFollowUp.mediation, peewee.fn.MAX(MediationFollowUp.visited_on)
            )
            .where(MediationFollowUp.mediation.in_([m.id for m in due_visits]))
            .group_by(MediationFollowUp.mediation)
            .tuples()
        }
        if due_visits
        else {}
    )
    for m in due_visits:
        last = visited.get(m.id)
        if last is None or last < m.perform_by:
            found.append(
                Reminder(FOLLOW_UP_DUE, m.id, m.number, rules.one_line(m.disputed, 30), "", m.perform_by)
            )
    return found


# --- petitions: writing ---------------------------------------------------------------------------


def _history(steps: Iterable[PetitionStep]) -> list[rules.StepFact]:
    return [rules.StepFact(s.step, s.done_on, s.satisfaction) for s in steps]


def _set_next_deadline(
    actor: Actor, vid: int, petition: Petition, history: Sequence[rules.StepFact], limits: rules.TimeLimits
) -> None:
    """After a step: the next step and its deadline (working days, counted from its anchor)."""
    nxt = rules.next_step(history)
    if nxt is None:
        petition.next_step = ""
        petition.due_on = petition.warn_on = None
        petition.due_provisional = False
        return
    anchor = rules.anchor_date(nxt, history, petition.received_on)
    due = rules.deadline(
        anchor, limits.days(nxt, petition.departments), limits.due_soon, _calendar(actor, vid)
    )
    petition.next_step = nxt
    petition.due_on, petition.warn_on, petition.due_provisional = due.due_on, due.warn_on, due.provisional


def _villager(vid: int, villager_id: int) -> Villager:
    row = Villager.get_or_none((Villager.id == villager_id) & (Villager.village == vid))
    if row is None:
        raise ValidationError(N_("That villager is not on this village's roster."), field="villager")
    return row


def _number_lock(actor: Actor) -> None:
    if is_postgres():
        # Two users registering at once must not take the same number (same lock as the audit).
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (actor.audit_chain,))


def create_petition(
    actor: Actor,
    data: rules.PetitionInput,
    registered_on: date | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> PetitionDetail:
    """建账: the petition enters its ledger with the next number of the ledger and year; the
    建账 step is recorded with it (on `registered_on`, by default today)."""
    vid = access.writable_village(actor)
    today = _today(today)
    registered_on = registered_on or today
    clean = rules.check_petition(data, today)
    with translated_errors(), transaction():
        name = ""
        if clean.villager_id is not None:
            villager = _villager(vid, clean.villager_id)
            name = villager.name
        limits = _settings(vid).limits
        _number_lock(actor)
        year = clean.received_on.year
        used = Petition.select(Petition.sequence).where(
            (Petition.village == vid) & (Petition.ledger == clean.ledger) & (Petition.year == year)
        )
        sequence = rules.next_sequence(s for (s,) in used.tuples())
        number = rules.petition_number(clean.ledger, year, sequence)
        step = rules.check_step(
            rules.StepInput(rules.REGISTER, registered_on), [], number, clean.received_on, clean.anonymous,
            today, actor.display_name,
        )  # fmt: skip
        complaint = clean.ledger == rules.COMPLAINT
        subject, content = clean.subject, clean.content
        if complaint:  # the complainant is kept apart, and out of the complaint's own words
            subject = redact(subject, name, clean.contact, STORED_WITHHELD)
            content = redact(content, name, clean.contact, STORED_WITHHELD)
        petition = Petition(
            village=vid, ledger=clean.ledger, year=year, sequence=sequence, number=number,
            channel=clean.channel, received_on=clean.received_on, subject=subject, content=content,
            villager_id=None if complaint else clean.villager_id, petitioner="" if complaint else name,
            contact="" if complaint else clean.contact, anonymous=clean.anonymous,
            departments=clean.departments, state=rules.OPEN, created_at=now or clock.now(),
            created_by=actor.username,
        )  # fmt: skip
        register_due = rules.deadline(
            clean.received_on, limits.register, limits.due_soon, _calendar(actor, vid)
        )
        history = [rules.StepFact(rules.REGISTER, step.done_on)]
        _set_next_deadline(actor, vid, petition, history, limits)
        audit.record_create(actor, petition)
        if complaint and not clean.anonymous:
            ComplaintIdentity.create(
                petition=petition.id, villager_id=clean.villager_id, name=name, contact=clean.contact
            )
        _write_step(actor, petition, step, 1, register_due.due_on, register_due.provisional, now)
    return _detail(actor, petition, today)


def _write_step(
    actor: Actor,
    petition: Petition,
    step: rules.CleanStep,
    position: int,
    due_on: date | None,
    provisional: bool,
    now: datetime | None,
) -> PetitionStep:
    row = PetitionStep(
        petition=petition.id, position=position, round=petition.round, step=step.step,
        done_on=step.done_on, done_by=step.done_by, note=step.note, assignee=step.assignee,
        satisfaction=step.satisfaction, due_on=due_on, due_provisional=provisional,
        recorded_by=actor.username, recorded_at=now or clock.now(),
    )  # fmt: skip
    audit.record_create(actor, row, action=step.step)
    return row


def update_petition(
    actor: Actor, petition_id: int, data: rules.PetitionInput, today: date | None = None
) -> PetitionDetail:
    """Correct an open petition's particulars (audited); a closed one is never changed. Its ledger,
    number, receipt date and deadlines stay as they are."""
    vid = access.writable_village(actor)
    today = _today(today)
    with translated_errors(), transaction():
        petition = _petition(vid, petition_id)
        if petition.state == rules.CLOSED:
            raise FinalisedRecord(
                N_("Petition {number} is closed and filed and is never changed."), number=petition.number
            )
        if not _petitioner_visible(actor, petition.ledger):
            raise PermissionDenied(N_("Only the party secretary may change a complaint's particulars."))
        if data.ledger != petition.ledger or data.received_on != petition.received_on:
            raise ValidationError(
                N_("A petition keeps its ledger and the day it was received; record a new one instead.")
            )
        clean = rules.check_petition(data, today)
        name = _villager(vid, clean.villager_id).name if clean.villager_id is not None else ""
        before = audit.snapshot(petition)
        petition.channel, petition.anonymous, petition.departments = (
            clean.channel, clean.anonymous, clean.departments,
        )  # fmt: skip
        if petition.ledger == rules.COMPLAINT:
            ComplaintIdentity.delete().where(ComplaintIdentity.petition == petition.id).execute()
            if not clean.anonymous:
                ComplaintIdentity.create(
                    petition=petition.id, villager_id=clean.villager_id, name=name, contact=clean.contact
                )
            petition.subject = redact(clean.subject, name, clean.contact, STORED_WITHHELD)
            petition.content = redact(clean.content, name, clean.contact, STORED_WITHHELD)
        else:
            petition.subject, petition.content = clean.subject, clean.content
            petition.villager_id, petition.petitioner, petition.contact = (
                clean.villager_id,
                name,
                clean.contact,
            )
        audit.record_update(actor, petition, before)
    return _detail(actor, petition, today)


def record_step(
    actor: Actor,
    petition_id: int,
    data: rules.StepInput,
    today: date | None = None,
    now: datetime | None = None,
) -> PetitionDetail:
    """Record the next step, and only the next: a step out of order is refused, naming the next one.

    The secretary's steps (阅批, 把关) and closing (销号) need the secretary. A dissatisfied answer at
    回复征询 sends the petition back to 交办 in a new round; what was recorded stays.
    """
    permission = access.APPROVE if data.step in rules.SECRETARY_STEPS else access.WRITE
    if data.step in rules.SECRETARY_STEPS and not access.may(actor, access.APPROVE):
        raise PermissionDenied(
            N_("Only the party secretary may record “{step}”; you are signed in as {role}."),
            step=rules.step_label(data.step), role=access.role_label(actor.role),
        )  # fmt: skip
    vid = access.writable_village(actor, permission)
    today = _today(today)
    with translated_errors(), transaction():
        petition = _petition(vid, petition_id)
        steps = _steps(petition.id)
        history = _history(steps)
        step = rules.check_step(
            data, history, petition.number, petition.received_on, petition.anonymous, today,
            actor.display_name,
        )  # fmt: skip
        if petition.ledger == rules.COMPLAINT:  # a note never names the complainant
            who = _identity(petition)
            step = replace(
                step,
                note=redact(step.note, who.name, who.contact, STORED_WITHHELD),
                assignee=redact(step.assignee, who.name, who.contact, STORED_WITHHELD),
            )
        before = audit.snapshot(petition)
        _write_step(actor, petition, step, len(steps) + 1, petition.due_on, petition.due_provisional, now)
        history.append(rules.StepFact(step.step, step.done_on, step.satisfaction))
        if step.step == rules.CONSULT:
            petition.satisfaction = step.satisfaction
            if step.satisfaction == rules.DISSATISFIED:
                petition.round += 1
        if step.step == rules.CLOSE:
            petition.state = rules.CLOSED
            petition.closed_on = step.done_on
        _set_next_deadline(actor, vid, petition, history, _settings(vid).limits)
        audit.record_update(actor, petition, before, action=step.step)
    return _detail(actor, petition, today)


def recount_deadlines(actor: Actor) -> int:
    """Count again the deadlines that were provisional (a year the calendar did not know), now that
    the calendar may know it; returns how many changed. Nothing is written when none can be."""
    vid = access.writable_village(actor)
    calendar = _calendar(actor, vid)
    changed = 0
    with translated_errors(), transaction():
        limits = _settings(vid).limits
        query = Petition.select().where(
            (Petition.village == vid) & (Petition.state == rules.OPEN) & (Petition.due_provisional == True)  # noqa: E712
        )
        for petition in query:
            history = _history(_steps(petition.id))
            anchor = rules.anchor_date(petition.next_step, history, petition.received_on)
            days = limits.days(petition.next_step, petition.departments)
            due = rules.deadline(anchor, days, limits.due_soon, calendar)
            if due.provisional:
                continue
            before = audit.snapshot(petition)
            petition.due_on, petition.warn_on, petition.due_provisional = due.due_on, due.warn_on, False
            changed += audit.record_update(actor, petition, before, action="recount")
    return changed


def provisional_count(actor: Actor) -> int:
    vid = access.readable_village(actor, None)
    return (
        Petition.select()
        .where(
            (Petition.village == vid) & (Petition.state == rules.OPEN) & (Petition.due_provisional == True)  # noqa: E712
        )
        .count()
    )


# --- attachments ------------------------------------------------------------------------------------


def add_attachment(actor: Actor, petition_id: int, file_name: str, content: bytes) -> AttachmentRow:
    """A letter, a photo or a scan belongs to the petition (an image or a PDF); a closed one takes none."""
    vid = access.writable_village(actor)
    name, media_type = attachments.checked_file(file_name, content)
    with translated_errors(), transaction():
        petition = _petition(vid, petition_id)
        if petition.state == rules.CLOSED:
            raise FinalisedRecord(
                N_("Petition {number} is closed and filed and is never changed."), number=petition.number
            )
        if not _petitioner_visible(actor, petition.ledger):
            # A complaint's papers usually name the complainant.
            raise PermissionDenied(N_("Only the party secretary may add papers to a complaint."))
        row = PetitionAttachment(
            petition=petition.id, file_name=name, media_type=media_type, size=len(content),
            sha256=hashlib.sha256(content).hexdigest(), content=content, added_at=clock.now(),
            added_by=actor.username,
        )  # fmt: skip
        audit.record_create(actor, row)
    return _attachment_row(row)


def attachment_content(actor: Actor, attachment_id: int) -> bytes:
    row = PetitionAttachment.get_or_none(PetitionAttachment.id == attachment_id)
    if row is None:
        raise NotFound(N_("That attachment does not exist."))
    petition = _readable_petition(actor, row.petition_id)
    if not _petitioner_visible(actor, petition.ledger):
        raise PermissionDenied(N_("Only the party secretary may open a complaint's papers."))
    return bytes(row.content)


# --- mediations ------------------------------------------------------------------------------------------


def _names(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text or "[]"))


def _mediation(vid: int, mediation_id: int) -> Mediation:
    row = Mediation.get_or_none((Mediation.id == mediation_id) & (Mediation.village == vid))
    if row is None:
        raise NotFound(N_("That mediation does not exist."))
    return row


def _readable_mediation(actor: Actor, mediation_id: int) -> Mediation:
    row = Mediation.get_or_none(Mediation.id == mediation_id)
    if row is None:
        raise NotFound(N_("That mediation does not exist."))
    access.readable_village(actor, row.village_id)
    return row


def _parties(mediation_id: int) -> list[MediationParty]:
    return list(
        MediationParty.select()
        .where(MediationParty.mediation == mediation_id)
        .order_by(MediationParty.position)
    )


def _party_row(p: MediationParty) -> PartyRow:
    return PartyRow(
        p.id, p.position, p.villager_id, p.name, p.gender, p.birth_date, p.id_number, p.address, p.phone
    )


def _mediation_detail(m: Mediation) -> MediationDetail:
    parties = _parties(m.id)
    names = {p.id: (p.name, p.position) for p in parties}
    sessions = (
        MediationSession.select()
        .where(MediationSession.mediation == m.id)
        .order_by(MediationSession.position)
    )
    visits = (
        MediationFollowUp.select()
        .where(MediationFollowUp.mediation == m.id)
        .order_by(MediationFollowUp.visited_on, MediationFollowUp.id)
    )
    return MediationDetail(
        id=m.id, number=m.number, kind=m.kind, received_on=m.received_on, facts=m.facts,
        disputed=m.disputed, mediators=_names(m.mediators), due_on=m.due_on, outcome=m.outcome,
        concluded_on=m.concluded_on, responsibilities=_names(m.responsibilities), terms=_names(m.terms),
        performance=m.performance, perform_by=m.perform_by, oral=m.oral, outcome_note=m.outcome_note,
        created_at=m.created_at, created_by=m.created_by,
        parties=tuple(_party_row(p) for p in parties),
        sessions=tuple(
            SessionRow(s.id, s.position, s.held_on, s.place, _names(s.mediators), s.present, s.record,
                       s.recorded_by)
            for s in sessions
        ),
        follow_ups=tuple(
            FollowUpRow(v.id, names[v.party_id][0], names[v.party_id][1], v.visited_on, v.performance,
                        v.satisfaction, v.visitor, v.note, v.recorded_by)
            for v in visits
        ),
    )  # fmt: skip


def get_mediation(actor: Actor, mediation_id: int) -> MediationDetail:
    return _mediation_detail(_readable_mediation(actor, mediation_id))


def list_mediations(
    actor: Actor,
    filters: MediationFilter | None = None,
    today: date | None = None,
    village_id: int | None = None,
) -> list[MediationRow]:
    vid = access.readable_village(actor, village_id)
    f = filters or MediationFilter()
    today = _today(today)
    query = Mediation.select().where(Mediation.village == vid)
    if f.year is not None:
        query = query.where(Mediation.year == f.year)
    if f.outcome is not None:
        query = query.where(Mediation.outcome == f.outcome)
    for term in f.text.split():
        in_parties = MediationParty.select(MediationParty.mediation).where(
            _contains(MediationParty.name, term)
        )
        query = query.where(
            _contains(Mediation.facts, term)
            | _contains(Mediation.disputed, term)
            | Mediation.id.in_(in_parties)
        )
    query = query.order_by(Mediation.received_on.desc(), Mediation.id.desc())
    with translated_errors():
        mediations = list(query)
        names: dict[int, list[str]] = {m.id: [] for m in mediations}
        if mediations:
            parties = (
                MediationParty.select(MediationParty.mediation, MediationParty.name)
                .where(MediationParty.mediation.in_(list(names)))
                .order_by(MediationParty.mediation, MediationParty.position)
                .tuples()
            )
            for mid, name in parties:
                names[mid].append(name)
    return [
        MediationRow(
            m.id,
            m.number,
            m.kind,
            m.received_on,
            "、".join(names[m.id]),
            m.outcome,
            m.concluded_on,
            m.due_on,
            m.outcome == "" and today > m.due_on,
        )
        for m in mediations
    ]


def _party_particulars(vid: int, party: rules.PartyInput) -> rules.PartyInput:
    """A villager's particulars are copied from the roster as they are today."""
    if party.villager_id is None:
        return party
    v = _villager(vid, party.villager_id)
    address = Household.get_by_id(v.household_id).address
    return rules.PartyInput(
        name=v.name, villager_id=v.id, gender=v.gender, birth_date=v.birth_date, id_number=v.id_number or "",
        address=party.address or address, phone=party.phone or v.phone,
    )  # fmt: skip


def _write_parties(actor: Actor, mediation: Mediation, parties: Sequence[rules.PartyInput]) -> None:
    for position, p in enumerate(parties, start=1):
        audit.record_create(
            actor,
            MediationParty(
                mediation=mediation.id, position=position, villager_id=p.villager_id, name=p.name,
                gender=p.gender, birth_date=p.birth_date, id_number=p.id_number, address=p.address,
                phone=p.phone,
            ),
        )  # fmt: skip


def create_mediation(
    actor: Actor, data: rules.MediationInput, today: date | None = None, now: datetime | None = None
) -> MediationDetail:
    """调解登记: the dispute, its parties (from the roster or outside) and mediators, with its number."""
    vid = access.writable_village(actor)
    today = _today(today)
    with translated_errors(), transaction():
        data = replace(data, parties=tuple(_party_particulars(vid, p) for p in data.parties))
        clean = rules.check_mediation(data, today)
        limits = _settings(vid).limits
        _number_lock(actor)
        year = clean.received_on.year
        used = Mediation.select(Mediation.sequence).where(
            (Mediation.village == vid) & (Mediation.year == year)
        )
        sequence = rules.next_sequence(s for (s,) in used.tuples())
        mediation = Mediation(
            village=vid, year=year, sequence=sequence, number=rules.mediation_number(year, sequence),
            kind=clean.kind, received_on=clean.received_on, facts=clean.facts, disputed=clean.disputed,
            mediators=json.dumps(list(clean.mediators), ensure_ascii=False),
            due_on=rules.mediation_deadline(clean.received_on, limits), created_at=now or clock.now(),
            created_by=actor.username,
        )  # fmt: skip
        audit.record_create(actor, mediation)
        _write_parties(actor, mediation, clean.parties)
    return _mediation_detail(mediation)


def _open_mediation(vid: int, mediation_id: int) -> Mediation:
    mediation = _mediation(vid, mediation_id)
    if mediation.outcome:
        raise FinalisedRecord(
            N_("Mediation {number} has ended ({outcome}) and is never changed."),
            number=mediation.number, outcome=rules.outcome_label(mediation.outcome),
        )  # fmt: skip
    return mediation


def update_mediation(
    actor: Actor, mediation_id: int, data: rules.MediationInput, today: date | None = None
) -> MediationDetail:
    """Correct a dispute's registration while it is being mediated (each change audited)."""
    vid = access.writable_village(actor)
    today = _today(today)
    with translated_errors(), transaction():
        mediation = _open_mediation(vid, mediation_id)
        if data.received_on != mediation.received_on:
            raise ValidationError(N_("A dispute keeps the day it was registered."), field="received_on")
        data = replace(data, parties=tuple(_party_particulars(vid, p) for p in data.parties))
        clean = rules.check_mediation(data, today)
        before = audit.snapshot(mediation)
        mediation.kind, mediation.facts, mediation.disputed = clean.kind, clean.facts, clean.disputed
        mediation.mediators = json.dumps(list(clean.mediators), ensure_ascii=False)
        audit.record_update(actor, mediation, before)
        old = [_party_row(p) for p in _parties(mediation.id)]
        new = [
            PartyRow(0, i, p.villager_id, p.name, p.gender, p.birth_date, p.id_number, p.address, p.phone)
            for i, p in enumerate(clean.parties, start=1)
        ]
        if [replace(p, id=0) for p in old] != new:
            for party in _parties(mediation.id):
                audit.record_delete(actor, party)
            _write_parties(actor, mediation, clean.parties)
    return _mediation_detail(mediation)


def record_session(
    actor: Actor,
    mediation_id: int,
    data: rules.SessionInput,
    today: date | None = None,
    now: datetime | None = None,
) -> MediationDetail:
    vid = access.writable_village(actor)
    today = _today(today)
    with translated_errors(), transaction():
        mediation = _open_mediation(vid, mediation_id)
        clean = rules.check_session(data, mediation.received_on, today)
        count = MediationSession.select().where(MediationSession.mediation == mediation.id).count()
        audit.record_create(
            actor,
            MediationSession(
                mediation=mediation.id, position=count + 1, held_on=clean.held_on, place=clean.place,
                mediators=json.dumps(list(clean.mediators), ensure_ascii=False), present=clean.present,
                record=clean.record, recorded_by=actor.username, recorded_at=now or clock.now(),
            ),
            action="session",
        )  # fmt: skip
    return _mediation_detail(mediation)


def record_outcome(
    actor: Actor, mediation_id: int, data: rules.OutcomeInput, today: date | None = None
) -> MediationDetail:
    """An agreement (with its terms, performance and each party's responsibility), no agreement, or
    referral; once recorded the mediation is final."""
    vid = access.writable_village(actor)
    today = _today(today)
    with translated_errors(), transaction():
        mediation = _open_mediation(vid, mediation_id)
        last = (
            MediationSession.select(peewee.fn.MAX(MediationSession.held_on))
            .where(MediationSession.mediation == mediation.id)
            .scalar()
        )
        parties = len(_parties(mediation.id))
        clean = rules.check_outcome(data, parties, _date(last), mediation.received_on, today)
        before = audit.snapshot(mediation)
        mediation.outcome, mediation.concluded_on = clean.outcome, clean.concluded_on
        mediation.responsibilities = json.dumps(list(clean.responsibilities), ensure_ascii=False)
        mediation.terms = json.dumps(list(clean.terms), ensure_ascii=False)
        mediation.performance, mediation.perform_by = clean.performance, clean.perform_by
        mediation.oral, mediation.outcome_note = clean.oral, clean.note
        audit.record_update(actor, mediation, before, action=clean.outcome)
    return _mediation_detail(mediation)


def record_follow_up(
    actor: Actor,
    mediation_id: int,
    data: rules.FollowUpInput,
    today: date | None = None,
    now: datetime | None = None,
) -> MediationDetail:
    """回访: the committee follows up an agreement's performance (人民调解法 Art. 31)."""
    vid = access.writable_village(actor)
    today = _today(today)
    with translated_errors(), transaction():
        mediation = _mediation(vid, mediation_id)
        if mediation.outcome != rules.AGREEMENT:
            raise ValidationError(N_("Only an agreement is followed up."))
        parties = _parties(mediation.id)
        clean = rules.check_follow_up(data, len(parties), mediation.concluded_on, today)
        audit.record_create(
            actor,
            MediationFollowUp(
                mediation=mediation.id, party=parties[clean.party_index - 1].id, visited_on=clean.visited_on,
                performance=clean.performance, satisfaction=clean.satisfaction, visitor=clean.visitor,
                note=clean.note, recorded_by=actor.username, recorded_at=now or clock.now(),
            ),
            action="follow_up",
        )  # fmt: skip
    return _mediation_detail(mediation)


# --- figures ------------------------------------------------------------------------------------------


def _check_period(start: date, end: date) -> None:
    rules.months_of(start, end)
    if (end - start).days > 3660:
        raise ValidationError(N_("A period of figures is at most ten years."), field="period")


def figures(actor: Actor, start: date, end: date, village_id: int | None = None) -> rules.Figures:
    """The county's figures for any period: per ledger and month, and for disputes."""
    vid = access.readable_village(actor, village_id)
    _check_period(start, end)
    with translated_errors():
        touched = Petition.select(
            Petition.id, Petition.ledger, Petition.received_on, Petition.closed_on
        ).where(
            (Petition.village == vid)
            & (Petition.received_on.between(start, end) | Petition.closed_on.between(start, end))
        )
        rows = list(database.execute(touched))
        closed_ids = [r[0] for r in rows if r[3] is not None and start <= _date(r[3]) <= end]
        late: set[int] = set()
        for i in range(0, len(closed_ids), 500):
            chunk = closed_ids[i : i + 500]
            late.update(
                pid
                for (pid,) in PetitionStep.select(PetitionStep.petition)
                .where(
                    PetitionStep.petition.in_(chunk)
                    & PetitionStep.due_on.is_null(False)
                    & (PetitionStep.done_on > PetitionStep.due_on)
                )
                .distinct()
                .tuples()
            )
        facts = [
            rules.PetitionFact(ledger, _date(received), _date(closed), pid not in late)
            for pid, ledger, received, closed in rows
        ]
        answers = [
            rules.AnswerFact(ledger, _date(on), satisfaction)
            for ledger, on, satisfaction in database.execute(
                PetitionStep.select(Petition.ledger, PetitionStep.done_on, PetitionStep.satisfaction)
                .join(Petition)
                .where(
                    (Petition.village == vid)
                    & (PetitionStep.step == rules.CONSULT)
                    & PetitionStep.done_on.between(start, end)
                )
            )
        ]
        disputes = [
            rules.MediationFact(_date(received), _date(concluded), outcome)
            for received, concluded, outcome in database.execute(
                Mediation.select(Mediation.received_on, Mediation.concluded_on, Mediation.outcome).where(
                    (Mediation.village == vid)
                    & (Mediation.received_on.between(start, end) | Mediation.concluded_on.between(start, end))
                )
            )
        ]
    return rules.figures(start, end, facts, answers, disputes)


# --- documents -----------------------------------------------------------------------------------------

GENDER_WORDS = {"male": "男", "female": "女"}
PARTY_LABELS = "甲乙丙丁戊己庚辛壬癸"


def party_label(position: int) -> str:
    """甲方, 乙方, … (then 第11方 for the eleventh and after)."""
    if position <= len(PARTY_LABELS):
        return f"{PARTY_LABELS[position - 1]}方"
    return f"第{position}方"


def _masking(actor: Actor, vid: int) -> Masking:
    """How the village's paper masks numbers (kept with its notices' settings, DOMAIN.md)."""
    from villagegov.notices import service as notices

    return notices.masking(actor, vid)


def _masker(masking: Masking) -> Callable[[str], str]:
    """What this room's papers, all kept on file but the summary, do with a text: every ID-card and
    phone number masked, unless the village prints them in full on such papers."""
    return masking if masking.masks(Audience.ON_FILE) else str


def _document_subject(p: Petition) -> str:
    if p.ledger != rules.COMPLAINT:
        return p.subject
    who = _identity(p)
    return redact(p.subject, who.name, who.contact)


@in_document_language
def ledger_document(
    actor: Actor,
    start: date,
    end: date,
    ledger: str | None = None,
    today: date | None = None,
) -> LedgerDocument:
    """登记簿: each ledger as a table of the petitions received in the period. No complainant is named."""
    vid = access.readable_village(actor, None)
    today = _today(today)
    _check_period(start, end)
    if ledger is not None and ledger not in rules.LEDGERS:
        raise ValidationError(N_("Unknown ledger: {value}"), field="ledger", value=ledger)
    masking = _masking(actor, vid)
    _mask = _masker(masking)
    petitions = list(
        Petition.select()
        .where((Petition.village == vid) & Petition.received_on.between(start, end))
        .order_by(Petition.ledger, Petition.received_on, Petition.sequence)
    )
    steps: dict[int, list[PetitionStep]] = {p.id: [] for p in petitions}
    ids = list(steps)
    for i in range(0, len(ids), 500):
        for s in (
            PetitionStep.select()
            .where(PetitionStep.petition.in_(ids[i : i + 500]))
            .order_by(PetitionStep.petition, PetitionStep.position)
        ):
            steps[s.petition_id].append(s)
    tables = []
    for lg in (ledger,) if ledger else rules.LEDGERS:
        lines = []
        for p in (p for p in petitions if p.ledger == lg):
            done = steps[p.id]
            assignee = next((s.assignee for s in reversed(done) if s.step == rules.ASSIGN), "")
            if p.anonymous:
                who = "匿名"
            elif p.ledger == rules.COMPLAINT:
                who = "（保密）"  # never a complainant's name on paper, whoever prints
            else:
                who = p.petitioner
            closed = p.state == rules.CLOSED
            timed = [rules.TimedStep(s.step, s.done_on, s.due_on) for s in done]
            lines.append(
                LedgerLine(
                    number=p.number,
                    year=p.year,
                    sequence=p.sequence,
                    received_on=p.received_on,
                    channel=rules.channel_label(p.channel),
                    petitioner=who,
                    subject=_mask(_document_subject(p)),
                    assignee=_mask(assignee),
                    progress="已销号" if closed else f"待{rules.step_label(p.next_step)}",
                    closed_on=p.closed_on,
                    satisfaction=rules.satisfaction_label(p.satisfaction),
                    on_time=("是" if rules.on_time(timed) else "否") if closed else "",
                    overdue=not closed and p.due_on is not None and today > p.due_on,
                )
            )
        tables.append((f"{rules.ledger_label(lg)}登记簿", tuple(lines)))
    return LedgerDocument(
        village=_village_name(vid), signing_body=_committee(vid), start=start, end=end,
        ledgers=tuple(tables), sign_date=today, masking=masking,
    )  # fmt: skip


@in_document_language
def acknowledgement_document(
    actor: Actor, petition_id: int, today: date | None = None
) -> AcknowledgementDocument:
    """受理告知书, once the secretary has reviewed the petition; a complaint's is addressed without a name."""
    petition = _readable_petition(actor, petition_id)
    if petition.anonymous:
        raise ValidationError(N_("An anonymous complaint has nobody to send an acceptance notice to."))
    steps = _steps(petition.id)
    if not any(s.step == rules.REVIEW for s in steps):
        raise ValidationError(
            N_("The acceptance notice is printed once the secretary has reviewed the petition.")
        )
    told = next((s.done_on for s in steps if s.step == rules.ACKNOWLEDGE), None)
    masking = _masking(actor, petition.village_id)
    _mask = _masker(masking)
    limits = _settings(petition.village_id).limits
    complaint = petition.ledger == rules.COMPLAINT
    who = _identity(petition)
    subject = redact(petition.subject, who.name, who.contact) if complaint else petition.subject
    addressee = "投诉举报人" if complaint else petition.petitioner
    return AcknowledgementDocument(
        petition_id=petition.id, village=_village_name(petition.village_id),
        signing_body=_committee(petition.village_id), number=petition.number,
        ledger_label=rules.ledger_label(petition.ledger), addressee=addressee,
        received_on=petition.received_on, channel_label=rules.channel_label(petition.channel),
        subject=_mask(subject),
        result_days=limits.days(rules.FEEDBACK, petition.departments),
        consult_days=limits.consult, sign_date=told or _today(today), masking=masking,
    )  # fmt: skip


@in_document_language
def agreement_document(actor: Actor, mediation_id: int) -> AgreementDocument:
    """调解协议书: parties' particulars (numbers masked), facts, what is disputed and each party's
    responsibility, what was agreed and how and by when it is performed; one copy a party and one
    for the committee (人民调解法 Art. 29)."""
    m = _readable_mediation(actor, mediation_id)
    if m.outcome != rules.AGREEMENT:
        raise ValidationError(N_("Only a mediation that reached an agreement has an agreement to print."))
    settings_ = _settings(m.village_id)
    masking = _masking(actor, m.village_id)
    _mask = _masker(masking)
    parties = _parties(m.id)
    shown = tuple(
        AgreementParty(
            label=party_label(p.position),
            name=p.name,
            gender=GENDER_WORDS.get(p.gender, ""),
            birth_date=p.birth_date,
            id_number=_mask(p.id_number),
            address=_mask(p.address),
            phone=_mask(p.phone),
        )
        for p in parties
    )
    duties = _names(m.responsibilities)
    return AgreementDocument(
        mediation_id=m.id, village=_village_name(m.village_id),
        committee=_mediation_committee(m.village_id, settings_), number=m.number,
        kind_label=rules.kind_label(m.kind), parties=shown, facts=_mask(m.facts), disputed=_mask(m.disputed),
        responsibilities=tuple(
            (f"{party_label(p.position)}{p.name}", _mask(duty))
            for p, duty in zip(parties, duties, strict=True)
            if duty
        ),
        terms=tuple(_mask(t) for t in _names(m.terms)), performance=_mask(m.performance),
        perform_by=m.perform_by, mediators=_names(m.mediators), oral=m.oral, copies=len(parties) + 1,
        concluded_on=m.concluded_on, masking=masking,
    )  # fmt: skip


@in_document_language
def summary_document(actor: Actor, start: date, end: date, today: date | None = None) -> SummaryDocument:
    """The period's figures, to print with their tables and charts."""
    vid = access.readable_village(actor, None)
    return SummaryDocument(
        village=_village_name(vid), signing_body=_committee(vid), start=start, end=end,
        figures=figures(actor, start, end), sign_date=_today(today), masking=_masking(actor, vid),
    )  # fmt: skip
