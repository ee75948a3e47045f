"""Every 四议两公开 operation a user can do. Each write is one transaction with its audit entries.

Who may do what (accounts.rules): the clerk (and the secretary) opens a matter, records its meeting
steps, starts and completes its disclosures, records the implementation, sends a failed matter back
as a revised proposal or ends it, and answers the supervisory committee's concerns; the supervisory
committee (role supervisor) signs off a step or records a concern; township reviewers read.

The two disclosures are real 公示 notices of the 村务公开 room, written and read through
`notices.service` (approved by the secretary and posted there, or from this room's screens, which call
the same service). A disclosure step is complete only when its notice (or the correction that
superseded it) has hung for its whole posting period, of at least the village's minimum, and every
objection raised in the period is answered. Step 4 may be the council's own meeting record: the step
then refers to the council agenda item and takes its facts from `council.service`.

Reading functions return plain data, never models; `dossier` returns what the dossier PDF prints
(一事一档), already masked for paper.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields, is_dataclass, replace
from datetime import date, datetime
from fractions import Fraction
from typing import Any

import peewee

from villagegov.accounts import rules as access
from villagegov.core import attachments, audit, clock, voting
from villagegov.core import calendar as cal
from villagegov.core.actor import Actor
from villagegov.core.db import database, is_postgres, transaction, translated_errors
from villagegov.core.errors import NotFound, ValidationError
from villagegov.core.i18n import N_, document_date, in_document_language
from villagegov.core.privacy import Audience, Masking
from villagegov.council import service as council_service
from villagegov.decisions import rules
from villagegov.decisions.models import (
    Decision,
    DecisionAttachment,
    DecisionParticipant,
    DecisionRound,
    DecisionSettings,
    DecisionStep,
    Supervision,
)
from villagegov.decisions.records import (
    AttachmentRow,
    CouncilItem,
    DecisionDetail,
    DecisionInput,
    DecisionRow,
    DossierDocument,
    ImplementationInput,
    NoticeCopy,
    NoticeInfo,
    PersonRow,
    RoundRow,
    SettingsData,
    StepRef,
    StepRow,
    SupervisionRow,
)
from villagegov.notices import rules as notice_rules
from villagegov.notices import service as notices
from villagegov.roster import service as roster
from villagegov.roster.models import Village

ADULT_AGE = 18
# The supervisory committee's kinds of record, as callers have known them here.
SIGN_OFF, CONCERN = rules.SIGN_OFF, rules.CONCERN
SUPERVISION_KINDS, SUPERVISION_LABELS = rules.SUPERVISION_KINDS, rules.SUPERVISION_LABELS


# --- helpers ----------------------------------------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return now or clock.now()


def _day(value: str | date | None) -> date | None:
    """SQLite returns a DateField read straight from the cursor as text, PostgreSQL as a date."""
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _decision(vid: int, decision_id: int) -> Decision:
    row = Decision.get_or_none((Decision.id == decision_id) & (Decision.village == vid))
    if row is None:
        raise NotFound(N_("That decision does not exist."))
    return row


def _readable_decision(actor: Actor, decision_id: int) -> Decision:
    row = Decision.get_or_none(Decision.id == decision_id)
    if row is None:
        raise NotFound(N_("That decision does not exist."))
    access.readable_village(actor, row.village_id)
    return row


def _step(vid: int, step_id: int) -> DecisionStep:
    row = DecisionStep.get_or_none(DecisionStep.id == step_id)
    if row is None:
        raise NotFound(N_("That step record does not exist."))
    _decision(vid, row.decision_id)
    return row


def _settings_row(vid: int) -> DecisionSettings | None:
    return DecisionSettings.get_or_none(DecisionSettings.village == vid)


def _settings(vid: int) -> SettingsData:
    row = _settings_row(vid)
    if row is None:
        return SettingsData()
    return SettingsData(
        row.disclosure_days, row.disclosure_unit, row.stall_days, row.result_days,
        voting.Threshold(Fraction(row.party_quorum_num, row.party_quorum_den)),
    )  # fmt: skip


def _round_start(decision: Decision) -> date:
    row = DecisionRound.get_or_none(
        (DecisionRound.decision == decision.id) & (DecisionRound.number == decision.round)
    )
    return row.started_on if row else decision.opened_on


def _clean_decision(data: DecisionInput) -> tuple[str, str, int | None, str]:
    title = rules.check_title(data.title)
    kind = rules.check_kind(data.kind)
    amount = notice_rules.parse_yuan(data.amount, "amount") if data.amount.strip() else None
    return title, kind, amount, rules.check_long_text(data.background, "background")


def _check_day(day: date, today: date, fld: str) -> None:
    if day > today:
        raise ValidationError(N_("The date {date} is in the future."), field=fld, date=day.isoformat())


# --- notices and the council, read through their services -------------------------------------------------


def _notice_info(
    actor: Actor, notice_id: int | None, created_at: datetime | None, groups: dict[int, str] | None = None
) -> NoticeInfo | None:
    """The notice in force for a disclosure: the posted correction that superseded it, if any. None when
    the draft was deleted in the notices room (its id may since have gone to another notice: the
    creation time the step keeps tells them apart)."""
    if notice_id is None:
        return None
    try:
        detail = notices.get_notice(actor, notice_id)
    except NotFound:
        return None
    if created_at is not None and detail.created_at != created_at:
        return None
    while detail.state == notice_rules.SUPERSEDED:
        newer = [notices.get_notice(actor, i) for i in detail.superseded_by]
        posted = [n for n in newer if n.state in notice_rules.WAS_POSTED]
        if not posted:
            break
        detail = posted[0]
    chain: list[int] = []
    objections = list(detail.objections)
    earlier = detail.supersedes_id
    while earlier is not None:
        older = notices.get_notice(actor, earlier)
        chain.insert(0, older.id)
        objections[:0] = older.objections
        earlier = older.supersedes_id
    if groups is None:
        groups = _groups(actor, detail.village_id)
    places = detail.posted_places or detail.places
    return NoticeInfo(
        id=detail.id, number=detail.number, title=detail.title, kind=detail.kind, state=detail.state,
        created_at=detail.created_at, posted_at=detail.posted_at, posted_by=detail.posted_by,
        places=tuple(notice_rules.place_label(p, groups) for p in places), period_days=detail.period_days,
        period_unit=detail.period_unit, period_start=detail.period_start, period_end=detail.period_end,
        removed_at=detail.removed_at, objections=tuple(objections), corrected=tuple(chain),
    )  # fmt: skip


def _groups(actor: Actor, village_id: int) -> dict[int, str]:
    return {g.id: g.name for g in roster.list_groups(actor, village_id=village_id)}


def _dead(info: NoticeInfo | None) -> bool:
    """A disclosure's notice that will never hang: deleted as a draft, or withdrawn."""
    return info is None or info.state == notice_rules.WITHDRAWN


def _council_item(actor: Actor, item_id: int) -> CouncilItem:
    """The council agenda item's facts, from the council room's service."""
    return _council_facts(council_service.agenda_item_facts(actor, item_id))


def _council_facts(f: council_service.AgendaItemFacts) -> CouncilItem:
    return CouncilItem(
        item_id=f.item_id, meeting_id=f.meeting_id, council=f.council, meeting_title=f.meeting_title,
        date=f.date, place=f.place, chair=f.chair, recorder=f.recorder, finalised=f.finalised,
        expected=f.expected, present=f.present, title=f.title, for_vote=f.for_vote, for_=f.for_,
        against=f.against, abstain=f.abstain, recused=f.recused, needed=f.needed, threshold=f.threshold,
        outcome=f.outcome, resolution_number=f.resolution_number, resolution_text=f.resolution_text,
    )  # fmt: skip


# --- reading records into plain data ----------------------------------------------------------------------


def _threshold(num: int | None, den: int | None, strict: bool | None) -> voting.Threshold | None:
    if num is None or den is None:
        return None
    return voting.Threshold(Fraction(num, den), bool(strict))


def _supervision_row(s: Supervision) -> SupervisionRow:
    return SupervisionRow(
        s.id, s.step_id, s.kind, s.text, s.on, s.by, s.by_name, s.answer, s.answered_on, s.answered_by
    )


def _person(p: DecisionParticipant) -> PersonRow:
    return PersonRow(p.name, p.kind, p.present, p.note, p.villager_id, p.gender)


def _step_rows(actor: Actor, decision_id: int) -> list[StepRow]:
    """The step records as plain rows, with their people, council facts, notices and supervision."""
    steps = list(DecisionStep.select().where(DecisionStep.decision == decision_id).order_by(DecisionStep.id))
    ids = [s.id for s in steps]
    people: dict[int, list[DecisionParticipant]] = {i: [] for i in ids}
    supervision: dict[int, list[SupervisionRow]] = {i: [] for i in ids}
    if ids:
        query = DecisionParticipant.select().where(DecisionParticipant.step.in_(ids))
        for p in query.order_by(DecisionParticipant.sort_order, DecisionParticipant.id):
            people[p.step_id].append(p)
    if ids:
        for s in Supervision.select().where(Supervision.step.in_(ids)).order_by(Supervision.id):
            supervision[s.step_id].append(_supervision_row(s))
    corrects = {s.superseded_by_id: s.id for s in steps if s.superseded_by_id is not None}
    out = []
    for s in steps:
        out.append(
            StepRow(
                id=s.id, round=s.round, step=s.step, body=s.body, held_on=s.held_on, place=s.place,
                chair=s.chair, recorder=s.recorder, notified_on=s.notified_on, joint=s.joint,
                expected=s.expected, present=s.present, recused=s.recused, for_=s.for_, against=s.against,
                abstain=s.abstain, households=s.households, households_present=s.households_present,
                representatives=s.representatives, women_representatives=s.women_representatives,
                outcome=s.outcome, needed=s.needed,
                pass_threshold=_threshold(s.pass_num, s.pass_den, s.pass_strict), pass_base=s.pass_base,
                quorum=_threshold(s.quorum_num, s.quorum_den, s.quorum_strict), summary=s.summary,
                text=s.text,
                members=tuple(_person(p) for p in people[s.id] if p.role == rules.MEMBER),
                observers=tuple(_person(p) for p in people[s.id] if p.role == rules.OBSERVER),
                council=_council_item(actor, s.agenda_item_id) if s.agenda_item_id else None,
                notice=_notice_info(actor, s.notice_id, s.notice_created_at),
                notice_id=s.notice_id,
                period_end=s.period_end,
                completed_on=s.completed_on, superseded_by=s.superseded_by_id,
                correction_reason=s.correction_reason, corrects=corrects.get(s.id), created_at=s.created_at,
                created_by=s.created_by, supervision=tuple(supervision[s.id]),
            )
        )  # fmt: skip
    return out


def _facts(rows: Iterable[StepRow]) -> list[rules.StepFact]:
    return [
        rules.StepFact(r.id, r.step, r.round, r.outcome, r.date, r.period_end, r.superseded) for r in rows
    ]


def _last_day(decision: Decision, facts: Sequence[rules.StepFact], round_start: date) -> date:
    """The latest day anything of the matter is dated: a step, a round, the work, its end."""
    days = [rules.last_date(facts, round_start), decision.opened_on, decision.ended_on]
    days += [decision.work_started_on, decision.work_ended_on]
    return max(d for d in days if d is not None)


def _alerts(
    decision: Decision,
    p: rules.Progress,
    facts: Sequence[rules.StepFact],
    round_start: date,
    postings: dict[int, NoticeInfo],
    open_concerns: int,
    settings: SettingsData,
    today: date,
) -> list[rules.Alert]:
    """What the matter warns of today. `postings`: the notices of its disclosures under way, by step."""
    live = rules.live(facts)
    posting = postings[p.record.id].posting() if p.record is not None and p.record.id in postings else None
    result = [f for f in live if f.round == decision.round and f.step == rules.DISCLOSE_RESULT]
    # Objections of a disclosure under way; the notices room reminds of any others.
    under_way = {f.id for f in live if f.outcome == rules.DISCLOSING}
    return rules.alerts(
        p, _last_day(decision, facts, round_start), today, implementation_ended=decision.work_ended_on,
        result_posted=bool(result and result[-1].on is not None), posting=posting,
        open_concerns=open_concerns,
        open_objections=sum(info.unanswered for sid, info in postings.items() if sid in under_way),
        stall_days=settings.stall_days, result_days=settings.result_days,
    )  # fmt: skip


def _decision_facts(
    decision: Decision, rows: Sequence[StepRow], settings: SettingsData
) -> rules.DecisionFacts:
    """What the rules decide a matter's actions from (`rules.decision_actions`): the same facts for the
    service's checks and for the buttons of the screen that shows the matter."""
    facts = _facts(rows)
    p = rules.progress(decision.state, decision.round, facts)
    notice, lost, posting = None, False, None
    not_before = previous_end = None
    if p.step in rules.DISCLOSURE_STEPS and p.waiting == rules.UNDER_WAY and p.record is not None:
        current = next(r for r in rows if r.id == p.record.id)
        info = current.notice
        lost = _dead(info)
        if info is not None:
            label = info.number or f"《{info.title}》"
            notice = notice_rules.NoticeFacts(info.state, info.kind, label, info.period_end)
            posting = info.posting()
        live = [r for r in rows if not r.superseded]
        before_step = rules.RESOLVE if p.step == rules.DISCLOSE_RESOLUTION else rules.DISCLOSE_RESOLUTION
        before = _current_row(live, decision.round, before_step)
        not_before = before.date if before else None
        if p.step == rules.DISCLOSE_RESULT and before is not None:
            previous_end = before.period_end
    return rules.DecisionFacts(
        progress=p, steps=tuple(facts), notice=notice, notice_lost=lost, posting=posting,
        not_before=not_before, previous_period_end=previous_end, work_ended=decision.work_ended_on,
        open_concerns=sum(r.open_concerns for r in rows), min_days=settings.disclosure_days,
        min_unit=settings.disclosure_unit,
    )  # fmt: skip


def _allowed(
    actor: Actor, decision: Decision, today: date
) -> tuple[rules.Allowed, rules.DecisionFacts, list[StepRow]]:
    """The rules' answer for this matter, this role and today (the room's buttons ask the same)."""
    rows = _step_rows(actor, decision.id)
    facts = _decision_facts(decision, rows, _settings(decision.village_id))
    return rules.decision_actions(actor.role, facts, today), facts, rows


def _detail(actor: Actor, decision: Decision, today: date | None = None) -> DecisionDetail:
    decision = Decision.get_by_id(decision.id)  # as stored
    rows = _step_rows(actor, decision.id)
    settings = _settings(decision.village_id)
    decision_facts = _decision_facts(decision, rows, settings)
    facts = list(decision_facts.steps)
    p = decision_facts.progress
    rounds = tuple(
        RoundRow(r.number, r.started_on, r.reason, r.created_by)
        for r in DecisionRound.select()
        .where(DecisionRound.decision == decision.id)
        .order_by(DecisionRound.number)
    )
    attachments = (
        DecisionAttachment.select(*[f for f in DecisionAttachment._meta.sorted_fields if f.name != "content"])
        .where(DecisionAttachment.decision == decision.id)
        .order_by(DecisionAttachment.id)
    )
    start = _round_start(decision)
    postings = {r.id: r.notice for r in rows if r.notice is not None}
    alerts = _alerts(
        decision, p, facts, start, postings, decision_facts.open_concerns, settings, today or clock.today(),
    )  # fmt: skip
    return DecisionDetail(
        id=decision.id, village_id=decision.village_id, number=decision.number, year=decision.year,
        title=decision.title, kind=decision.kind, amount_fen=decision.amount_fen,
        background=decision.background, opened_on=decision.opened_on, state=decision.state,
        round=decision.round, ended_on=decision.ended_on, end_reason=decision.end_reason,
        work_started_on=decision.work_started_on, work_ended_on=decision.work_ended_on,
        work_done=decision.work_done, spent_fen=decision.spent_fen, created_at=decision.created_at,
        created_by=decision.created_by, progress=p, steps=tuple(rows), rounds=rounds,
        attachments=tuple(_attachment_row(a) for a in attachments), alerts=tuple(alerts),
        last_date=_last_day(decision, facts, start), facts=decision_facts,
    )  # fmt: skip


def _attachment_row(a: DecisionAttachment) -> AttachmentRow:
    return AttachmentRow(a.id, a.decision_id, a.file_name, a.media_type, a.size, a.sha256, a.added_at,
                         a.added_by)  # fmt: skip


# --- settings ---------------------------------------------------------------------------------------------


def decision_settings(actor: Actor, village_id: int | None = None) -> SettingsData:
    return _settings(access.readable_village(actor, village_id))


def update_decision_settings(actor: Actor, data: SettingsData) -> SettingsData:
    vid = access.writable_village(actor)
    if data.disclosure_unit not in cal.UNITS:
        raise ValidationError(
            N_("Unknown unit of days: {unit}"), field="disclosure_unit", unit=data.disclosure_unit
        )
    if not rules.DEFAULT_DISCLOSURE_DAYS <= data.disclosure_days <= notice_rules.MAX_PERIOD_DAYS:
        raise ValidationError(
            N_("A disclosure hangs for {minimum} to {maximum} days."), field="disclosure_days",
            minimum=rules.DEFAULT_DISCLOSURE_DAYS, maximum=notice_rules.MAX_PERIOD_DAYS,
        )  # fmt: skip
    for value, fld in ((data.stall_days, "stall_days"), (data.result_days, "result_days")):
        if not 1 <= value <= 365:
            raise ValidationError(N_("A warning comes after 1 to 365 days."), field=fld)
    rules.voting_rule(rules.PARTY_MEMBERS, data.party_quorum)  # only 1/2 or the tighter 2/3
    values: dict[str, Any] = {
        "disclosure_days": data.disclosure_days, "disclosure_unit": data.disclosure_unit,
        "stall_days": data.stall_days, "result_days": data.result_days,
        "party_quorum_num": data.party_quorum.fraction.numerator,
        "party_quorum_den": data.party_quorum.fraction.denominator,
    }  # fmt: skip
    with translated_errors(), transaction():
        row = _settings_row(vid)
        if row is None:
            audit.record_create(actor, DecisionSettings(village=vid, **values))
        else:
            before = audit.snapshot(row)
            for key, value in values.items():
                setattr(row, key, value)
            audit.record_update(actor, row, before)
    return _settings(vid)


# --- the roster's people for the forms --------------------------------------------------------------------


def _is_adult(born: date, on: date) -> bool:
    try:
        eighteenth = born.replace(year=born.year + ADULT_AGE)
    except ValueError:  # born on 29 February: of age on 1 March
        eighteenth = date(born.year + ADULT_AGE, 3, 1)
    return eighteenth <= on


def _representatives_on(actor: Actor, vid: int, day: date) -> list[roster.VillagerRow]:
    rows = roster.list_villagers(actor, roster.VillagerFilter(representative=True), village_id=vid)
    return [
        v
        for v in rows
        if (v.representative_term_start is None or v.representative_term_start <= day)
        and (v.representative_term_end is None or day <= v.representative_term_end)
    ]


def representatives_on(actor: Actor, day: date, village_id: int | None = None) -> list[rules.Participant]:
    """The villagers' representatives whose term includes `day`, from the roster: a representatives'
    meeting expects every one of them."""
    vid = access.readable_village(actor, village_id)
    return [
        rules.Participant(v.name, True, v.id, rules.REPRESENTATIVE)
        for v in _representatives_on(actor, vid, day)
    ]


def party_members(actor: Actor, day: date, village_id: int | None = None) -> list[rules.Participant]:
    """The roster's adult party members, to start the list of a party members' meeting."""
    vid = access.readable_village(actor, village_id)
    rows = roster.list_villagers(actor, roster.VillagerFilter(party_member=True), village_id=vid)
    return [
        rules.Participant(v.name, True, v.id, rules.PARTY_MEMBER)
        for v in rows
        if _is_adult(v.birth_date, day)
    ]


def villagers_meeting_base(actor: Actor, day: date, village_id: int | None = None) -> tuple[int, int]:
    """(the village's adults on `day`, its households), from the roster: a villagers' meeting's bases."""
    vid = access.readable_village(actor, village_id)
    adults = sum(1 for v in roster.list_villagers(actor, village_id=vid) if _is_adult(v.birth_date, day))
    return adults, roster.counts(actor, vid)["households"]


def council_items(actor: Actor, year: int | None = None) -> list[CouncilItem]:
    """The council's agenda items put to a vote, the latest meeting first: what step 4 may refer to."""
    return [_council_facts(f) for f in council_service.agenda_items_facts(actor, year)]


# --- decisions --------------------------------------------------------------------------------------------


def open_decision(
    actor: Actor, data: DecisionInput, opened_on: date, today: date | None = None, now: datetime | None = None
) -> DecisionDetail:
    """A major matter enters the procedure; it takes the village's next dossier number of its year."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    _check_day(opened_on, today, "opened_on")
    title, kind, amount, background = _clean_decision(data)
    with translated_errors(), transaction():
        if is_postgres():
            database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (actor.audit_chain,))
        year = opened_on.year
        used = Decision.select(Decision.sequence).where((Decision.village == vid) & (Decision.year == year))
        sequence = rules.next_sequence(s for (s,) in used.tuples())
        decision = Decision(
            village=vid, year=year, sequence=sequence, number=rules.dossier_number(year, sequence),
            title=title, kind=kind, amount_fen=amount, background=background, opened_on=opened_on,
            state=rules.IN_PROGRESS, round=1, created_at=_now(now), created_by=actor.username,
        )  # fmt: skip
        audit.record_create(actor, decision, action="open")
        audit.record_create(
            actor,
            DecisionRound(decision=decision.id, number=1, started_on=opened_on, created_by=actor.username),
        )
    return _detail(actor, decision, today)


def update_decision(actor: Actor, decision_id: int, data: DecisionInput) -> DecisionDetail:
    """Correct the matter's title, kind, amount or background until its resolution (step 4) is recorded."""
    vid = access.writable_village(actor)
    title, kind, amount, background = _clean_decision(data)
    with translated_errors(), transaction():
        decision = _decision(vid, decision_id)
        _allowed(actor, decision, clock.today())[0].require(rules.EDIT)
        before = audit.snapshot(decision)
        decision.title, decision.kind, decision.amount_fen = title, kind, amount
        decision.background = background
        audit.record_update(actor, decision, before)
    return _detail(actor, decision)


def delete_decision(actor: Actor, decision_id: int) -> None:
    """Remove a matter opened by mistake, before any step is recorded (the audit log keeps it)."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        decision = _decision(vid, decision_id)
        _allowed(actor, decision, clock.today())[0].require(rules.DELETE)
        for a in DecisionAttachment.select().where(DecisionAttachment.decision == decision.id):
            audit.record_delete(actor, a)
        for r in DecisionRound.select().where(DecisionRound.decision == decision.id):
            audit.record_delete(actor, r)
        audit.record_delete(actor, decision)


def get_decision(actor: Actor, decision_id: int, today: date | None = None) -> DecisionDetail:
    return _detail(actor, _readable_decision(actor, decision_id), today)


def list_decisions(
    actor: Actor,
    year: int | None = None,
    state: str | None = None,
    text: str = "",
    today: date | None = None,
    village_id: int | None = None,
) -> list[DecisionRow]:
    """Decisions, the newest first, with the step each has reached and what it warns of today."""
    vid = access.readable_village(actor, village_id)
    query = Decision.select().where(Decision.village == vid)
    if year is not None:
        query = query.where(Decision.year == year)
    if state is not None:
        query = query.where(Decision.state == state)
    for word in text.split():
        query = query.where(Decision.title.contains(word) | Decision.number.contains(word))
    with translated_errors():
        return _rows(actor, vid, list(query.order_by(Decision.year.desc(), Decision.sequence.desc())), today)


def _rows(actor: Actor, vid: int, decisions: Sequence[Decision], today: date | None) -> list[DecisionRow]:
    """The list's rows in a handful of queries for all the decisions (not a handful for each): their
    steps, open concerns and rounds at once; a notice is read only for a disclosure under way."""
    ids = [d.id for d in decisions]
    if not ids:
        return []
    # Only the columns the list needs, as tuples: model instances of every step record cost more than
    # the queries do (bench/decisions.py).
    S = DecisionStep
    columns = (S.decision, S.id, S.step, S.round, S.outcome, S.held_on, S.period_end, S.superseded_by,
               S.notice_id, S.notice_created_at)  # fmt: skip
    steps: dict[int, list[tuple[Any, ...]]] = {i: [] for i in ids}
    for row in S.select(*columns).where(S.decision.in_(ids)).order_by(S.id).tuples():
        steps[row[0]].append(row)
    concerns = dict(
        Supervision.select(DecisionStep.decision, peewee.fn.COUNT(Supervision.id))
        .join(DecisionStep)
        .where(
            DecisionStep.decision.in_(ids) & (Supervision.kind == CONCERN) & Supervision.answered_on.is_null()
        )
        .group_by(DecisionStep.decision)
        .tuples()
    )
    starts = {
        (d, n): _day(on)
        for d, n, on in DecisionRound.select(
            DecisionRound.decision, DecisionRound.number, DecisionRound.started_on
        )
        .where(DecisionRound.decision.in_(ids))
        .tuples()
    }
    settings = _settings(vid)
    today = today or clock.today()
    groups = _groups(actor, vid)
    out = []
    for d in decisions:
        postings: dict[int, NoticeInfo] = {}
        facts = []
        for _d, sid, step, round_, outcome, held_on, period_end, superseded, notice_id, created in steps[
            d.id
        ]:
            on = _day(held_on)
            if outcome == rules.DISCLOSING and superseded is None:
                info = _notice_info(actor, notice_id, created, groups)
                if info is not None:
                    postings[sid] = info
                    on = info.posted_at
            facts.append(
                rules.StepFact(sid, step, round_, outcome, on, _day(period_end), superseded is not None)
            )
        p = rules.progress(d.state, d.round, facts)
        start = starts.get((d.id, d.round)) or d.opened_on
        alerts = _alerts(d, p, facts, start, postings, concerns.get(d.id, 0), settings, today)
        under_way = postings.get(p.record.id) if p.waiting == rules.UNDER_WAY and p.record else None
        out.append(
            DecisionRow(
                d.id, d.number, d.year, d.title, d.kind, d.amount_fen, d.state, p.step, p.waiting,
                _last_day(d, facts, start), tuple(alerts), under_way.state if under_way else None,
            )
        )  # fmt: skip
    return out


def all_alerts(actor: Actor, today: date | None = None) -> list[tuple[DecisionRow, rules.Alert]]:
    """Every warning of the village's open decisions, the serious first."""
    rows = list_decisions(actor, today=today)
    pairs = [(row, alert) for row in rows for alert in row.alerts]
    return sorted(pairs, key=lambda pair: (not pair[1].serious, pair[0].last_date))


def step_for_agenda_item(actor: Actor, item_id: int) -> StepRef | None:
    """The decision step a council agenda item held (the record in force), if any."""
    row = (
        DecisionStep.select(DecisionStep, Decision)
        .join(Decision)
        .where((DecisionStep.agenda_item == item_id) & DecisionStep.superseded_by.is_null())
        .order_by(DecisionStep.id.desc())
        .first()
    )
    if row is None:
        return None
    access.readable_village(actor, row.decision.village_id)
    return StepRef(row.decision_id, row.decision.number, row.decision.title, row.id, row.step, row.round)


# --- meeting steps ----------------------------------------------------------------------------------------


def _check_council(vid: int, item: CouncilItem, except_step: int | None) -> None:
    if not item.finalised:
        raise ValidationError(
            N_("The record of the council's {meeting} is not signed and finalised yet; a step refers only to "
               "a finalised record."),
            field="agenda_item", meeting=item.meeting_title,
        )  # fmt: skip
    if not item.for_vote or item.outcome is None:
        raise ValidationError(
            N_("The council item {title} was not put to a vote."), field="agenda_item", title=item.title
        )
    taken = (
        DecisionStep.select(DecisionStep, Decision)
        .join(Decision)
        .where(
            (DecisionStep.agenda_item == item.item_id)
            & DecisionStep.superseded_by.is_null()
            & (Decision.village == vid)
        )
    )
    for other in taken:
        if other.id != except_step:
            raise ValidationError(
                N_("The council item {title} already holds step 4 of {number}."), field="agenda_item",
                title=item.title, number=other.decision.number,
            )  # fmt: skip


def _meeting_record(
    actor: Actor,
    vid: int,
    decision: Decision,
    step: str,
    clean: rules.StepInput,
    council: CouncilItem | None,
) -> tuple[dict[str, Any], list[DecisionParticipant], list[str]]:
    """The step record's values (counts and the outcome core/voting.py decides), its people, and notes."""
    values: dict[str, Any] = {
        "held_on": clean.held_on, "place": clean.place, "chair": clean.chair, "recorder": clean.recorder,
        "body": clean.body, "notified_on": clean.notified_on, "joint": clean.joint,
        "summary": clean.summary, "text": clean.text, "recused": clean.recused,
    }  # fmt: skip
    people: list[DecisionParticipant] = []
    notes: list[str] = []
    order = 0

    def add(
        role: str, kind: str, name: str, present: bool, note: str, villager: int | None, gender: str
    ) -> None:
        nonlocal order
        order += 1
        people.append(
            DecisionParticipant(
                sort_order=order,
                role=role,
                kind=kind,
                villager=villager,
                name=name,
                present=present,
                note=note,
                gender=gender,
            )
        )

    if council is not None:
        values.update(
            held_on=council.date, place=council.place, chair=council.chair, recorder=council.recorder,
            expected=council.expected, present=council.present, recused=council.recused or 0,
            for_=council.for_, against=council.against, abstain=council.abstain, outcome=council.outcome,
            needed=council.needed, pass_base=voting.PRESENT, agenda_item=council.item_id,
            text=clean.text or council.resolution_text or council.title,
        )  # fmt: skip
        if council.threshold is not None:
            values.update(
                pass_num=council.threshold.fraction.numerator,
                pass_den=council.threshold.fraction.denominator, pass_strict=council.threshold.strict,
            )  # fmt: skip
        for o in clean.observers:
            add(rules.OBSERVER, o.kind, o.name, True, o.note, None, "")
        return values, people, notes

    members = list(clean.participants)
    genders: dict[int, str] = {}
    if clean.body == rules.REPRESENTATIVES:
        roster_reps = {v.id: v for v in _representatives_on(actor, vid, clean.held_on)}
        listed = {p.villager_id for p in members if p.kind == rules.REPRESENTATIVE}
        for p in members:
            if p.kind == rules.REPRESENTATIVE and p.villager_id not in roster_reps:
                raise ValidationError(
                    N_("{name} is not a villagers' representative on {date} in the roster."),
                    field="participants", name=p.name, date=clean.held_on.isoformat(),
                )  # fmt: skip
            if p.kind not in (rules.REPRESENTATIVE, rules.COMMITTEE_MEMBER):
                raise ValidationError(
                    N_("A representatives' meeting is made of the village committee and the representatives; "
                       "{name} is neither."),
                    field="participants", name=p.name,
                )  # fmt: skip
        missing = [v.name for vid_, v in roster_reps.items() if vid_ not in listed]
        if missing:
            raise ValidationError(
                N_("Every representative is expected at the meeting; not listed: {names}."),
                field="participants", names="、".join(missing),
            )  # fmt: skip
        genders = {v.id: v.gender for v in roster_reps.values()}
        reps = [p for p in members if p.kind == rules.REPRESENTATIVE]
        composition = rules.Composition(
            members=len(members), representatives=len(reps),
            women_representatives=sum(1 for p in reps if genders.get(p.villager_id or 0) == "female"),
            households=roster.counts(actor, vid)["households"],
        )  # fmt: skip
        notes = rules.check_composition(composition)
        values.update(
            representatives=composition.representatives,
            women_representatives=composition.women_representatives,
        )
    for p in members:
        add(
            rules.MEMBER,
            p.kind,
            p.name,
            p.present,
            p.note,
            p.villager_id,
            genders.get(p.villager_id or 0, ""),
        )
    for o in clean.observers:
        add(rules.OBSERVER, o.kind, o.name, True, o.note, None, "")

    present = sum(1 for p in members if p.present)
    if step in (rules.PROPOSE, rules.DISCUSS):
        if present == 0:
            raise ValidationError(
                N_("Nobody is marked present: the meeting was not held."), field="participants"
            )
        values.update(expected=len(members), present=present,
                      outcome=rules.AGREED if clean.agreed else rules.NOT_AGREED)  # fmt: skip
        return values, people, notes

    settings = _settings(vid)
    rule = rules.voting_rule(clean.body, settings.party_quorum)
    if clean.body == rules.VILLAGERS:
        adults, households = villagers_meeting_base(actor, clean.held_on, vid)
        counts = voting.Counts(
            expected=adults, present=clean.adults_present or 0, recused=clean.recused, for_=clean.for_,
            against=clean.against, abstain=clean.abstain, households=households,
            households_present=clean.households_present,
        )  # fmt: skip
    else:
        counts = voting.Counts(
            expected=len(members), present=present, recused=clean.recused, for_=clean.for_,
            against=clean.against, abstain=clean.abstain,
        )  # fmt: skip
    outcome = voting.tally(rule, counts)
    threshold = rule.pass_threshold
    values.update(
        expected=counts.expected, present=counts.present, for_=counts.for_, against=counts.against,
        abstain=counts.abstain, households=counts.households, households_present=counts.households_present,
        outcome=outcome.result, needed=outcome.needed, pass_num=threshold.fraction.numerator,
        pass_den=threshold.fraction.denominator, pass_strict=threshold.strict, pass_base=rule.pass_base,
    )  # fmt: skip
    if clean.body == rules.PARTY_MEMBERS:
        quorum = rule.quorums[0].threshold
        values.update(quorum_num=quorum.fraction.numerator, quorum_den=quorum.fraction.denominator,
                      quorum_strict=quorum.strict)  # fmt: skip
    return values, people, notes


def _write_step(
    actor: Actor,
    vid: int,
    decision: Decision,
    step: str,
    data: rules.StepInput,
    today: date,
    now: datetime | None,
    replacing: DecisionStep | None = None,
    reason: str = "",
) -> DecisionStep:
    """The step's record (the rules have allowed it: `step_refusal` or `correction_refusal`)."""
    rows = [r for r in _step_rows(actor, decision.id) if replacing is None or r.id != replacing.id]
    facts = _facts(rows)
    clean = rules.check_step_input(step, data, today)
    council = None
    if clean.agenda_item_id is not None:
        council = _council_item(actor, clean.agenda_item_id)
        _check_council(vid, council, replacing.id if replacing else None)
    held_on = council.date if council is not None else clean.held_on
    rules.check_step_date(step, held_on, facts, today, _round_start(decision))
    rules.check_joint(replace(clean, held_on=held_on), facts, decision.round)
    values, people, _notes = _meeting_record(actor, vid, decision, step, clean, council)
    row = DecisionStep(
        decision=decision.id, round=decision.round, step=step, correction_reason=reason,
        created_at=_now(now), created_by=actor.username, **values,
    )  # fmt: skip
    audit.record_create(actor, row, action="correct" if replacing else "record")
    for person in people:
        person.step = row.id
        audit.record_create(actor, person)
    if replacing is not None:
        before = audit.snapshot(replacing)
        replacing.superseded_by = row.id
        audit.record_update(actor, replacing, before, action="supersede")
    return row


def record_step(
    actor: Actor,
    decision_id: int,
    step: str,
    data: rules.StepInput,
    today: date | None = None,
    now: datetime | None = None,
) -> DecisionDetail:
    """Record a meeting step (1 to 4): only the step the decision is at, dated no earlier than the step
    before; a vote's outcome is decided by core/voting.py under the body's rule."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    with translated_errors(), transaction():
        decision = _decision(vid, decision_id)
        facts = _allowed(actor, decision, today)[1]
        rules.require(rules.step_refusal(actor.role, facts, step))
        _write_step(actor, vid, decision, step, data, today, now)
    return _detail(actor, decision, today)


def correct_step(
    actor: Actor,
    step_id: int,
    data: rules.StepInput,
    reason: str,
    today: date | None = None,
    now: datetime | None = None,
) -> DecisionDetail:
    """Correct the latest meeting step with a new record; the original stays, marked as replaced."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    why = rules.clean_text(reason)
    if not why:
        raise ValidationError(N_("Say why the record is corrected."), field="reason")
    with translated_errors(), transaction():
        old = _step(vid, step_id)
        decision = _decision(vid, old.decision_id)
        facts = _allowed(actor, decision, today)[1]
        rules.require(rules.correction_refusal(actor.role, facts, old.id))
        _write_step(actor, vid, decision, old.step, data, today, now, replacing=old, reason=why)
    return _detail(actor, decision, today)


def preview_outcome(actor: Actor, step: str, data: rules.StepInput) -> voting.Outcome | None:
    """What core/voting.py would decide for the counts typed so far (for the form's live line)."""
    vid = access.readable_village(actor, None)
    if step not in rules.VOTING_STEPS:
        return None
    body = data.body or rules.BODIES[step][0]
    if body == rules.COUNCIL:
        return None
    members = [p for p in data.participants]
    if body == rules.VILLAGERS:
        adults, households = villagers_meeting_base(actor, data.held_on, vid)
        counts = voting.Counts(adults, data.adults_present or 0, data.recused, data.for_, data.against,
                               data.abstain, households, data.households_present or 0)  # fmt: skip
    else:
        counts = voting.Counts(len(members), sum(1 for p in members if p.present), data.recused, data.for_,
                               data.against, data.abstain)  # fmt: skip
    return voting.tally(rules.voting_rule(body, _settings(vid).party_quorum), counts)


# --- failed votes: revise or end --------------------------------------------------------------------------


def _failed(actor: Actor, decision: Decision, action: str, today: date) -> list[rules.StepFact]:
    """A matter whose vote failed (or whose meeting could not sit): sent back, or ended."""
    allowed, facts, _rows = _allowed(actor, decision, today)
    allowed.require(action)
    return list(facts.steps)


def revise(
    actor: Actor, decision_id: int, on: date, reason: str, today: date | None = None
) -> DecisionDetail:
    """Send the matter back to step 1 as a revised proposal: a new round; every earlier record stays."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    why = rules.clean_text(reason)
    if not why:
        raise ValidationError(N_("Say what is revised in the proposal."), field="reason")
    with translated_errors(), transaction():
        decision = _decision(vid, decision_id)
        facts = _failed(actor, decision, rules.REVISE, today)
        rules.check_step_date(rules.PROPOSE, on, facts, today, _round_start(decision))
        before = audit.snapshot(decision)
        decision.round += 1
        audit.record_update(actor, decision, before, action="revise")
        audit.record_create(
            actor,
            DecisionRound(
                decision=decision.id,
                number=decision.round,
                started_on=on,
                reason=why,
                created_by=actor.username,
            ),
        )
    return _detail(actor, decision, today)


def end_not_adopted(
    actor: Actor, decision_id: int, on: date, reason: str, today: date | None = None
) -> DecisionDetail:
    """End the matter as not adopted after a failed vote; its record is closed and kept."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    why = rules.clean_text(reason)
    if not why:
        raise ValidationError(N_("Say why the matter ends."), field="reason")
    with translated_errors(), transaction():
        decision = _decision(vid, decision_id)
        facts = _failed(actor, decision, rules.END, today)
        rules.check_step_date(rules.PROPOSE, on, facts, today, _round_start(decision))
        before = audit.snapshot(decision)
        decision.state, decision.ended_on, decision.end_reason = rules.NOT_ADOPTED, on, why
        audit.record_update(actor, decision, before, action="not_adopted")
    return _detail(actor, decision, today)


# --- the disclosures --------------------------------------------------------------------------------------


def _live_rows(actor: Actor, decision: Decision) -> list[StepRow]:
    return [r for r in _step_rows(actor, decision.id) if not r.superseded]


def _current_row(rows: Sequence[StepRow], round_: int, step: str) -> StepRow | None:
    mine = [r for r in rows if r.round == round_ and r.step == step]
    return mine[-1] if mine else None


def _yuan(fen: int) -> str:
    """120,000.00: amounts in a notice's text, grouped as the account books write them."""
    whole, part = divmod(abs(fen), 100)
    return f"{'-' if fen < 0 else ''}{whole:,}.{part:02d}"


def _subject(title: str) -> str:
    """A matter's title as it sits inside 关于…的公示."""
    core = re.sub(r"^关于", "", title).strip()
    return re.sub(r"的$", "", core)


def _vote_sentence(row: StepRow) -> str:
    body = row.council.council if row.council is not None else rules.body_label(row.body)
    if row.body == rules.VILLAGERS:
        present = f"应到会{row.expected}人，实到会{row.present}人，到会户代表{row.households_present}户"
    else:
        present = f"应到会{row.expected}人，实到会{row.present}人"
    return (
        f"{document_date(row.date or clock.today())}召开{body}，{present}；表决结果：赞成{row.for_ or 0}票，"
        f"反对{row.against or 0}票，弃权{row.abstain or 0}票，{rules.outcome_label(row.outcome)}。"
    )


@in_document_language
def disclosure_draft(actor: Actor, decision_id: int) -> notice_rules.NoticeInput:
    """The 公示 the next disclosure would be: title, text and table, from the record (in Chinese)."""
    decision = _readable_decision(actor, decision_id)
    settings = _settings(decision.village_id)
    rows = _live_rows(actor, decision)
    p = rules.progress(decision.state, decision.round, _facts(rows))
    step = p.step if p.step in rules.DISCLOSURE_STEPS else rules.DISCLOSE_RESOLUTION
    resolve = _current_row(rows, decision.round, rules.RESOLVE)
    subject = _subject(decision.title)
    lines = ["各村民小组、全体村民："]
    tables: tuple[notice_rules.TableInput, ...] = ()
    if step == rules.DISCLOSE_RESOLUTION:
        title = f"关于{subject}决议的公示"
        lines.append(
            f"根据“四议两公开”工作程序，{subject}事项经村党组织提议、村“两委”会议商议、党员大会审议，"
            "提交表决。现将决议公示如下："
        )
        lines.append("一、决议内容")
        lines.append(resolve.text if resolve and resolve.text else decision.title)
        lines.append("二、表决情况")
        if resolve is not None:
            lines.append(_vote_sentence(resolve))
        if decision.amount_fen is not None:
            lines.append("三、涉及金额")
            lines.append(f"人民币{_yuan(decision.amount_fen)}元。")
    else:
        title = f"关于{subject}实施结果的公示"
        resolution = _current_row(rows, decision.round, rules.DISCLOSE_RESOLUTION)
        number = resolution.notice.number if resolution and resolution.notice else ""
        when = document_date(resolve.date) if resolve and resolve.date else ""
        lines.append(
            f"{subject}事项于{when}表决通过"
            + (f"，并经公示（{number}）" if number else "")
            + "。现将实施结果公示如下："
        )
        lines.append("一、实施情况")
        if decision.work_started_on:
            span = document_date(decision.work_started_on)
            if decision.work_ended_on:
                span += f"至{document_date(decision.work_ended_on)}"
            lines.append(f"实施时间：{span}。")
        lines.append(decision.work_done or "")
        if decision.amount_fen is not None or decision.spent_fen is not None:
            lines.append("二、资金使用情况")
            decided = decision.amount_fen or 0
            spent = decision.spent_fen or 0
            difference = decided - spent
            word = "节余" if difference >= 0 else "超支"
            lines.append(
                f"决议金额{_yuan(decided)}元，实际支出{_yuan(spent)}元，{word}{_yuan(abs(difference))}元。"
            )
            tables = (
                notice_rules.TableInput(
                    ("项目", "金额（元）"),
                    (
                        ("决议金额", _yuan(decided)),
                        ("实际支出", _yuan(spent)),
                        (word, _yuan(abs(difference))),
                    ),
                    caption="资金使用情况",
                ),
            )
    return notice_rules.NoticeInput(
        category=notice_rules.VILLAGE, kind=notice_rules.PUBLICITY, title=title,
        body="\n".join(line for line in lines if line), major=True, period_days=settings.disclosure_days,
        period_unit=settings.disclosure_unit, tables=tables,
    )  # fmt: skip


def start_disclosure(
    actor: Actor,
    decision_id: int,
    title: str = "",
    body: str = "",
    today: date | None = None,
    now: datetime | None = None,
) -> DecisionDetail:
    """Draft the disclosure's 公示 in the 村务公开 room (step 5 after a passed vote, step 6 once step 5 is
    complete and the work has ended). The secretary approves it and the clerk posts it there."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    with translated_errors(), transaction():
        decision = _decision(vid, decision_id)
        allowed, facts, _rows = _allowed(actor, decision, today)
        allowed.require(rules.START_DISCLOSURE)
        p = facts.progress
        step = p.step if p.step in rules.DISCLOSURE_STEPS else rules.DISCLOSE_RESOLUTION
        redraft: DecisionStep | None = None
        if facts.notice_lost and p.record is not None:
            redraft = DecisionStep.get_by_id(p.record.id)  # its notice was withdrawn or deleted
        draft = disclosure_draft(actor, decision.id)
        draft = replace(draft, title=title.strip() or draft.title, body=body.strip() or draft.body)
        notice = notices.create_draft(actor, draft, now=now)
        if redraft is not None:
            before = audit.snapshot(redraft)
            redraft.notice_id, redraft.notice_created_at = notice.id, notice.created_at
            audit.record_update(actor, redraft, before, action="redraft")
        else:
            row = DecisionStep(
                decision=decision.id, round=decision.round, step=step, outcome=rules.DISCLOSING,
                notice_id=notice.id, notice_created_at=notice.created_at, created_at=_now(now),
                created_by=actor.username,
            )  # fmt: skip
            audit.record_create(actor, row, action="start_disclosure")
    return _detail(actor, decision, today)


def complete_disclosure(actor: Actor, decision_id: int, today: date | None = None) -> DecisionDetail:
    """Mark the disclosure under way complete: its notice has hung its whole period (at least the village's
    minimum), after the step before, with every objection of the period answered. Step 6 complete ends
    the matter, once no concern of the supervisory committee is left unanswered."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    with translated_errors(), transaction():
        decision = _decision(vid, decision_id)
        allowed, facts, rows = _allowed(actor, decision, today)
        allowed.require(rules.COMPLETE_DISCLOSURE)
        p = facts.progress
        assert p.record is not None
        current = next(r for r in rows if r.id == p.record.id)
        posting = facts.posting
        assert current.notice is not None and posting is not None
        row = DecisionStep.get_by_id(current.id)
        before = audit.snapshot(row)
        row.outcome = rules.DISCLOSED
        # The correction in force, if the notice was corrected.
        row.notice_id, row.notice_created_at = current.notice.id, current.notice.created_at
        row.held_on = posting.posted_at
        row.period_end = posting.period_end
        row.completed_on = today
        audit.record_update(actor, row, before, action="complete")
        if p.step == rules.DISCLOSE_RESULT:
            before = audit.snapshot(decision)
            decision.state, decision.ended_on = rules.COMPLETE, today
            audit.record_update(actor, decision, before, action="complete")
    return _detail(actor, decision, today)


def record_implementation(
    actor: Actor, decision_id: int, data: ImplementationInput, today: date | None = None
) -> DecisionDetail:
    """What was done and spent, after the resolution passed; fixed once its result disclosure starts."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    with translated_errors(), transaction():
        decision = _decision(vid, decision_id)
        allowed, _facts_now, rows = _allowed(actor, decision, today)
        allowed.require(rules.IMPLEMENTATION)
        live = [r for r in rows if not r.superseded]
        resolve = _current_row(live, decision.round, rules.RESOLVE)
        assert resolve is not None and resolve.date is not None
        done = rules.check_implementation(data.started_on, data.ended_on, data.work_done, resolve.date, today)
        spent = notice_rules.parse_yuan(data.spent, "spent") if data.spent.strip() else None
        before = audit.snapshot(decision)
        decision.work_started_on, decision.work_ended_on = data.started_on, data.ended_on
        decision.work_done, decision.spent_fen = done, spent
        audit.record_update(actor, decision, before, action="implementation")
    return _detail(actor, decision, today)


# --- supervision ------------------------------------------------------------------------------------------


def _supervise(
    actor: Actor, step_id: int, kind: str, text: str, on: date | None, today: date | None
) -> SupervisionRow:
    vid = access.writable_village(actor, access.SIGN_OFF)
    today = today or clock.today()
    on = on or today
    _check_day(on, today, "on")
    clean = rules.check_long_text(text, "text")
    if kind == CONCERN and not clean:
        raise ValidationError(N_("Please say what the concern is."), field="text")
    with translated_errors(), transaction():
        step = _step(vid, step_id)
        happened = step.held_on
        if happened is None and step.notice_id is not None:
            info = _notice_info(actor, step.notice_id, step.notice_created_at)
            happened = info.posted_at if info else None
        if happened is not None and on < happened:
            raise ValidationError(
                N_("The step took place on {date}; it is supervised on that day or after."), field="on",
                date=happened.isoformat(),
            )  # fmt: skip
        records = Supervision.select().where(Supervision.step == step.id)
        open_concerns = sum(1 for r in records if r.kind == CONCERN and r.answered_on is None)
        signed = any(r.kind == SIGN_OFF and r.by == actor.username for r in records)
        action = rules.SIGN_OFF if kind == SIGN_OFF else rules.RAISE_CONCERN
        rules.supervision_actions(actor.role, open_concerns, signed).require(action)
        row = Supervision(
            step=step.id, kind=kind, text=clean, on=on, by=actor.username, by_name=actor.display_name,
            created_at=clock.now(),
        )  # fmt: skip
        audit.record_create(actor, row, action=kind)
    return _supervision_row(row)


def sign_off(
    actor: Actor, step_id: int, text: str = "", on: date | None = None, today: date | None = None
) -> SupervisionRow:
    """The supervisory committee signs off a step's record (nothing about it left to question)."""
    return _supervise(actor, step_id, SIGN_OFF, text, on, today)


def raise_concern(
    actor: Actor, step_id: int, text: str, on: date | None = None, today: date | None = None
) -> SupervisionRow:
    """The supervisory committee records a concern about a step; it shows until it is answered."""
    return _supervise(actor, step_id, CONCERN, text, on, today)


def answer_concern(
    actor: Actor, supervision_id: int, answer: str, on: date | None = None, today: date | None = None
) -> SupervisionRow:
    """The clerk or the secretary answers a concern; the answer is final."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    on = on or today
    _check_day(on, today, "answered_on")
    text = rules.check_long_text(answer, "answer")
    if not text:
        raise ValidationError(N_("Please enter the answer given."), field="answer")
    with translated_errors(), transaction():
        row = Supervision.get_or_none(Supervision.id == supervision_id)
        if row is None:
            raise NotFound(N_("That concern does not exist."))
        _step(vid, row.step_id)
        rules.concern_actions(actor.role, row.kind, row.answered_on).require(rules.ANSWER_CONCERN)
        if on < row.on:
            raise ValidationError(
                N_("The concern was raised on {date}; it cannot be answered before that."),
                field="answered_on", date=row.on.isoformat(),
            )  # fmt: skip
        before = audit.snapshot(row)
        row.answer, row.answered_on, row.answered_by = text, on, actor.username
        audit.record_update(actor, row, before, action="answer")
    return _supervision_row(row)


# --- attachments ------------------------------------------------------------------------------------------


def add_attachment(actor: Actor, decision_id: int, file_name: str, content: bytes) -> AttachmentRow:
    """A paper of the matter (a plan, a budget, a photo): an image or a PDF, while it is in progress."""
    vid = access.writable_village(actor)
    name, media_type = attachments.checked_file(file_name, content)
    with translated_errors(), transaction():
        decision = _decision(vid, decision_id)
        _allowed(actor, decision, clock.today())[0].require(rules.ADD_ATTACHMENT)
        row = DecisionAttachment(
            decision=decision.id, file_name=name, media_type=media_type, size=len(content),
            sha256=hashlib.sha256(content).hexdigest(), content=content, added_at=clock.now(),
            added_by=actor.username,
        )  # fmt: skip
        audit.record_create(actor, row)
    return _attachment_row(row)


def attachment_content(actor: Actor, attachment_id: int) -> bytes:
    row = DecisionAttachment.get_or_none(DecisionAttachment.id == attachment_id)
    if row is None:
        raise NotFound(N_("That attachment does not exist."))
    _readable_decision(actor, row.decision_id)
    return bytes(row.content)


def delete_attachment(actor: Actor, attachment_id: int) -> None:
    """An attachment added by mistake goes while no step is recorded; after that it is part of the record."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        row = DecisionAttachment.get_or_none(DecisionAttachment.id == attachment_id)
        if row is None:
            raise NotFound(N_("That attachment does not exist."))
        decision = _decision(vid, row.decision_id)
        _allowed(actor, decision, clock.today())[0].require(rules.DELETE_ATTACHMENT)
        audit.record_delete(actor, row)


# --- the dossier (一事一档) -------------------------------------------------------------------------------


def _masked(value: Any, mask: Callable[[str], str]) -> Any:
    """Every text inside a plain dataclass (and its tuples) through `mask`."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, tuple):
        return tuple(_masked(v, mask) for v in value)
    if is_dataclass(value) and not isinstance(value, type) and not isinstance(value, voting.Threshold):
        if isinstance(value, rules.Progress | rules.Alert | rules.StepFact | rules.DecisionFacts | Masking):
            return value
        changes = {f.name: _masked(getattr(value, f.name), mask) for f in fields(value) if f.init}
        return replace(value, **changes)
    return value


@in_document_language
def dossier(actor: Actor, decision_id: int, today: date | None = None) -> DossierDocument:
    """一事一档: the whole record to print, kept on file: every ID-card and phone number masked unless the
    village prints them in full on such papers (its notices, public paper, are masked all the same)."""
    decision = _readable_decision(actor, decision_id)
    today = today or clock.today()
    detail = _detail(actor, decision, today)
    masking = notices.masking(actor, decision.village_id)
    mask: Callable[[str], str] = masking if masking.masks(Audience.ON_FILE) else str
    committee, branch, supervisory = notices.signing_bodies(actor, decision.village_id)
    copies: list[NoticeCopy] = []
    for row in detail.steps:
        if row.superseded or row.notice is None or row.round != detail.round:
            continue
        info = row.notice
        notice = notices.get_notice(actor, info.id)
        objections: tuple[notice_rules.ObjectionFacts, ...] = ()
        result = ""
        if info.period_end is not None:
            outcome = notices.period_result(actor, info.id, today)
            objections = outcome.on_time + outcome.late
            result = outcome.text if outcome.ended else ""
        copies.append(
            NoticeCopy(
                step=row.step, document=notices.document(actor, info.id, today), posted_at=info.posted_at,
                posted_by=info.posted_by, places=info.places, period_start=info.period_start,
                period_end=info.period_end, removed_at=info.removed_at, removed_by=notice.removed_by,
                objections=objections, result_text=result,
            )
        )  # fmt: skip
    return DossierDocument(
        decision=_masked(detail, mask), village=Village.get_by_id(decision.village_id).name,
        committee=committee, party_branch=branch, supervisory=supervisory,
        notices=tuple(_masked(c, mask) for c in copies), sign_date=today, masking=masking,
    )  # fmt: skip


# --- archive ----------------------------------------------------------------------------------------------


def decisions_between(
    actor: Actor, start: date, end: date, village_id: int | None = None
) -> list[DecisionDetail]:
    """Every decision with something recorded between `start` and `end` (both included)."""
    vid = access.readable_village(actor, village_id)
    out = []
    for d in Decision.select().where(Decision.village == vid).order_by(Decision.year, Decision.sequence):
        detail = _detail(actor, d, end)
        days = [detail.opened_on, detail.ended_on, detail.work_ended_on]
        days += [s.date for s in detail.steps] + [s.completed_on for s in detail.steps]
        days += [r.started_on for r in detail.rounds]
        if any(day is not None and start <= day <= end for day in days):
            out.append(detail)
    return out
