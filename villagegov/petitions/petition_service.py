"""Every 民情三本账 operation a user can do. Each write is one transaction with its audit entries.

Who may do what is decided once, in petition_rules.petition_actions (the room's buttons ask the
same): the clerk and the secretary record petitions and their steps; only the secretary does the
secretary's own steps (书记阅批, 书记把关) and closes a petition (销号); the supervisory committee
and township reviewers read.

A complainant's name (投诉举报) is seen only by the secretary: every reading function here gives
other roles "(withheld)" in its place, with no roster id and no contact, and a search by name
does not find complaints for them. No printed document carries a complainant's name, whoever
prints it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

import peewee

from villagegov.accounts import rules as access
from villagegov.core import attachments, audit, clock
from villagegov.core import calendar as cal
from villagegov.core.actor import Actor
from villagegov.core.db import database, transaction, translated_errors
from villagegov.core.errors import NotFound, PermissionDenied, ValidationError
from villagegov.core.i18n import N_, _, in_document_language
from villagegov.petitions import common
from villagegov.petitions import petition_rules as rules
from villagegov.petitions import rules as figure_rules
from villagegov.petitions.petition_models import ComplaintIdentity, Petition, PetitionAttachment, PetitionStep
from villagegov.petitions.petition_records import (
    AcknowledgementDocument,
    AttachmentRow,
    LedgerDocument,
    LedgerLine,
    PetitionDetail,
    PetitionFilter,
    PetitionRow,
    StepRow,
)
from villagegov.petitions.records import DUE_PETITION, OVERDUE_PETITION, Reminder

# --- who brought it, and who may know ---------------------------------------------------------------


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


# --- petitions: reading ---------------------------------------------------------------------------------

_ROW_COLUMNS = (
    Petition.id, Petition.number, Petition.ledger, Petition.channel, Petition.received_on, Petition.subject,
    Petition.petitioner, Petition.contact, Petition.anonymous, Petition.state, Petition.next_step,
    Petition.due_on, Petition.warn_on, Petition.due_provisional, Petition.round, Petition.satisfaction,
    Petition.closed_on, ComplaintIdentity.name, ComplaintIdentity.contact,
)  # fmt: skip


def _petition_rows(actor: Actor, query: peewee.ModelSelect, today: date) -> list[PetitionRow]:
    rows = []
    with translated_errors():
        cursor = database.execute(query)
        for r in cursor.fetchall():
            (pid, number, ledger, channel, received, subject, name, contact, anonymous, state, nxt, due, warn,
             provisional, rnd, satisfaction, closed, complainant, complainant_contact) = r  # fmt: skip
            if ledger == rules.COMPLAINT:
                name, contact = complainant or "", complainant_contact or ""
            due, warn = common.as_date(due), common.as_date(warn)
            if not _petitioner_visible(actor, ledger):
                subject = redact(subject, name, contact)
            status = rules.status(due, warn, today) if state == rules.OPEN and due and warn else ""
            rows.append(
                PetitionRow(
                    pid,
                    number,
                    ledger,
                    channel,
                    common.as_date(received),
                    subject,
                    _shown_petitioner(actor, ledger, name, bool(anonymous)),
                    state,
                    nxt,
                    due,
                    status,
                    bool(provisional),
                    rnd,
                    satisfaction,
                    common.as_date(closed),
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
    today = common.today_or(today)
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
        words = common.contains(Petition.subject, term) | common.contains(Petition.content, term)
        complainant = peewee.fn.COALESCE(ComplaintIdentity.name, "")
        complainant_contact = peewee.fn.COALESCE(ComplaintIdentity.contact, "")
        name = common.contains(Petition.petitioner, term)
        if rules.may_see_petitioner(rules.COMPLAINT, actor.role):
            condition = (
                words | name | common.contains(complainant, term) | common.contains(complainant_contact, term)
            )
        else:
            # A complainant's name (or phone) finds nothing, not even where the words repeat it.
            hidden = (Petition.ledger == rules.COMPLAINT) & (
                common.contains(complainant, term)
                | ((complainant_contact != "") & common.contains(complainant_contact, term))
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


def _facts_of(petition: Petition, steps: Sequence[PetitionStep]) -> rules.PetitionFacts:
    return rules.PetitionFacts(
        petition.number, petition.ledger, petition.state, petition.next_step, petition.anonymous,
        any(s.step == rules.REVIEW for s in steps),
    )  # fmt: skip


def _require(
    actor: Actor, petition: Petition, action: str, steps: Sequence[PetitionStep] | None = None
) -> None:
    """The rules' answer for this petition and this role (the room's buttons ask the same)."""
    facts = _facts_of(petition, _steps(petition.id) if steps is None else steps)
    rules.petition_actions(actor.role, facts).require(action)


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
    return _detail(actor, _readable_petition(actor, petition_id), common.today_or(today))


def attention(actor: Actor, today: date | None = None) -> tuple[int, int]:
    """Open petitions past their deadline, and due soon: two counts over the indexed deadlines, cheap
    enough for the main window to ask at start."""
    vid = access.readable_village(actor, None)
    today = common.today_or(today)
    open_ = Petition.select().where((Petition.village == vid) & (Petition.state == rules.OPEN))
    with translated_errors():
        overdue = open_.where(Petition.due_on < today).count()
        due_soon = open_.where((Petition.due_on >= today) & (Petition.warn_on <= today)).count()
    return overdue, due_soon


def reminders(actor: Actor, today: date | None = None) -> list[Reminder]:
    """Overdue petitions first, then those due soon, each by its deadline."""
    today = common.today_or(today)
    found: list[Reminder] = []
    for row in list_petitions(actor, PetitionFilter(attention=True), today):
        kind = OVERDUE_PETITION if row.status == rules.OVERDUE else DUE_PETITION
        found.append(Reminder(kind, row.id, row.number, row.subject, row.next_step, row.due_on))
    found.sort(key=lambda r: (r.kind != OVERDUE_PETITION, r.due_on))
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
    today = common.today_or(today)
    registered_on = registered_on or today
    clean = rules.check_petition(data, today)
    with translated_errors(), transaction():
        name = ""
        if clean.villager_id is not None:
            villager = common.villager(vid, clean.villager_id)
            name = villager.name
        limits = common.settings_of(vid).limits
        common.number_lock(actor)
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
    today = common.today_or(today)
    with translated_errors(), transaction():
        petition = _petition(vid, petition_id)
        _require(actor, petition, rules.EDIT)
        if data.ledger != petition.ledger or data.received_on != petition.received_on:
            raise ValidationError(
                N_("A petition keeps its ledger and the day it was received; record a new one instead.")
            )
        clean = rules.check_petition(data, today)
        name = common.villager(vid, clean.villager_id).name if clean.villager_id is not None else ""
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
    known = data.step in rules.STEPS  # an unknown step is refused by check_step, naming it
    by_role = rules.step_role_refusal(actor.role, data.step) if known else None
    if by_role is not None:  # before the petition is read: the secretary's steps are the secretary's
        raise by_role.error()
    vid = access.writable_village(actor)
    today = common.today_or(today)
    with translated_errors(), transaction():
        petition = _petition(vid, petition_id)
        steps = _steps(petition.id)
        if known:
            _require(actor, petition, data.step, steps)
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
        _set_next_deadline(actor, vid, petition, history, common.settings_of(vid).limits)
        audit.record_update(actor, petition, before, action=step.step)
    return _detail(actor, petition, today)


def recount_deadlines(actor: Actor) -> int:
    """Count again the deadlines that were provisional (a year the calendar did not know), now that
    the calendar may know it; returns how many changed. Nothing is written when none can be."""
    vid = access.writable_village(actor)
    calendar = _calendar(actor, vid)
    changed = 0
    with translated_errors(), transaction():
        limits = common.settings_of(vid).limits
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
        _require(actor, petition, rules.ADD_ATTACHMENT)  # a complaint's papers usually name who complained
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


# --- figures and papers -----------------------------------------------------------------------------


def figure_facts(
    actor: Actor, start: date, end: date, village_id: int | None = None
) -> tuple[list[figure_rules.PetitionFact], list[figure_rules.AnswerFact]]:
    """What the period's figures count of the ledgers: each petition received or closed in it (on time
    or not), and each answer at 回复征询 given in it."""
    vid = access.readable_village(actor, village_id)
    common.check_period(start, end)
    with translated_errors():
        touched = Petition.select(
            Petition.id, Petition.ledger, Petition.received_on, Petition.closed_on
        ).where(
            (Petition.village == vid)
            & (Petition.received_on.between(start, end) | Petition.closed_on.between(start, end))
        )
        rows = list(database.execute(touched))
        closed_ids = [r[0] for r in rows if r[3] is not None and start <= common.as_date(r[3]) <= end]
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
            figure_rules.PetitionFact(
                ledger, common.as_date(received), common.as_date(closed), pid not in late
            )
            for pid, ledger, received, closed in rows
        ]
        answers = [
            figure_rules.AnswerFact(ledger, common.as_date(on), satisfaction)
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
    return facts, answers


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
    today = common.today_or(today)
    common.check_period(start, end)
    if ledger is not None and ledger not in rules.LEDGERS:
        raise ValidationError(N_("Unknown ledger: {value}"), field="ledger", value=ledger)
    masking = common.masking(actor, vid)
    _mask = common.masker(masking)
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
        village=common.village_name(vid), signing_body=common.village_committee(vid), start=start, end=end,
        ledgers=tuple(tables), sign_date=today, masking=masking,
    )  # fmt: skip


@in_document_language
def acknowledgement_document(
    actor: Actor, petition_id: int, today: date | None = None
) -> AcknowledgementDocument:
    """受理告知书, once the secretary has reviewed the petition; a complaint's is addressed without a name."""
    petition = _readable_petition(actor, petition_id)
    steps = _steps(petition.id)
    _require(actor, petition, rules.PRINT_NOTICE, steps)
    told = next((s.done_on for s in steps if s.step == rules.ACKNOWLEDGE), None)
    masking = common.masking(actor, petition.village_id)
    _mask = common.masker(masking)
    limits = common.settings_of(petition.village_id).limits
    complaint = petition.ledger == rules.COMPLAINT
    who = _identity(petition)
    subject = redact(petition.subject, who.name, who.contact) if complaint else petition.subject
    addressee = "投诉举报人" if complaint else petition.petitioner
    return AcknowledgementDocument(
        petition_id=petition.id, village=common.village_name(petition.village_id),
        signing_body=common.village_committee(petition.village_id), number=petition.number,
        ledger_label=rules.ledger_label(petition.ledger), addressee=addressee,
        received_on=petition.received_on, channel_label=rules.channel_label(petition.channel),
        subject=_mask(subject),
        result_days=limits.days(rules.FEEDBACK, petition.departments),
        consult_days=limits.consult, sign_date=told or common.today_or(today), masking=masking,
    )  # fmt: skip
