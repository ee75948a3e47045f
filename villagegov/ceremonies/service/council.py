"""The ceremony council (红白理事会): its terms and the members' seats on them."""

from __future__ import annotations

from datetime import date, datetime

import peewee

from villagegov.accounts import rules as access
from villagegov.ceremonies import rules
from villagegov.ceremonies.models import (
    CeremonyAdvice,
    CeremonyCouncil,
    CeremonyCouncilMember,
    FollowUp,
    Supervision,
)
from villagegov.ceremonies.records import CouncilRow, MemberRow
from villagegov.ceremonies.service._base import _date, _now
from villagegov.core import audit
from villagegov.core.actions import Allowed
from villagegov.core.actor import Actor
from villagegov.core.db import transaction, translated_errors
from villagegov.core.errors import NotFound, ValidationError
from villagegov.core.i18n import N_
from villagegov.roster.models import Household, Village, Villager, VillagerGroup


def _council_row(c: CeremonyCouncil) -> CouncilRow:
    return CouncilRow(c.id, c.name, c.term_start, c.term_end)


def _council(vid: int, council_id: int) -> CeremonyCouncil:
    row = CeremonyCouncil.get_or_none((CeremonyCouncil.id == council_id) & (CeremonyCouncil.village == vid))
    if row is None:
        raise NotFound(N_("That ceremony council does not exist."))
    return row


def _check_no_overlap(vid: int, start: date, end: date, except_id: int | None = None) -> None:
    query = CeremonyCouncil.select().where(CeremonyCouncil.village == vid)
    if except_id is not None:
        query = query.where(CeremonyCouncil.id != except_id)
    for other in query:
        if rules.terms_overlap(start, end, other.term_start, other.term_end):
            raise ValidationError(
                N_("The term {start} to {end} overlaps the term of {other} ({other_start} to {other_end})."),
                field="term_start",
                start=start.isoformat(),
                end=end.isoformat(),
                other=other.name,
                other_start=other.term_start.isoformat(),
                other_end=other.term_end.isoformat(),
            )


def create_council(
    actor: Actor, term_start: date, term_end: date, name: str = "", now: datetime | None = None
) -> CouncilRow:
    """The ceremony council for one term (a village has one at a time)."""
    vid = access.writable_village(actor)
    rules.room_actions(actor.role).require(rules.NEW_TERM)
    rules.check_term(term_start, term_end)
    with translated_errors(), transaction():
        village = Village.get_by_id(vid)
        clean = rules.check_text(name, "name", N_("the council's name"), False, rules.MAX_NAME)
        _check_no_overlap(vid, term_start, term_end)
        row = CeremonyCouncil(
            village=vid,
            name=clean or f"{village.name}红白理事会",
            term_start=term_start,
            term_end=term_end,
            created_at=_now(now),
            created_by=actor.username,
        )
        audit.record_create(actor, row)
    return _council_row(row)


def update_council(actor: Actor, council_id: int, name: str, term_start: date, term_end: date) -> CouncilRow:
    """Rename the council or correct its term; every seat must stay inside the term."""
    vid = access.writable_village(actor)
    rules.check_term(term_start, term_end)
    clean = rules.check_text(name, "name", N_("the council's name"), True, rules.MAX_NAME)
    with translated_errors(), transaction():
        row = _council(vid, council_id)
        _check_no_overlap(vid, term_start, term_end, row.id)
        for seat in CeremonyCouncilMember.select().where(CeremonyCouncilMember.council == row.id):
            _check_seat_in_term(seat.joined_on, seat.left_on, term_start, term_end)
        before = audit.snapshot(row)
        row.name, row.term_start, row.term_end = clean, term_start, term_end
        audit.record_update(actor, row, before)
    return _council_row(row)


def list_councils(actor: Actor, village_id: int | None = None) -> list[CouncilRow]:
    """Every term of the ceremony council, the latest first."""
    vid = access.readable_village(actor, village_id)
    query = (
        CeremonyCouncil.select()
        .where(CeremonyCouncil.village == vid)
        .order_by(CeremonyCouncil.term_start.desc())
    )
    return [_council_row(c) for c in query]


def _check_seat_in_term(joined: date, left: date | None, start: date, end: date) -> None:
    if not start <= joined <= end:
        raise ValidationError(
            N_("The joining date {date} is outside the council's term ({start} to {end})."),
            field="joined_on",
            date=joined.isoformat(),
            start=start.isoformat(),
            end=end.isoformat(),
        )
    if left is not None and not joined < left:
        raise ValidationError(
            N_("The leaving date {left} is not after the joining date {joined}."),
            field="left_on",
            left=left.isoformat(),
            joined=joined.isoformat(),
        )


def _member_query() -> peewee.ModelSelect:
    return (
        CeremonyCouncilMember.select(CeremonyCouncilMember, Villager, Household, VillagerGroup)
        .join(Villager)
        .join(Household)
        .join(VillagerGroup)
    )


def _member_row(m: CeremonyCouncilMember, on_record: bool = False) -> MemberRow:
    v = m.villager
    return MemberRow(
        m.id, m.council_id, v.id, v.name, v.gender, v.household.group.name, m.role, m.joined_on, m.left_on,
        on_record,
    )  # fmt: skip


def _with_work(member_ids: list[int]) -> set[int]:
    """The seats whose work is on record: advice given, a day supervised, a family visited."""
    found: set[int] = set()
    if member_ids:
        for model in (CeremonyAdvice, Supervision, FollowUp):
            query = model.select(model.member).where(model.member.in_(member_ids)).distinct()
            found |= {m for (m,) in query.tuples()}
    return found


def _one(member_id: int) -> MemberRow:
    row = _member_query().where(CeremonyCouncilMember.id == member_id).get()
    return _member_row(row, bool(_with_work([member_id])))


def _seat(vid: int, member_id: int) -> CeremonyCouncilMember:
    row = CeremonyCouncilMember.get_or_none(CeremonyCouncilMember.id == member_id)
    if row is None:
        raise NotFound(N_("That council member does not exist."))
    _council(vid, row.council_id)
    return row


def _seats_overlap(a_join: date, a_left: date | None, b_join: date, b_left: date | None) -> bool:
    far = date.max
    return a_join < (b_left or far) and b_join < (a_left or far)


def _check_seat(
    council: CeremonyCouncil,
    villager: Villager,
    role: str,
    joined: date,
    left: date | None,
    except_id: int | None = None,
) -> None:
    """Inside the term; one seat at a time for a villager; one chair at a time."""
    rules.check_role(role)
    _check_seat_in_term(joined, left, council.term_start, council.term_end)
    others = CeremonyCouncilMember.select().where(CeremonyCouncilMember.council == council.id)
    if except_id is not None:
        others = others.where(CeremonyCouncilMember.id != except_id)
    for other in others:
        if not _seats_overlap(joined, left, other.joined_on, other.left_on):
            continue
        if other.villager_id == villager.id:
            raise ValidationError(
                N_("{name} already has a seat on the council from {date}."),
                field="villager",
                name=villager.name,
                date=other.joined_on.isoformat(),
            )
        if role == rules.CHAIR and other.role == rules.CHAIR:
            raise ValidationError(
                N_("The council already has a chair from {date}; end that seat first."),
                field="role",
                date=other.joined_on.isoformat(),
            )


def add_member(
    actor: Actor, council_id: int, villager_id: int, role: str, joined_on: date, left_on: date | None = None
) -> MemberRow:
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        council = _council(vid, council_id)
        rules.council_actions(actor.role, has_council=True).require(rules.ADD_MEMBER)
        villager = Villager.get_or_none((Villager.id == villager_id) & (Villager.village == vid))
        if villager is None:
            raise NotFound(N_("That villager does not exist."))
        _check_seat(council, villager, role, joined_on, left_on)
        row = CeremonyCouncilMember(
            council=council.id, villager=villager.id, role=role, joined_on=joined_on, left_on=left_on
        )
        audit.record_create(actor, row)
    return _one(row.id)


def _duties(member_id: int) -> list[date]:
    """The days a member was on duty: supervisions and follow-ups on record."""
    days = [
        s
        for (s,) in Supervision.select(Supervision.supervised_on)
        .where(Supervision.member == member_id)
        .tuples()
    ]
    days += [v for (v,) in FollowUp.select(FollowUp.visited_on).where(FollowUp.member == member_id).tuples()]
    return [_date(d) for d in days if d is not None]  # type: ignore[misc]


def end_membership(actor: Actor, member_id: int, left_on: date) -> MemberRow:
    """A member leaves the council: `left_on` is the first day without the seat."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        row = _seat(vid, member_id)
        _member_actions(actor, row.id).require(rules.MEMBER_LEAVES)
        council = CeremonyCouncil.get_by_id(row.council_id)
        _check_seat(council, row.villager, row.role, row.joined_on, left_on, row.id)
        late = [d for d in _duties(row.id) if d >= left_on]
        if late:
            raise ValidationError(
                N_("This member was on duty on {date}; the seat cannot end before that."),
                field="left_on",
                date=max(late).isoformat(),
            )
        before = audit.snapshot(row)
        row.left_on = left_on
        audit.record_update(actor, row, before, action="end_membership")
    return _one(row.id)


def _member_actions(actor: Actor, member_id: int) -> Allowed:
    return rules.member_actions(actor.role, rules.MemberState(on_record=bool(_with_work([member_id]))))


def remove_member(actor: Actor, member_id: int) -> None:
    """Remove a seat entered by mistake; a member who has been on duty ends the seat instead."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        row = _seat(vid, member_id)
        _member_actions(actor, row.id).require(rules.REMOVE_MEMBER)
        audit.record_delete(actor, row)


def list_members(
    actor: Actor, council_id: int | None = None, on: date | None = None, village_id: int | None = None
) -> list[MemberRow]:
    """The seats (of one council, or every term's), those held on `on` if given: chair first."""
    vid = access.readable_village(actor, village_id)
    query = _member_query().switch(CeremonyCouncilMember).join(CeremonyCouncil)
    query = query.where(CeremonyCouncil.village == vid)
    if council_id is not None:
        query = query.where(CeremonyCouncilMember.council == council_id)
    seats = list(query)
    work = _with_work([m.id for m in seats])
    rows = [_member_row(m, m.id in work) for m in seats]
    if on is not None:
        rows = [r for r in rows if rules.is_member_on(r.joined_on, r.left_on, on)]
        terms = {c.id: c for c in list_councils(actor, vid)}
        rows = [r for r in rows if terms[r.council_id].term_start <= on <= terms[r.council_id].term_end]
    return sorted(rows, key=lambda r: (rules.ROLES.index(r.role), r.joined_on, r.id))


def _on_duty(vid: int, member_id: int, day: date) -> CeremonyCouncilMember:
    """A member seated on `day` (supervision and follow-up are the council's work)."""
    row = _seat(vid, member_id)
    council = CeremonyCouncil.get_by_id(row.council_id)
    seated = (
        rules.is_member_on(row.joined_on, row.left_on, day) and council.term_start <= day <= council.term_end
    )
    if not seated:
        raise ValidationError(
            N_("{name} is not on the ceremony council on {date}."),
            field="member",
            name=row.villager.name,
            date=day.isoformat(),
        )
    return row


def _member_name(member_id: int | None) -> str:
    if member_id is None:
        return ""
    return (
        Villager.select(Villager.name)
        .join(CeremonyCouncilMember, on=(CeremonyCouncilMember.villager == Villager.id))
        .where(CeremonyCouncilMember.id == member_id)
        .scalar()
        or ""
    )
