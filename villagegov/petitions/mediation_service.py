"""Every 矛盾纠纷调处 operation a user can do. Each write is one transaction with its audit entries.

Who may do what is decided once, in mediation_rules.mediation_actions (the room's buttons ask the
same): the clerk and the secretary register disputes and record their sessions, outcome and
follow-up visits; the supervisory committee and township reviewers read. A dispute is corrected and
sat while it is mediated; once its outcome is recorded it is final, and an agreement is followed up.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

import peewee

from villagegov.accounts import rules as access
from villagegov.core import audit, clock
from villagegov.core.actor import Actor
from villagegov.core.db import database, transaction, translated_errors
from villagegov.core.errors import NotFound, ValidationError
from villagegov.core.i18n import N_, in_document_language
from villagegov.petitions import common
from villagegov.petitions import mediation_rules as rules
from villagegov.petitions import rules as figure_rules
from villagegov.petitions.mediation_models import (
    Mediation,
    MediationFollowUp,
    MediationParty,
    MediationSession,
)
from villagegov.petitions.mediation_records import (
    AgreementDocument,
    AgreementParty,
    FollowUpRow,
    MediationDetail,
    MediationFilter,
    MediationRow,
    PartyRow,
    SessionRow,
)
from villagegov.petitions.petition_rules import next_sequence, one_line
from villagegov.petitions.records import FOLLOW_UP_DUE, OVERDUE_MEDIATION, Reminder, Settings
from villagegov.roster.models import Household

# --- reading -----------------------------------------------------------------------------------------


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
    today = common.today_or(today)
    query = Mediation.select().where(Mediation.village == vid)
    if f.year is not None:
        query = query.where(Mediation.year == f.year)
    if f.outcome is not None:
        query = query.where(Mediation.outcome == f.outcome)
    for term in f.text.split():
        in_parties = MediationParty.select(MediationParty.mediation).where(
            common.contains(MediationParty.name, term)
        )
        query = query.where(
            common.contains(Mediation.facts, term)
            | common.contains(Mediation.disputed, term)
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
    v = common.villager(vid, party.villager_id)
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
    today = common.today_or(today)
    with translated_errors(), transaction():
        data = replace(data, parties=tuple(_party_particulars(vid, p) for p in data.parties))
        clean = rules.check_mediation(data, today)
        limits = common.settings_of(vid).limits
        common.number_lock(actor)
        year = clean.received_on.year
        used = Mediation.select(Mediation.sequence).where(
            (Mediation.village == vid) & (Mediation.year == year)
        )
        sequence = next_sequence(s for (s,) in used.tuples())
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


def _sessions(mediation_id: int) -> int:
    return MediationSession.select().where(MediationSession.mediation == mediation_id).count()


def _require(actor: Actor, mediation: Mediation, action: str) -> None:
    """The rules' answer for this dispute and this role (the room's buttons ask the same)."""
    facts = rules.MediationFacts(mediation.number, mediation.outcome, _sessions(mediation.id))
    rules.mediation_actions(actor.role, facts).require(action)


def update_mediation(
    actor: Actor, mediation_id: int, data: rules.MediationInput, today: date | None = None
) -> MediationDetail:
    """Correct a dispute's registration while it is being mediated (each change audited)."""
    vid = access.writable_village(actor)
    today = common.today_or(today)
    with translated_errors(), transaction():
        mediation = _mediation(vid, mediation_id)
        _require(actor, mediation, rules.EDIT)
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
    today = common.today_or(today)
    with translated_errors(), transaction():
        mediation = _mediation(vid, mediation_id)
        _require(actor, mediation, rules.SESSION)
        clean = rules.check_session(data, mediation.received_on, today)
        count = _sessions(mediation.id)
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
    today = common.today_or(today)
    with translated_errors(), transaction():
        mediation = _mediation(vid, mediation_id)
        _require(actor, mediation, rules.OUTCOME)
        last = (
            MediationSession.select(peewee.fn.MAX(MediationSession.held_on))
            .where(MediationSession.mediation == mediation.id)
            .scalar()
        )
        parties = len(_parties(mediation.id))
        clean = rules.check_outcome(data, parties, common.as_date(last), mediation.received_on, today)
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
    today = common.today_or(today)
    with translated_errors(), transaction():
        mediation = _mediation(vid, mediation_id)
        _require(actor, mediation, rules.FOLLOW_UP)
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


# --- what is due, and the period's figures -------------------------------------------------------------


def overdue_count(actor: Actor, today: date | None = None) -> int:
    """Disputes still being mediated past their month (an indexed count, for the main window)."""
    vid = access.readable_village(actor, None)
    today = common.today_or(today)
    with translated_errors():
        return (
            Mediation.select()
            .where((Mediation.village == vid) & (Mediation.outcome == "") & (Mediation.due_on < today))
            .count()
        )


def reminders(actor: Actor, today: date | None = None) -> list[Reminder]:
    """Disputes past their month, then agreements whose performance fell due without a visit since."""
    vid = access.readable_village(actor, None)
    today = common.today_or(today)
    found: list[Reminder] = []
    late = (
        Mediation.select(Mediation.id, Mediation.number, Mediation.disputed, Mediation.due_on)
        .where((Mediation.village == vid) & (Mediation.outcome == "") & (Mediation.due_on < today))
        .order_by(Mediation.due_on)
    )
    for m in late:
        found.append(Reminder(OVERDUE_MEDIATION, m.id, m.number, one_line(m.disputed, 30), "", m.due_on))
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
            mid: common.as_date(last)
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
            found.append(Reminder(FOLLOW_UP_DUE, m.id, m.number, one_line(m.disputed, 30), "", m.perform_by))
    return found


def figure_facts(
    actor: Actor, start: date, end: date, village_id: int | None = None
) -> list[figure_rules.MediationFact]:
    """What the period's figures count of the disputes: each registered or concluded in it."""
    vid = access.readable_village(actor, village_id)
    common.check_period(start, end)
    with translated_errors():
        return [
            figure_rules.MediationFact(common.as_date(received), common.as_date(concluded), outcome)
            for received, concluded, outcome in database.execute(
                Mediation.select(Mediation.received_on, Mediation.concluded_on, Mediation.outcome).where(
                    (Mediation.village == vid)
                    & (Mediation.received_on.between(start, end) | Mediation.concluded_on.between(start, end))
                )
            )
        ]


# --- the agreement on paper ----------------------------------------------------------------------------

GENDER_WORDS = {"male": "男", "female": "女"}
PARTY_LABELS = "甲乙丙丁戊己庚辛壬癸"


def party_label(position: int) -> str:
    """甲方, 乙方, … (then 第11方 for the eleventh and after)."""
    if position <= len(PARTY_LABELS):
        return f"{PARTY_LABELS[position - 1]}方"
    return f"第{position}方"


def _mediation_committee(vid: int, settings: Settings) -> str:
    return settings.committee_name or f"{common.village_name(vid)}人民调解委员会"


@in_document_language
def agreement_document(actor: Actor, mediation_id: int) -> AgreementDocument:
    """调解协议书: parties' particulars (numbers masked), facts, what is disputed and each party's
    responsibility, what was agreed and how and by when it is performed; one copy a party and one
    for the committee (人民调解法 Art. 29)."""
    m = _readable_mediation(actor, mediation_id)
    _require(actor, m, rules.PRINT_AGREEMENT)
    settings_ = common.settings_of(m.village_id)
    masking = common.masking(actor, m.village_id)
    _mask = common.masker(masking)
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
        mediation_id=m.id, village=common.village_name(m.village_id),
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
