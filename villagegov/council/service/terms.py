"""The council's terms and the seats its members hold."""

from __future__ import annotations

from datetime import date, datetime

from villagegov.accounts import rules as access
from villagegov.core import audit
from villagegov.core.actor import Actor
from villagegov.core.db import transaction, translated_errors
from villagegov.core.errors import NotFound, ValidationError
from villagegov.core.i18n import N_
from villagegov.council import rules
from villagegov.council.models import Attendance, Council, CouncilMember, CouncilRules, Meeting
from villagegov.council.records import CouncilRow, MemberRow
from villagegov.council.service._common import (
    _attended,
    _council,
    _council_row,
    _label,
    _member_query,
    _member_row,
    _now,
    _seats,
    _term,
    _villager,
)
from villagegov.roster.models import Village

# --- the council -------------------------------------------------------------------------------------------


def _other_terms(vid: int, except_id: int | None = None) -> list[rules.Term]:
    query = Council.select().where(Council.village == vid)
    if except_id is not None:
        query = query.where(Council.id != except_id)
    return [_term(c) for c in query]


def _rules_values(version: rules.RulesVersion) -> dict[str, object]:
    q, p, t = version.quorum, version.pass_threshold, version.two_thirds
    return {
        "effective_from": version.effective_from,
        "quorum_num": q.fraction.numerator, "quorum_den": q.fraction.denominator, "quorum_strict": q.strict,
        "pass_num": p.fraction.numerator, "pass_den": p.fraction.denominator, "pass_strict": p.strict,
        "two_thirds_num": t.fraction.numerator, "two_thirds_den": t.fraction.denominator,
        "two_thirds_strict": t.strict,
    }  # fmt: skip


def create_council(
    actor: Actor, term_start: date, term_end: date, name: str = "", now: datetime | None = None
) -> CouncilRow:
    """A council for one term, with the default rules of procedure (DOMAIN.md) from its first day."""
    vid = access.writable_village(actor)
    rules.room_actions(actor.role, has_council=False).require(rules.NEW_TERM)
    rules.check_term(term_start, term_end)
    at = _now(now)
    with translated_errors(), transaction():
        village = Village.get_by_id(vid)
        clean_name = rules.check_text(name, "name", N_("the council's name"), required=False) or (
            f"{village.name}村民议事会"
        )
        rules.check_no_overlap(term_start, term_end, _other_terms(vid))
        council = Council(
            village=vid, name=clean_name, term_start=term_start, term_end=term_end, created_at=at,
            created_by=actor.username,
        )  # fmt: skip
        audit.record_create(actor, council)
        defaults = rules.RulesVersion(term_start)
        audit.record_create(
            actor,
            CouncilRules(council=council.id, set_at=at, set_by=actor.username, **_rules_values(defaults)),
        )
    return _council_row(council)


def update_council(actor: Actor, council_id: int, name: str, term_start: date, term_end: date) -> CouncilRow:
    """Rename the council or correct its term; every seat, meeting and rules version must stay inside it."""
    vid = access.writable_village(actor)
    rules.check_term(term_start, term_end)
    clean_name = rules.check_text(name, "name", N_("the council's name"))
    with translated_errors(), transaction():
        council = _council(vid, council_id)
        rules.room_actions(actor.role, has_council=True).require(rules.EDIT_TERM)
        rules.check_no_overlap(term_start, term_end, _other_terms(vid, except_id=council.id))
        term = rules.Term(term_start, term_end, clean_name)
        seats = _seats(council.id)
        for seat in seats:
            rules.check_membership(seat, term, [])
        outside = (
            Meeting.select()
            .where(
                (Meeting.council == council.id) & ((Meeting.date < term_start) | (Meeting.date > term_end))
            )
            .first()
        )
        if outside is not None:
            raise ValidationError(
                N_("{meeting} on {date} would fall outside the term."), field="term_start",
                meeting=_label(outside), date=outside.date.isoformat(),
            )  # fmt: skip
        versions = list(
            CouncilRules.select()
            .where(CouncilRules.council == council.id)
            .order_by(CouncilRules.effective_from)
        )
        if versions and versions[-1].effective_from > term_end:
            raise ValidationError(
                N_("Rules of procedure take effect on {date}, after the term would end."), field="term_end",
                date=versions[-1].effective_from.isoformat(),
            )  # fmt: skip
        if versions and versions[0].effective_from > term_start:
            # An earlier first day: the first rules apply from it (no meeting can precede them).
            first = versions[0]
            before = audit.snapshot(first)
            first.effective_from = term_start
            audit.record_update(actor, first, before)
        before = audit.snapshot(council)
        council.name, council.term_start, council.term_end = clean_name, term_start, term_end
        audit.record_update(actor, council, before)
    return _council_row(council)


def list_councils(actor: Actor, village_id: int | None = None) -> list[CouncilRow]:
    """Every term of the village's council, the latest first."""
    vid = access.readable_village(actor, village_id)
    query = Council.select().where(Council.village == vid).order_by(Council.term_start.desc())
    return [_council_row(c) for c in query]


def council_on(actor: Actor, day: date, village_id: int | None = None) -> CouncilRow | None:
    """The council whose term includes `day`, if any."""
    vid = access.readable_village(actor, village_id)
    row = (
        Council.select()
        .where((Council.village == vid) & (Council.term_start <= day) & (Council.term_end >= day))
        .first()
    )
    return _council_row(row) if row else None


def get_council(actor: Actor, council_id: int) -> CouncilRow:
    row = Council.get_or_none(Council.id == council_id)
    if row is None:
        raise NotFound(N_("That council does not exist."))
    access.readable_village(actor, row.village_id)
    return _council_row(row)


# --- members -----------------------------------------------------------------------------------------------


def _check_seat_against_meetings(
    council_id: int, seat_id: int | None, joined: date, left: date | None
) -> None:
    """A meeting whose attendance is recorded keeps the members of its day: a seat change may not add
    anyone to it or take anyone away."""
    attended = set()
    if seat_id is not None:
        attended = {
            m for (m,) in Attendance.select(Attendance.meeting).where(Attendance.member == seat_id).tuples()
        }
    recorded = Meeting.select().where((Meeting.council == council_id) & (Meeting.state != rules.PLANNED))
    for meeting in recorded.order_by(Meeting.date):
        if rules.is_member_on(joined, left, meeting.date) != (meeting.id in attended):
            raise ValidationError(
                N_(
                    "The attendance of {meeting} on {date} is recorded with the members of that day; this "
                    "change would alter it."
                ),
                field="joined_on", meeting=_label(meeting), date=meeting.date.isoformat(),
            )  # fmt: skip


def _seat(vid: int, member_id: int) -> CouncilMember:
    row = CouncilMember.get_or_none(CouncilMember.id == member_id)
    if row is None:
        raise NotFound(N_("That council member does not exist."))
    _council(vid, row.council_id)
    return row


def _member(member_id: int) -> MemberRow:
    row = _member_query().where(CouncilMember.id == member_id).get()
    return _member_row(row, bool(_attended([member_id])))


def _require_seat(actor: Actor, row: CouncilMember, action: str) -> None:
    rules.seat_actions(actor.role, bool(_attended([row.id]))).require(action)


def add_member(
    actor: Actor, council_id: int, villager_id: int, role: str, joined_on: date, left_on: date | None = None
) -> MemberRow:
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        council = _council(vid, council_id)
        rules.room_actions(actor.role, has_council=True).require(rules.ADD_MEMBER)
        villager = _villager(vid, villager_id)
        seat = rules.Membership(villager.id, role, joined_on, left_on, villager.name)
        rules.check_membership(seat, _term(council), _seats(council.id))
        _check_seat_against_meetings(council.id, None, joined_on, left_on)
        row = CouncilMember(council=council.id, villager=villager.id, role=role, joined_on=joined_on,
                            left_on=left_on)  # fmt: skip
        audit.record_create(actor, row)
    return _member(row.id)


def update_member(
    actor: Actor, member_id: int, role: str, joined_on: date, left_on: date | None = None
) -> MemberRow:
    """Correct a seat's role or dates (a leaving date ends it)."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        row = _seat(vid, member_id)
        _require_seat(actor, row, rules.EDIT_SEAT)
        council = Council.get_by_id(row.council_id)
        seat = rules.Membership(row.villager_id, role, joined_on, left_on, "", row.id)
        rules.check_membership(seat, _term(council), _seats(council.id))
        _check_seat_against_meetings(council.id, row.id, joined_on, left_on)
        if role != row.role and Attendance.select().where(Attendance.member == row.id).exists():
            raise ValidationError(
                N_("This seat has attended meetings in its role; end it and give a new seat the new role."),
                field="role",
            )
        before = audit.snapshot(row)
        row.role, row.joined_on, row.left_on = role, joined_on, left_on
        audit.record_update(actor, row, before)
    return _member(row.id)


def change_role(actor: Actor, member_id: int, role: str, from_day: date) -> MemberRow:
    """A member takes another role from `from_day`: the old seat ends that day and a new one begins."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        row = _seat(vid, member_id)
        _require_seat(actor, row, rules.CHANGE_ROLE)
        if role == row.role:
            raise ValidationError(N_("The member already has that role."), field="role")
        council = Council.get_by_id(row.council_id)
        if not rules.is_member_on(row.joined_on, row.left_on, from_day) or from_day == row.joined_on:
            raise ValidationError(
                N_("The new role starts within the seat, after its first day."), field="joined_on"
            )
        old_left = row.left_on
        # Meetings already recorded keep the members (and roles) of their day.
        _check_seat_against_meetings(council.id, row.id, row.joined_on, from_day)
        _check_seat_against_meetings(council.id, None, from_day, old_left)
        before = audit.snapshot(row)
        row.left_on = from_day
        audit.record_update(actor, row, before, action="change_role")
        seat = rules.Membership(row.villager_id, role, from_day, old_left, "")
        rules.check_membership(seat, _term(council), _seats(council.id))
        new = CouncilMember(council=council.id, villager=row.villager_id, role=role, joined_on=from_day,
                            left_on=old_left)  # fmt: skip
        audit.record_create(actor, new, action="change_role")
    return _member(new.id)


def remove_member(actor: Actor, member_id: int) -> None:
    """Remove a seat entered by mistake; a seat with recorded attendance ends with a leaving date instead."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        row = _seat(vid, member_id)
        _require_seat(actor, row, rules.REMOVE_SEAT)
        audit.record_delete(actor, row)


def list_members(actor: Actor, council_id: int, on: date | None = None) -> list[MemberRow]:
    """The council's seats (those held on `on`, if given): chair first, then vice-chairs, then members."""
    council = get_council(actor, council_id)
    seats = list(_member_query().where(CouncilMember.council == council.id))
    attended = _attended([m.id for m in seats])
    rows = [_member_row(m, m.id in attended) for m in seats]
    if on is not None:
        rows = [r for r in rows if rules.is_member_on(r.joined_on, r.left_on, on)]
    return sorted(rows, key=lambda r: (rules.role_order(r.role), r.joined_on, r.id))
