"""Every 村务公开 operation a user can do. Each write is one transaction with its audit entries.

Who may do what (accounts.rules): the clerk (and the secretary) drafts, edits drafts, posts, takes
down, and records objections; only the secretary approves and withdraws; the supervisory committee
and township reviewers read. Reading functions return plain data, never models; `document` and
`result_document` return what the PDF layouts print, already masked for public paper.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

import peewee

from villagegov.accounts import rules as access
from villagegov.core import attachments, audit, clock
from villagegov.core import calendar as cal
from villagegov.core.actor import Actor
from villagegov.core.db import database, is_postgres, transaction, translated_errors
from villagegov.core.errors import NotFound, ValidationError
from villagegov.core.i18n import N_, _, in_document_language
from villagegov.core.privacy import Masking
from villagegov.notices import rules
from villagegov.notices.models import (
    CalendarOverride,
    FinanceLine,
    Notice,
    NoticeAttachment,
    NoticeSettings,
    NoticeTable,
    Objection,
    PaperSettings,
    PublicPhone,
)
from villagegov.notices.records import (
    ATTACHMENT,
    PHOTO,
    AttachmentRow,
    CalendarOverrideRow,
    DocumentAttachment,
    DocumentTable,
    NoticeDetail,
    NoticeDocument,
    NoticeFilter,
    NoticeRow,
    NoticeSettingsData,
    ObjectionRow,
    ResultDocument,
)
from villagegov.roster.models import Village, VillagerGroup

# --- helpers ----------------------------------------------------------------------------------------


def _date(value: str | date | None) -> date | None:
    """SQLite returns a DateField read straight from the cursor as text, PostgreSQL as a date."""
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _now(now: datetime | None) -> datetime:
    return now or clock.now()


def _notice(vid: int, notice_id: int) -> Notice:
    row = Notice.get_or_none((Notice.id == notice_id) & (Notice.village == vid))
    if row is None:
        raise NotFound(N_("That notice does not exist."))
    return row


def _facts_of(notice: Notice) -> rules.NoticeFacts:
    return rules.NoticeFacts(notice.state, notice.kind, _label(notice), notice.period_end)


def _require(actor: Actor, notice: Notice, action: str, today: date | None = None) -> None:
    """The rules' answer for this notice, this role and today (the room's buttons ask the same)."""
    rules.notice_actions(actor.role, _facts_of(notice), today or clock.today()).require(action)


def _readable_notice(actor: Actor, notice_id: int) -> Notice:
    row = Notice.get_or_none(Notice.id == notice_id)
    if row is None:
        raise NotFound(N_("That notice does not exist."))
    access.readable_village(actor, row.village_id)
    return row


def _label(notice: Notice) -> str:
    """How a message names a notice: its number, or its title while it has none."""
    return notice.number or f"《{notice.title}》"


def _settings_row(vid: int) -> NoticeSettings | None:
    return NoticeSettings.get_or_none(NoticeSettings.village == vid)


def _public_phone_rows(vid: int) -> list[PublicPhone]:
    return list(PublicPhone.select().where(PublicPhone.village == vid).order_by(PublicPhone.id))


def _paper_row(vid: int) -> PaperSettings | None:
    return PaperSettings.get_or_none(PaperSettings.village == vid)


def _settings(vid: int) -> NoticeSettingsData:
    row = _settings_row(vid)
    phones = tuple((p.phone, p.label) for p in _public_phone_rows(vid))
    paper = _paper_row(vid)
    on_file = paper.mask_on_file if paper is not None else True
    if row is None:
        return NoticeSettingsData(public_phones=phones, mask_on_file=on_file)
    return NoticeSettingsData(
        period_days=row.period_days, period_unit=row.period_unit, committee_name=row.committee_name,
        party_branch_name=row.party_branch_name, supervisory_name=row.supervisory_name,
        supervisory_phone=row.supervisory_phone, finance_busy=row.finance_busy,
        mask=rules.MaskRule(row.id_keep_start, row.id_keep_end, row.phone_keep_start, row.phone_keep_end),
        public_phones=phones, mask_on_file=on_file,
    )  # fmt: skip


def _published(settings: NoticeSettingsData) -> tuple[str, ...]:
    """The numbers that print in full: the supervisory committee's and the offices' own."""
    return tuple(p for p in (settings.supervisory_phone, *(p for p, _whose in settings.public_phones)) if p)


def _masking(settings: NoticeSettingsData) -> Masking:
    return Masking(settings.mask, _published(settings), settings.mask_on_file)


def _masker(settings: NoticeSettingsData) -> Callable[[str], str]:
    return _masking(settings)


def masking(actor: Actor, village_id: int | None = None) -> Masking:
    """How the village's paper masks numbers, for any room's documents (OfficialDocument.masking): its
    rule, its published contacts (printed in full), and whether papers kept on file are masked."""
    return _masking(_settings(access.readable_village(actor, village_id)))


def _bodies(village_name: str, settings: NoticeSettingsData) -> tuple[str, str, str]:
    """(village committee, party branch, supervisory committee) as they sign and are named."""
    return (
        settings.committee_name or f"{village_name}村民委员会",
        settings.party_branch_name or f"中共{village_name}支部委员会",
        settings.supervisory_name or f"{village_name}村务监督委员会",
    )


def _working_calendar(vid: int) -> cal.WorkingCalendar:
    rows = CalendarOverride.select().where(CalendarOverride.village == vid)
    return cal.WorkingCalendar(cal.DayOverride(r.day, r.working, r.note) for r in rows)


def _group_names(vid: int) -> dict[int, str]:
    return dict(
        VillagerGroup.select(VillagerGroup.id, VillagerGroup.name)
        .where(VillagerGroup.village == vid)
        .tuples()
    )


def _check_group_places(vid: int, places: Sequence[str]) -> None:
    groups = _group_names(vid)
    for place in places:
        group = rules.place_group_id(place)
        if group is not None and group not in groups:
            raise ValidationError(N_("That villager group does not exist."), field="places")


def _places(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text or "[]"))


def _tables(notice: Notice) -> tuple[rules.TableInput, ...]:
    query = NoticeTable.select().where(NoticeTable.notice == notice.id).order_by(NoticeTable.sort_order)
    return tuple(
        rules.TableInput(tuple(json.loads(t.header)), tuple(tuple(r) for r in json.loads(t.rows)), t.caption)
        for t in query
    )


def _lines(notice: Notice) -> tuple[rules.FinanceLine, ...]:
    query = FinanceLine.select().where(FinanceLine.notice == notice.id).order_by(FinanceLine.sort_order)
    return tuple(rules.FinanceLine(line.side, line.item, line.amount_fen) for line in query)


def _statement_problem(notice: Notice, lines: Sequence[rules.FinanceLine]) -> str:
    try:
        rules.check_statement(lines, notice.stated_income_fen, notice.stated_expense_fen)
    except ValidationError as exc:
        return exc.message()
    return ""


def _attachment_row(a: NoticeAttachment) -> AttachmentRow:
    return AttachmentRow(
        a.id, a.notice_id, a.purpose, a.file_name, a.media_type, a.size, a.sha256, a.added_at, a.added_by
    )


def _objection_row(o: Objection) -> ObjectionRow:
    return ObjectionRow(
        o.id, o.notice_id, o.objector, o.contact, o.received_on, o.content, o.late, o.handling, o.answer,
        o.answered_on, rules.answer_deadline(o.received_on), o.recorded_by,
    )  # fmt: skip


def _objections(notice_id: int) -> list[Objection]:
    return list(
        Objection.select().where(Objection.notice == notice_id).order_by(Objection.received_on, Objection.id)
    )


def _detail(notice: Notice) -> NoticeDetail:
    lines = _lines(notice)
    finance = notice.category == rules.FINANCE
    attachments = (
        NoticeAttachment.select(*[f for f in NoticeAttachment._meta.sorted_fields if f.name != "content"])
        .where(NoticeAttachment.notice == notice.id)
        .order_by(NoticeAttachment.id)
    )
    corrections = Notice.select(Notice.id).where(Notice.supersedes == notice.id).order_by(Notice.id).tuples()
    return NoticeDetail(
        id=notice.id, village_id=notice.village_id, number=notice.number, year=notice.year,
        category=notice.category, kind=notice.kind, title=notice.title, body=notice.body,
        places=_places(notice.places), major=notice.major, state=notice.state,
        period_days=notice.period_days, period_unit=notice.period_unit, period_start=notice.period_start,
        period_end=notice.period_end, tables=_tables(notice), finance_lines=lines,
        statement=rules.statement(lines, notice.opening_balance_fen) if finance else None,
        stated_income_fen=notice.stated_income_fen, stated_expense_fen=notice.stated_expense_fen,
        statement_problem=_statement_problem(notice, lines) if finance else "",
        created_at=notice.created_at, created_by=notice.created_by, approved_at=notice.approved_at,
        approved_by=notice.approved_by, withdrawn_at=notice.withdrawn_at, posted_at=notice.posted_at,
        posted_by=notice.posted_by, posted_places=_places(notice.posted_places), removed_at=notice.removed_at,
        removed_by=notice.removed_by, superseded_at=notice.superseded_at, supersedes_id=notice.supersedes_id,
        superseded_by=tuple(i for (i,) in corrections),
        attachments=tuple(_attachment_row(a) for a in attachments),
        objections=tuple(_objection_row(o) for o in _objections(notice.id)), sequence=notice.sequence,
    )  # fmt: skip


# --- settings and the working-day calendar ---------------------------------------------------------


def notice_settings(actor: Actor, village_id: int | None = None) -> NoticeSettingsData:
    vid = access.readable_village(actor, village_id)
    return _settings(vid)


def signing_bodies(actor: Actor, village_id: int | None = None) -> tuple[str, str, str]:
    """(village committee, party branch, supervisory committee), with the settings' names filled in."""
    vid = access.readable_village(actor, village_id)
    return _bodies(Village.get_by_id(vid).name, _settings(vid))


def update_notice_settings(actor: Actor, data: NoticeSettingsData) -> NoticeSettingsData:
    vid = access.writable_village(actor)
    if data.period_unit not in cal.UNITS:
        raise ValidationError(N_("Unknown unit of days: {unit}"), field="period_unit", unit=data.period_unit)
    if not 1 <= data.period_days <= rules.MAX_PERIOD_DAYS:
        raise ValidationError(
            N_("A posting period lasts from 1 to {max} days."), field="period_days", max=rules.MAX_PERIOD_DAYS
        )
    mask = rules.check_mask_rule(data.mask)
    phone = _phone(data.supervisory_phone, "supervisory_phone") if data.supervisory_phone.strip() else ""
    public: dict[str, str] = {}  # number → whose; one number written two ways is kept once
    seen: set[str] = set()
    for number, whose in data.public_phones:
        if number.strip() and rules.phone_key(number) not in seen:
            seen.add(rules.phone_key(number))
            public[_phone(number, "public_phones")] = re.sub(r"\s+", " ", whose).strip()
    values: dict[str, Any] = {
        "period_days": data.period_days, "period_unit": data.period_unit,
        "committee_name": data.committee_name.strip(), "party_branch_name": data.party_branch_name.strip(),
        "supervisory_name": data.supervisory_name.strip(), "supervisory_phone": phone,
        "finance_busy": data.finance_busy, "id_keep_start": mask.id_keep_start,
        "id_keep_end": mask.id_keep_end, "phone_keep_start": mask.phone_keep_start,
        "phone_keep_end": mask.phone_keep_end,
    }  # fmt: skip
    with translated_errors(), transaction():
        row = _settings_row(vid)
        if row is None:
            audit.record_create(actor, NoticeSettings(village=vid, **values))
        else:
            before = audit.snapshot(row)
            for key, value in values.items():
                setattr(row, key, value)
            audit.record_update(actor, row, before)
        kept = set()
        for old in _public_phone_rows(vid):
            if old.phone not in public:
                audit.record_delete(actor, old)
                continue
            kept.add(old.phone)
            before = audit.snapshot(old)
            old.label = public[old.phone]
            audit.record_update(actor, old, before)
        for number, whose in public.items():
            if number not in kept:
                audit.record_create(actor, PublicPhone(village=vid, phone=number, label=whose))
        paper = _paper_row(vid)
        if paper is None and not data.mask_on_file:
            audit.record_create(actor, PaperSettings(village=vid, mask_on_file=False))
        elif paper is not None and paper.mask_on_file != data.mask_on_file:
            before = audit.snapshot(paper)
            paper.mask_on_file = data.mask_on_file
            audit.record_update(actor, paper, before)
    return _settings(vid)


def _phone(text: str, fld: str) -> str:
    from villagegov.core.privacy import normalise_phone

    cleaned = normalise_phone(text.strip())
    if cleaned is None:
        raise ValidationError(
            N_("{phone} is not a mobile or landline number."), field=fld, phone=text.strip()
        )
    return cleaned


def calendar_overrides(actor: Actor, year: int | None = None) -> list[CalendarOverrideRow]:
    vid = access.readable_village(actor, None)
    query = CalendarOverride.select().where(CalendarOverride.village == vid).order_by(CalendarOverride.day)
    if year is not None:
        query = query.where(CalendarOverride.day.between(date(year, 1, 1), date(year, 12, 31)))
    return [CalendarOverrideRow(r.id, r.day, r.working, r.note) for r in query]


def set_calendar_override(actor: Actor, day: date, working: bool, note: str = "") -> CalendarOverrideRow:
    """Declare a day a day off (working=False) or a working day (True), e.g. from the State Council's
    announcement for a year the calendar does not know yet."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        row = CalendarOverride.get_or_none((CalendarOverride.village == vid) & (CalendarOverride.day == day))
        if row is None:
            row = CalendarOverride(village=vid, day=day, working=working, note=note.strip())
            audit.record_create(actor, row)
        else:
            before = audit.snapshot(row)
            row.working, row.note = working, note.strip()
            audit.record_update(actor, row, before)
    return CalendarOverrideRow(row.id, day, working, row.note)


def delete_calendar_override(actor: Actor, day: date) -> None:
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        row = CalendarOverride.get_or_none((CalendarOverride.village == vid) & (CalendarOverride.day == day))
        if row is None:
            raise NotFound(N_("There is no calendar entry for {date}."), date=day.isoformat())
        audit.record_delete(actor, row)


def working_calendar(actor: Actor, village_id: int | None = None) -> cal.WorkingCalendar:
    """The village's working days (China's, with its overrides), for deadlines in other rooms."""
    return _working_calendar(access.readable_village(actor, village_id))


def preview_period_end(actor: Actor, start: date, days: int, unit: str) -> date:
    """The last day of a posting period beginning on `start` (raises UnknownCalendarYear)."""
    vid = access.readable_village(actor, None)
    return cal.period_end(start, days, unit, _working_calendar(vid))


# --- drafts -------------------------------------------------------------------------------------------


def _clean(vid: int, data: rules.NoticeInput) -> rules.CleanNotice:
    settings = _settings(vid)
    clean = rules.check_notice(data, settings.period_days, settings.period_unit)
    _check_group_places(vid, clean.places)
    return clean


def _write_content(actor: Actor, notice: Notice, clean: rules.CleanNotice) -> None:
    """Replace a draft's tables and statement lines (each change audited)."""
    for old_table in NoticeTable.select().where(NoticeTable.notice == notice.id):
        audit.record_delete(actor, old_table)
    for old_line in FinanceLine.select().where(FinanceLine.notice == notice.id):
        audit.record_delete(actor, old_line)
    for order, table in enumerate(clean.tables, start=1):
        audit.record_create(
            actor,
            NoticeTable(
                notice=notice.id, sort_order=order, caption=table.caption,
                header=json.dumps(list(table.header), ensure_ascii=False),
                rows=json.dumps([list(r) for r in table.rows], ensure_ascii=False),
            ),
        )  # fmt: skip
    for order, line in enumerate(clean.finance_lines, start=1):
        audit.record_create(
            actor,
            FinanceLine(notice=notice.id, sort_order=order, side=line.side, item=line.item,
                        amount_fen=line.amount_fen),
        )  # fmt: skip


def _apply(notice: Notice, clean: rules.CleanNotice) -> None:
    notice.category = clean.category
    notice.kind = clean.kind
    notice.title = clean.title
    notice.body = clean.body
    notice.places = json.dumps(list(clean.places))
    notice.major = clean.major
    notice.period_days = clean.period_days
    notice.period_unit = clean.period_unit
    notice.period_start = clean.period_start
    notice.stated_income_fen = clean.stated_income_fen
    notice.stated_expense_fen = clean.stated_expense_fen
    notice.opening_balance_fen = clean.opening_balance_fen


def create_draft(actor: Actor, data: rules.NoticeInput, now: datetime | None = None) -> NoticeDetail:
    vid = access.writable_village(actor)
    at = _now(now)
    with translated_errors(), transaction():
        clean = _clean(vid, data)
        notice = Notice(
            village=vid, year=at.year, state=rules.DRAFT, created_at=at, created_by=actor.username
        )
        _apply(notice, clean)
        audit.record_create(actor, notice)
        _write_content(actor, notice, clean)
        _index_grams(notice.id, notice.title, notice.body)
    return _detail(notice)


def update_draft(actor: Actor, notice_id: int, data: rules.NoticeInput) -> NoticeDetail:
    """Change a draft; an approved or posted notice is refused (FinalisedRecord)."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        notice = _notice(vid, notice_id)
        _require(actor, notice, rules.EDIT)
        clean = _clean(vid, data)
        before = audit.snapshot(notice)
        old_text = (notice.title, notice.body)
        _apply(notice, clean)
        audit.record_update(actor, notice, before)
        _write_content(actor, notice, clean)
        if old_text != (notice.title, notice.body):
            _unindex_grams(notice.id, *old_text)
            _index_grams(notice.id, notice.title, notice.body)
    return _detail(notice)


def delete_draft(actor: Actor, notice_id: int) -> None:
    """Remove a draft written by mistake; the audit log keeps what it said. Numbered notices stay."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        notice = _notice(vid, notice_id)
        _require(actor, notice, rules.DELETE)
        if Notice.select().where(Notice.supersedes == notice.id).exists():
            raise ValidationError(N_("A correction refers to this draft; delete the correction first."))
        for child_model in (NoticeTable, FinanceLine, NoticeAttachment):
            for child in child_model.select().where(child_model.notice == notice.id):
                audit.record_delete(actor, child)
        _unindex_grams(notice.id, notice.title, notice.body)
        audit.record_delete(actor, notice)


def correct(actor: Actor, notice_id: int, now: datetime | None = None) -> NoticeDetail:
    """Start a correction: a new draft with the old notice's content that will supersede it once posted.

    The old notice is kept as it is; it becomes `superseded` when the correction is posted.
    """
    vid = access.writable_village(actor)
    at = _now(now)
    with translated_errors(), transaction():
        old = _notice(vid, notice_id)
        _require(actor, old, rules.CORRECT)
        clean = _clean(vid, _detail(old).as_input())
        notice = Notice(
            village=vid, year=at.year, state=rules.DRAFT, created_at=at, created_by=actor.username,
            supersedes=old.id,
        )  # fmt: skip
        _apply(notice, clean)
        notice.period_start = None  # a correction has its own period
        audit.record_create(actor, notice, action="correct")
        _write_content(actor, notice, clean)
        _index_grams(notice.id, notice.title, notice.body)
        attachments = NoticeAttachment.select().where(
            (NoticeAttachment.notice == old.id) & (NoticeAttachment.purpose == ATTACHMENT)
        )
        for a in attachments:
            copy = NoticeAttachment(
                notice=notice.id, purpose=a.purpose, file_name=a.file_name, media_type=a.media_type,
                size=a.size, sha256=a.sha256, content=a.content, added_at=at, added_by=actor.username,
            )  # fmt: skip
            audit.record_create(actor, copy)
    return _detail(notice)


# --- approval, posting, taking down ---------------------------------------------------------------------


def approve(actor: Actor, notice_id: int, now: datetime | None = None) -> NoticeDetail:
    """The secretary approves a draft; it gets the village's next number of the year, never reused."""
    vid = access.writable_village(actor, access.APPROVE)
    at = _now(now)
    with translated_errors(), transaction():
        notice = _notice(vid, notice_id)
        _require(actor, notice, rules.APPROVE)
        after = rules.next_state(notice.state, rules.APPROVE)
        if notice.category == rules.FINANCE:
            rules.check_statement(_lines(notice), notice.stated_income_fen, notice.stated_expense_fen)
        if is_postgres():
            # Two secretaries approving at once must not take the same number (same lock as the audit).
            database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (actor.audit_chain,))
        used = Notice.select(Notice.sequence).where((Notice.village == vid) & (Notice.year == at.year))
        sequence = rules.next_sequence(s for (s,) in used.tuples())
        before = audit.snapshot(notice)
        notice.state = after
        notice.year = at.year
        notice.sequence = sequence
        notice.number = rules.notice_number(at.year, sequence)
        notice.approved_at = at
        notice.approved_by = actor.username
        audit.record_update(actor, notice, before, action="approve")
    return _detail(notice)


def number_on_approval(actor: Actor, now: datetime | None = None) -> str:
    """The number a notice approved now would take (〔2026〕N号), for the secretary to confirm."""
    vid = access.writable_village(actor, access.APPROVE)
    year = _now(now).year
    used = Notice.select(Notice.sequence).where((Notice.village == vid) & (Notice.year == year))
    return rules.notice_number(year, rules.next_sequence(s for (s,) in used.tuples()))


def withdraw(actor: Actor, notice_id: int, now: datetime | None = None) -> NoticeDetail:
    """The secretary withdraws an approved notice before it is posted; its number is not given again."""
    vid = access.writable_village(actor, access.APPROVE)
    with translated_errors(), transaction():
        notice = _notice(vid, notice_id)
        _require(actor, notice, rules.WITHDRAW)
        after = rules.next_state(notice.state, rules.WITHDRAW)
        before = audit.snapshot(notice)
        notice.state = after
        notice.withdrawn_at = _now(now)
        audit.record_update(actor, notice, before, action="withdraw")
    return _detail(notice)


def _check_day(day: date, today: date, fld: str) -> None:
    if day > today:
        raise ValidationError(N_("The date {date} is in the future."), field=fld, date=day.isoformat())


def post(
    actor: Actor,
    notice_id: int,
    posted_at: date,
    posted_by: str = "",
    places: Sequence[str] | None = None,
    photo: tuple[str, bytes] | None = None,
    today: date | None = None,
) -> NoticeDetail:
    """Record that the notice went up: when, where, by whom (and a photo of the posted sheet).

    A 公示's period starts that day and its last day is computed (days or working days). Posting a
    correction supersedes the notice it corrects (and takes that one's sheet down the same day).
    """
    vid = access.writable_village(actor)
    today = today or clock.today()
    _check_day(posted_at, today, "posted_at")
    with translated_errors(), transaction():
        notice = _notice(vid, notice_id)
        _require(actor, notice, rules.POST)
        after = rules.next_state(notice.state, rules.POST)
        if notice.approved_at is not None and posted_at < notice.approved_at.date():
            raise ValidationError(
                N_("The notice was approved on {approved}; it cannot be posted before that."),
                field="posted_at", approved=notice.approved_at.date().isoformat(),
            )  # fmt: skip
        where = rules.check_places(places if places is not None else _places(notice.places))
        _check_group_places(vid, where)
        before = audit.snapshot(notice)
        notice.state = after
        notice.posted_at = posted_at
        notice.posted_by = posted_by.strip() or actor.display_name
        notice.posted_places = json.dumps(list(where))
        if notice.kind == rules.PUBLICITY:
            notice.period_start = posted_at
            notice.period_end = cal.period_end(
                posted_at, notice.period_days, notice.period_unit, _working_calendar(vid)
            )
        audit.record_update(actor, notice, before, action="post")
        if notice.supersedes_id is not None:
            _supersede(actor, vid, notice)
        if photo is not None:
            _add_attachment(actor, notice, photo[0], photo[1], PHOTO)
    return _detail(notice)


def _supersede(actor: Actor, vid: int, correction: Notice) -> None:
    old = _notice(vid, correction.supersedes_id)
    if old.state == rules.SUPERSEDED:
        newer = (
            Notice.select()
            .where(
                (Notice.supersedes == old.id)
                & (Notice.id != correction.id)
                & (Notice.posted_at.is_null(False))
            )
            .first()
        )
        raise ValidationError(
            N_("Notice {number} was already superseded by notice {newer}."),
            number=_label(old), newer=_label(newer) if newer else "?",
        )  # fmt: skip
    after = rules.next_state(old.state, rules.SUPERSEDE)
    before = audit.snapshot(old)
    if old.state == rules.POSTED:
        old.removed_at = correction.posted_at
        old.removed_by = correction.posted_by
    old.state = after
    old.superseded_at = correction.posted_at
    audit.record_update(actor, old, before, action="supersede")


def remove(
    actor: Actor, notice_id: int, removed_at: date, removed_by: str = "", today: date | None = None
) -> NoticeDetail:
    """撤下: record that the notice was taken down. A 公示 hangs at least to its period's last day."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    _check_day(removed_at, today, "removed_at")
    with translated_errors(), transaction():
        notice = _notice(vid, notice_id)
        _require(actor, notice, rules.REMOVE)
        after = rules.next_state(notice.state, rules.REMOVE)
        if removed_at < notice.posted_at:
            raise ValidationError(
                N_("The notice was posted on {posted}; it cannot be taken down before that."),
                field="removed_at", posted=notice.posted_at.isoformat(),
            )  # fmt: skip
        if notice.period_end is not None and removed_at < notice.period_end:
            raise ValidationError(
                N_(
                    "The posting period runs until {end}; a publicity notice stays up until then. To "
                    "replace it earlier, post a correction."
                ),
                field="removed_at", end=notice.period_end.isoformat(),
            )  # fmt: skip
        before = audit.snapshot(notice)
        notice.state = after
        notice.removed_at = removed_at
        notice.removed_by = removed_by.strip() or actor.display_name
        audit.record_update(actor, notice, before, action="remove")
    return _detail(notice)


# --- attachments -----------------------------------------------------------------------------------------


def _add_attachment(
    actor: Actor, notice: Notice, file_name: str, content: bytes, purpose: str
) -> NoticeAttachment:
    name, media_type = attachments.checked_file(file_name, content, images_only=purpose == PHOTO)
    _check_printable(notice, name, media_type, content)
    row = NoticeAttachment(
        notice=notice.id, purpose=purpose, file_name=name, media_type=media_type, size=len(content),
        sha256=hashlib.sha256(content).hexdigest(), content=content, added_at=clock.now(),
        added_by=actor.username,
    )  # fmt: skip
    audit.record_create(actor, row)
    return row


def _check_printable(notice: Notice, name: str, media_type: str, content: bytes) -> None:
    """An attachment prints with the notice on public paper: it must be readable, carry its fonts,
    and show no full ID-card or phone number (its text is read; an image's cannot be, so the
    screen asks the clerk to look)."""
    from villagegov.printing import appendix as attached  # reads files; not needed to list notices

    try:
        if media_type == attached.PDF_TYPE:
            attached.pdf_pages(content)
        else:
            attached.check_image(content)
    except ValidationError as exc:
        raise ValidationError(
            N_("The file {name} cannot be used: {reason}"), field="file", name=name, reason=exc.message()
        ) from exc
    if media_type != attached.PDF_TYPE:
        return
    missing = attached.fonts_not_embedded(content)
    if missing:
        raise ValidationError(
            N_(
                "The PDF file {name} uses fonts it does not carry ({fonts}), so it could print "
                "differently elsewhere. Save it again with the fonts embedded (in Word or WPS: "
                "“embed fonts” when saving as PDF)."
            ),
            field="file", name=name, fonts="、".join(missing[:3]),
        )  # fmt: skip
    published = _published(_settings(notice.village_id))
    for page, text in enumerate(attached.pdf_text(content), start=1):
        found = rules.personal_numbers(text, published)
        if found:
            raise ValidationError(
                N_(
                    "Page {page} of {name} shows a full ID-card, bank card or phone number "
                    "({number}); public paper shows them only masked. Mask them in the original file, "
                    "or enter the list as a table of the notice, which is masked when printed."
                ),
                field="file", name=name, page=page, number=rules.mask_public(found[0]),
            )  # fmt: skip


def add_attachment(
    actor: Actor, notice_id: int, file_name: str, content: bytes, purpose: str = ATTACHMENT
) -> AttachmentRow:
    """An attachment (image or PDF) belongs to a draft; a photo of the posted sheet to a posted notice."""
    vid = access.writable_village(actor)
    if purpose not in (ATTACHMENT, PHOTO):
        raise ValidationError(N_("Unknown kind of attachment: {value}"), field="purpose", value=purpose)
    with translated_errors(), transaction():
        notice = _notice(vid, notice_id)
        adding = rules.ADD_ATTACHMENT if purpose == ATTACHMENT else rules.ADD_PHOTO
        rules.attachment_actions(actor.role, _facts_of(notice), None).require(adding)
        row = _add_attachment(actor, notice, file_name, content, purpose)
    return _attachment_row(row)


def attachment_content(actor: Actor, attachment_id: int) -> bytes:
    row = NoticeAttachment.get_or_none(NoticeAttachment.id == attachment_id)
    if row is None:
        raise NotFound(N_("That attachment does not exist."))
    _readable_notice(actor, row.notice_id)
    return bytes(row.content)


def delete_attachment(actor: Actor, attachment_id: int) -> None:
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        row = NoticeAttachment.get_or_none(NoticeAttachment.id == attachment_id)
        if row is None:
            raise NotFound(N_("That attachment does not exist."))
        notice = _notice(vid, row.notice_id)
        rules.attachment_actions(actor.role, _facts_of(notice), row.purpose).require(rules.REMOVE_ATTACHMENT)
        audit.record_delete(actor, row)


# --- objections ---------------------------------------------------------------------------------------------


def record_objection(
    actor: Actor,
    notice_id: int,
    objector: str,
    content: str,
    received_on: date,
    contact: str = "",
    today: date | None = None,
) -> ObjectionRow:
    """An objection to a posted 公示; one received after the period's last day is kept, marked late."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    with translated_errors(), transaction():
        notice = _notice(vid, notice_id)
        _require(actor, notice, rules.RECORD_OBJECTION, today)
        who, what = rules.check_objection(objector, content, received_on, notice.posted_at, today)
        row = Objection(
            notice=notice.id, objector=who, contact=contact.strip(), received_on=received_on, content=what,
            late=rules.is_late(received_on, notice.period_end), recorded_by=actor.username,
        )  # fmt: skip
        audit.record_create(actor, row)
    return _objection_row(row)


def update_objection(
    actor: Actor,
    objection_id: int,
    handling: str,
    answer: str = "",
    answered_on: date | None = None,
    today: date | None = None,
) -> ObjectionRow:
    """Record how an objection is being handled and, once given, the answer (then it is final)."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    with translated_errors(), transaction():
        row = Objection.get_or_none(Objection.id == objection_id)
        if row is None:
            raise NotFound(N_("That objection does not exist."))
        _notice(vid, row.notice_id)
        rules.objection_actions(actor.role, row.answered_on).require(rules.ANSWER_OBJECTION)
        before = audit.snapshot(row)
        row.handling = rules.clean_text(handling)
        if answer.strip() or answered_on is not None:
            row.answer = rules.check_answer(answer, answered_on or today, row.received_on, today)
            row.answered_on = answered_on or today
        audit.record_update(actor, row, before, action="answer" if row.answered_on else "update")
    return _objection_row(row)


def list_objections(actor: Actor, notice_id: int) -> list[ObjectionRow]:
    notice = _readable_notice(actor, notice_id)
    return [_objection_row(o) for o in _objections(notice.id)]


def _facts(o: Objection, m: Callable[[str], str]) -> rules.ObjectionFacts:
    return rules.ObjectionFacts(
        o.received_on, m(o.content), m(o.handling), m(o.answer), o.answered_on, o.late
    )


def period_result(actor: Actor, notice_id: int, today: date | None = None) -> rules.PeriodResult:
    """公示期满无异议, or the objections and their handling (texts masked for public paper)."""
    notice = _readable_notice(actor, notice_id)
    if notice.kind != rules.PUBLICITY or notice.period_end is None:
        raise ValidationError(N_("Only a posted publicity notice has a posting period."))
    m = _masker(_settings(notice.village_id))
    facts = [_facts(o, m) for o in _objections(notice.id)]
    return rules.period_result(notice.period_end, today or clock.today(), facts)


# --- reading ------------------------------------------------------------------------------------------------

_ROW_COLUMNS = (
    Notice.id, Notice.number, Notice.category, Notice.kind, Notice.title, Notice.state, Notice.year,
    Notice.posted_at, Notice.period_end, Notice.removed_at, Notice.major,
)  # fmt: skip
TRIGRAM = 3  # characters: the trigram index finds only terms at least this long


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _fold(text: str) -> str:
    """Lower case, character by character (a few characters lower to two; those stay)."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _gram_code(term: str) -> int:
    """A character's code point, or a pair's: first << 21 | second (always 2**21 or more; a code
    point needs 21 bits), so one integer names one character or one pair."""
    return ord(term) if len(term) == 1 else ord(term[0]) << 21 | ord(term[1])


def _gram(term: str) -> str:
    """The same as an FTS5 token for SQLite: "g" and the code in hex."""
    return f"g{_gram_code(term):x}"


def search_grams(*texts: str) -> set[int]:
    """Every character and every pair of adjacent characters of each text (a pair never spans a
    space or two texts: LIKE would not find it there either), as codes."""
    found: set[int] = set()
    for text in texts:
        folded = _fold(text)
        for i, char in enumerate(folded):
            if char.isspace():
                continue
            found.add(ord(char))
            if i + 1 < len(folded) and not folded[i + 1].isspace():
                found.add(_gram_code(folded[i : i + 2]))
    return found


def _tokens(title: str, body: str) -> str:
    return " ".join(f"g{code:x}" for code in sorted(search_grams(title, body)))


def _index_grams(notice_id: int, title: str, body: str) -> None:
    p = database.param
    if is_postgres():
        database.execute_sql(
            f"INSERT INTO notice_grams (notice_id, grams) VALUES ({p}, {p})",
            (notice_id, sorted(search_grams(title, body))),
        )
    else:
        database.execute_sql(
            f"INSERT INTO notice_grams (rowid, grams) VALUES ({p}, {p})", (notice_id, _tokens(title, body))
        )


def _unindex_grams(notice_id: int, title: str, body: str) -> None:
    """Take a notice out of the index (SQLite's contentless index needs the tokens it was given)."""
    p = database.param
    if is_postgres():
        database.execute_sql(f"DELETE FROM notice_grams WHERE notice_id = {p}", (notice_id,))
    else:
        database.execute_sql(
            f"INSERT INTO notice_grams (notice_grams, rowid, grams) VALUES ('delete', {p}, {p})",
            (notice_id, _tokens(title, body)),
        )


def rebuild_search_grams() -> int:
    """Index every notice's characters afresh (after notices were written by other means, e.g. the
    search bench's bulk insert). Returns the number of notices indexed."""
    with transaction():
        if is_postgres():
            database.execute_sql("DELETE FROM notice_grams")
        else:
            database.execute_sql("INSERT INTO notice_grams (notice_grams) VALUES ('delete-all')")
        count = 0
        query = Notice.select(Notice.id, Notice.title, Notice.body).order_by(Notice.id).tuples()
        for notice_id, title, body in query.iterator():
            _index_grams(notice_id, title, body)
            count += 1
    return count


# PostgreSQL: a short word in more notices than this is found faster by reading the notices newest
# first until the page is full (it turns up at once) than through the index (every match is fetched
# and sorted); a rarer one through the index (bench/notice_search.py: 低保 in 4,800 of 100,000
# notices 15 ms by the index, 17 ms by reading; 补贴 in 43,000: 220 ms against 3 ms).
PG_GRAMS_MOST = 5_000


def _pg_estimate(code: int) -> float:
    """How many notices PostgreSQL's statistics say hold the character or pair (no query is run)."""
    plan = database.execute_sql(
        "EXPLAIN (FORMAT JSON) SELECT notice_id FROM notice_grams WHERE grams @> ARRAY[%s]::bigint[]", (code,)
    ).fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


def _search(text: str) -> peewee.Expression | None:
    """All words of `text` in the title or the body.

    Words of 3+ characters: SQLite's FTS5 trigram index; on PostgreSQL ILIKE on title || ' ' ||
    body, which the pg_trgm GIN index serves. Words of 1-2 characters (低保, 党) are shorter than a
    trigram: SQLite looks them up in the service's index of characters and character pairs;
    PostgreSQL too, unless its statistics say the word is common (then ILIKE, see PG_GRAMS_MOST).
    """
    terms = [t for t in re.split(r"\s+", text.strip()) if t]
    if not terms:
        return None
    condition: peewee.Expression | None = None

    def both(expr: peewee.Expression) -> None:
        nonlocal condition
        condition = expr if condition is None else (condition & expr)

    short = [t for t in terms if len(t) < TRIGRAM]
    if is_postgres():
        haystack = Notice.title.concat(" ").concat(Notice.body)
        for term in terms:
            if len(term) >= TRIGRAM:
                both(peewee.Expression(haystack, "ILIKE", _like_pattern(term)))
        for term in short:
            code = _gram_code(_fold(term))
            if _pg_estimate(code) > PG_GRAMS_MOST:
                both(peewee.Expression(haystack, "ILIKE", _like_pattern(term)))
                continue
            matches = peewee.SQL(
                "ARRAY(SELECT notice_id FROM notice_grams WHERE grams @> ARRAY[%s]::bigint[])", [code]
            )
            both(peewee.Expression(Notice.id, "=", peewee.fn.ANY(matches)))
        return condition
    long_terms = [t for t in terms if len(t) >= TRIGRAM]
    if long_terms:
        match = " AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms)
        # "+id" keeps SQLite from driving the query by the matches' rowids: it walks the village's
        # notices in list order instead and stops at the page's end. A word found in every notice
        # (村民小组) took 430 ms at 100,000 notices the other way, 60 ms this way (bench/notice_search.py).
        unindexed_id = peewee.NodeList((peewee.SQL("+"), Notice.id), glue="")
        matches = peewee.SQL("(SELECT rowid FROM notice_fts WHERE notice_fts MATCH ?)", [match])
        both(peewee.Expression(unindexed_id, "IN", matches))
    for term in short:
        unindexed_id = peewee.NodeList((peewee.SQL("+"), Notice.id), glue="")
        grams = peewee.SQL(
            "(SELECT rowid FROM notice_grams WHERE notice_grams MATCH ?)", [_gram(_fold(term))]
        )
        both(peewee.Expression(unindexed_id, "IN", grams))
    return condition


def list_notices(
    actor: Actor, filters: NoticeFilter | None = None, village_id: int | None = None, limit: int | None = None
) -> list[NoticeRow]:
    """Notices newest first (by year and number, drafts of a year before its numbered ones)."""
    vid = access.readable_village(actor, village_id)
    f = filters or NoticeFilter()
    query = Notice.select(*_ROW_COLUMNS).where(Notice.village == vid)
    if f.category is not None:
        query = query.where(Notice.category == f.category)
    if f.kind is not None:
        query = query.where(Notice.kind == f.kind)
    if f.state is not None:
        query = query.where(Notice.state == f.state)
    if f.year is not None:
        query = query.where(Notice.year == f.year)
    condition = _search(f.text)
    if condition is not None:
        query = query.where(condition)
    query = query.order_by(Notice.year.desc(), Notice.sequence.desc(nulls="FIRST"), Notice.id.desc())
    if limit is not None:
        query = query.limit(limit)
    with translated_errors():
        cursor = database.execute(query)
        return [
            NoticeRow(*r[:7], _date(r[7]), _date(r[8]), _date(r[9]), bool(r[10])) for r in cursor.fetchall()
        ]


def get_notice(actor: Actor, notice_id: int) -> NoticeDetail:
    return _detail(_readable_notice(actor, notice_id))


def approved_between(
    actor: Actor, start: date, end: date, village_id: int | None = None
) -> list[NoticeDetail]:
    """Every notice approved from `start` to `end` (both included), by number: the numbered
    records of a period, withdrawn ones too (a number is never given twice, so none is missing)."""
    vid = access.readable_village(actor, village_id)
    after = datetime.combine(start, datetime.min.time())
    before = datetime.combine(end, datetime.max.time())
    query = (
        Notice.select()
        .where((Notice.village == vid) & Notice.approved_at.between(after, before))
        .order_by(Notice.year, Notice.sequence)
    )
    return [_detail(n) for n in query]


def objections_received_between(
    actor: Actor, start: date, end: date, village_id: int | None = None
) -> list[tuple[ObjectionRow, str]]:
    """Every objection received from `start` to `end`, with the number of the notice it concerns."""
    vid = access.readable_village(actor, village_id)
    query = (
        Objection.select(Objection, Notice)
        .join(Notice)
        .where((Notice.village == vid) & Objection.received_on.between(start, end))
        .order_by(Objection.received_on, Objection.id)
    )
    return [(_objection_row(o), o.notice.number) for o in query]


def due_reminders(
    actor: Actor, today: date | None = None, village_id: int | None = None
) -> list[rules.Reminder]:
    """Disclosures due or overdue by the frequency rules, major matters unposted, objections to answer."""
    vid = access.readable_village(actor, village_id)
    today = today or clock.today()
    last = {
        category: _date(latest)
        for category, latest in Notice.select(Notice.category, peewee.fn.MAX(Notice.posted_at))
        .where((Notice.village == vid) & Notice.posted_at.is_null(False))
        .group_by(Notice.category)
        .tuples()
    }
    pending = [
        rules.PendingMajor(n.id, n.title, n.created_at.date())
        for n in Notice.select().where(
            (Notice.village == vid) & (Notice.major == True) & Notice.state.in_((rules.DRAFT, rules.APPROVED))  # noqa: E712
        )
    ]
    open_objections = [
        rules.OpenObjection(o.id, o.notice_id, title, o.received_on)
        for o, title in (
            (o, o.notice.title)
            for o in Objection.select(Objection, Notice)
            .join(Notice)
            .where((Notice.village == vid) & Objection.answered_on.is_null())
        )
    ]
    return rules.due_reminders(today, last, _settings(vid).finance_busy, pending, open_objections)


# --- documents for printing ------------------------------------------------------------------------


def _signing_body(category: str, bodies: Sequence[str]) -> str:
    return bodies[1] if category == rules.PARTY else bodies[0]


@in_document_language
def document(actor: Actor, notice_id: int, today: date | None = None) -> NoticeDocument:
    """The notice as the PDF prints it: every ID-card and mobile number masked, totals computed."""
    notice = _readable_notice(actor, notice_id)
    vid = notice.village_id
    settings = _settings(vid)
    m = _masker(settings)
    village_name = Village.get_by_id(vid).name
    bodies = tuple(m(body) for body in _bodies(village_name, settings))

    tables = tuple(
        DocumentTable(
            m(t.caption), tuple(m(h) for h in t.header), tuple(tuple(m(c) for c in r) for r in t.rows)
        )
        for t in _tables(notice)
    )
    statement = None
    if notice.category == rules.FINANCE:
        lines = [rules.FinanceLine(line.side, m(line.item), line.amount_fen) for line in _lines(notice)]
        if lines or notice.opening_balance_fen is not None:
            statement = rules.statement(lines, notice.opening_balance_fen)
    start, end = notice.period_start, notice.period_end
    if notice.kind == rules.PUBLICITY and start is not None and end is None:
        try:  # planned, not yet posted
            end = cal.period_end(start, notice.period_days, notice.period_unit, _working_calendar(vid))
        except cal.UnknownCalendarYear:
            end = None
    result = ""
    if notice.kind == rules.PUBLICITY and notice.period_end is not None:
        facts = [_facts(o, m) for o in _objections(notice.id)]
        outcome = rules.period_result(notice.period_end, today or clock.today(), facts)
        result = outcome.summary if outcome.ended else ""
    groups = _group_names(vid)
    places = _places(notice.posted_places) or _places(notice.places)
    supersedes = Notice.get_or_none(Notice.id == notice.supersedes_id) if notice.supersedes_id else None
    publicity = notice.kind == rules.PUBLICITY
    return NoticeDocument(
        notice_id=notice.id, state=notice.state, final=notice.state != rules.DRAFT, village=village_name,
        signing_body=_signing_body(notice.category, bodies), category=notice.category,
        category_label=rules.category_label(notice.category), kind=notice.kind,
        kind_label=rules.kind_label(notice.kind), number=notice.number, title=m(notice.title),
        paragraphs=tuple(
            rules.Paragraph(m(p.text), p.level, p.addressee) for p in rules.paragraphs(notice.body)
        ),
        tables=tables, statement=statement, period_days=notice.period_days, period_unit=notice.period_unit,
        period_start=start, period_end=end, objection_body=bodies[2] if publicity else "",
        objection_phone=settings.supervisory_phone if publicity else "",
        places=tuple(rules.place_label(p, groups) for p in places),
        sign_date=notice.approved_at.date() if notice.approved_at else None,
        supersedes_number=supersedes.number if supersedes else "", result_text=result,
        attachments=tuple(
            DocumentAttachment(m(PurePath(a.file_name).stem), a.media_type, bytes(a.content))
            for a in NoticeAttachment.select()
            .where((NoticeAttachment.notice == notice.id) & (NoticeAttachment.purpose == ATTACHMENT))
            .order_by(NoticeAttachment.id)
        ),
        masking=_masking(settings),
    )  # fmt: skip


@in_document_language
def result_document(actor: Actor, notice_id: int, today: date | None = None) -> ResultDocument:
    """The posting period's result, to print once the period has ended (signed `today`)."""
    notice = _readable_notice(actor, notice_id)
    today = today or clock.today()
    outcome = period_result(actor, notice_id, today)
    if not outcome.ended:
        raise ValidationError(
            N_("The posting period runs until {end}; its result can be printed from the day after."),
            end=notice.period_end.isoformat(),
        )
    settings = _settings(notice.village_id)
    m = _masker(settings)
    village_name = Village.get_by_id(notice.village_id).name
    bodies = tuple(m(body) for body in _bodies(village_name, settings))
    title = m(notice.title)
    return ResultDocument(
        notice_id=notice.id, village=village_name,
        signing_body=_signing_body(notice.category, bodies),
        number=notice.number, title=_("Result of the posting period: {title}").format(title=title),
        notice_title=title, period_start=notice.period_start, period_end=notice.period_end,
        text=outcome.text, objections=outcome.on_time + outcome.late, objection_body=bodies[2],
        objection_phone=settings.supervisory_phone, sign_date=today, masking=_masking(settings),
    )  # fmt: skip
