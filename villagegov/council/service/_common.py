"""What the council service's modules share: finding rows, the term and its seats, the rules in force,
and the rules' allowed actions for a meeting or an agenda item."""

from __future__ import annotations

from datetime import date, datetime

import peewee

from villagegov.accounts import rules as access
from villagegov.core import clock
from villagegov.core.actor import Actor
from villagegov.core.db import database, is_postgres
from villagegov.core.errors import NotFound
from villagegov.core.i18n import N_
from villagegov.council import rules
from villagegov.council.models import (
    AgendaItem,
    Attendance,
    Council,
    CouncilMember,
    CouncilRules,
    Meeting,
    Minutes,
    Recusal,
    Vote,
)
from villagegov.council.records import CouncilRow, MemberRow, RulesRow
from villagegov.roster.models import Household, Villager, VillagerGroup


def _now(now: datetime | None) -> datetime:
    return now or clock.now()


def _lock_numbers(actor: Actor) -> None:
    """Two clerks numbering at once must not take the same number (same lock as the audit chain)."""
    if is_postgres():
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (actor.audit_chain,))


def _council(vid: int, council_id: int) -> Council:
    row = Council.get_or_none((Council.id == council_id) & (Council.village == vid))
    if row is None:
        raise NotFound(N_("That council does not exist."))
    return row


def _meeting(vid: int, meeting_id: int) -> Meeting:
    row = (
        Meeting.select(Meeting, Council)
        .join(Council)
        .where((Meeting.id == meeting_id) & (Council.village == vid))
        .first()
    )
    if row is None:
        raise NotFound(N_("That meeting does not exist."))
    return row


def _readable_meeting(actor: Actor, meeting_id: int) -> Meeting:
    row = Meeting.select(Meeting, Council).join(Council).where(Meeting.id == meeting_id).first()
    if row is None:
        raise NotFound(N_("That meeting does not exist."))
    access.readable_village(actor, row.council.village_id)
    return row


def _item(vid: int, item_id: int) -> AgendaItem:
    row = AgendaItem.get_or_none(AgendaItem.id == item_id)
    if row is None:
        raise NotFound(N_("That agenda item does not exist."))
    _meeting(vid, row.meeting_id)
    return row


def _term(council: Council) -> rules.Term:
    return rules.Term(council.term_start, council.term_end, council.name)


def _label(meeting: Meeting) -> str:
    return rules.meeting_label(meeting.number)


def _council_row(c: Council) -> CouncilRow:
    return CouncilRow(c.id, c.name, c.term_start, c.term_end)


def _member_query() -> peewee.ModelSelect:
    return (
        CouncilMember.select(CouncilMember, Villager, Household, VillagerGroup)
        .join(Villager)
        .join(Household)
        .join(VillagerGroup)
    )


def _member_row(m: CouncilMember, attended: bool = False) -> MemberRow:
    v = m.villager
    return MemberRow(
        m.id, m.council_id, v.id, v.name, v.gender, v.household.group.name, v.phone, m.role, m.joined_on,
        m.left_on, attended,
    )  # fmt: skip


def _attended(seat_ids: list[int]) -> set[int]:
    """The seats whose attendance is on record at some meeting."""
    query = Attendance.select(Attendance.member).where(Attendance.member.in_(seat_ids)).distinct()
    return {m for (m,) in query.tuples()}


def _seats(council_id: int) -> list[rules.Membership]:
    query = (
        CouncilMember.select(CouncilMember, Villager.id, Villager.name)
        .join(Villager)
        .where(CouncilMember.council == council_id)
        .order_by(CouncilMember.id)
    )
    return [
        rules.Membership(m.villager_id, m.role, m.joined_on, m.left_on, m.villager.name, m.id) for m in query
    ]


def _rules_row(r: CouncilRules) -> RulesRow:
    return RulesRow(
        r.id, r.council_id, r.effective_from, rules.threshold(r.quorum_num, r.quorum_den, r.quorum_strict),
        rules.threshold(r.pass_num, r.pass_den, r.pass_strict),
        rules.threshold(r.two_thirds_num, r.two_thirds_den, r.two_thirds_strict), r.set_at, r.set_by,
    )  # fmt: skip


def _versions(council_id: int) -> list[RulesRow]:
    query = (
        CouncilRules.select().where(CouncilRules.council == council_id).order_by(CouncilRules.effective_from)
    )
    return [_rules_row(r) for r in query]


def _rules_on(council_id: int, day: date) -> RulesRow:
    versions = _versions(council_id)
    version = rules.rules_in_force((v.version() for v in versions), day)
    return next(v for v in versions if v.effective_from == version.effective_from)


def _expected_seats(meeting: Meeting) -> list[rules.Membership]:
    return rules.members_on(_seats(meeting.council_id), meeting.date)


def _attendance(meeting_id: int) -> list[Attendance]:
    return list(Attendance.select().where(Attendance.meeting == meeting_id))


def _present_names(meeting: Meeting) -> dict[int, str]:
    """Member (seat) id → name of the members present."""
    query = (
        Attendance.select(Attendance.member, Villager.name)
        .join(CouncilMember)
        .join(Villager)
        .where((Attendance.meeting == meeting.id) & (Attendance.status == rules.PRESENT))
        .tuples()
    )
    return dict(query)


def _recused_ids(item_id: int) -> set[int]:
    return {m for (m,) in Recusal.select(Recusal.member).where(Recusal.item == item_id).tuples()}


def _villager(vid: int, villager_id: int) -> Villager:
    row = Villager.get_or_none((Villager.id == villager_id) & (Villager.village == vid))
    if row is None:
        raise NotFound(N_("That villager does not exist."))
    return row


def _person(vid: int, person: rules.Person) -> rules.Person:
    """A person from the roster takes the roster's name unless a name is typed in."""
    if person.villager_id is None:
        return person
    villager = _villager(vid, person.villager_id)
    return rules.Person(person.name or villager.name, villager.id)


def _ordered_items(meeting_id: int) -> list[AgendaItem]:
    query = AgendaItem.select().where(AgendaItem.meeting == meeting_id)
    return list(query.order_by(AgendaItem.sort_order, AgendaItem.id))


def _minutes_row(meeting_id: int, item_id: int | None) -> Minutes | None:
    condition = Minutes.item.is_null() if item_id is None else (Minutes.item == item_id)
    return Minutes.get_or_none((Minutes.meeting == meeting_id) & condition)


def _vote_row_exists(item_id: int) -> bool:
    return Vote.select().where(Vote.item == item_id).exists()


def _meeting_has_votes(meeting_id: int) -> bool:
    return Vote.select().join(AgendaItem).where(AgendaItem.meeting == meeting_id).exists()
