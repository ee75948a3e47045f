"""Every 红白理事会 operation a user can do. Each write is one transaction with its audit entries.

Who may do what (accounts.rules): the clerk (and the secretary) keeps the ceremony council's members
and the ceremonies through their stages; only the secretary sets a version of the village's standard
(the caps the villagers' representatives adopted); the supervisory committee and township reviewers
read.

A ceremony is judged by the standard in force on its day. A version may therefore not take effect on or
before the day of a ceremony already held (its figures seen on the day were judged by the version
then in force, and stay judged so). Plans are versioned: the family's first plan is never overwritten,
so the year's savings are counted against it. The figures seen on the day are corrected by a new
version with a reason; the first stays.

Reading functions return plain data, never models; `report_document`, `commitment_document`,
`follow_up_document` and `summary_document` return what the PDF layouts print, masked for paper.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import peewee

from villagegov.accounts import rules as access
from villagegov.ceremonies import rules
from villagegov.ceremonies.models import (
    Ceremony,
    CeremonyAdvice,
    CeremonyCaps,
    CeremonyCouncil,
    CeremonyCouncilMember,
    CeremonyFigures,
    CeremonyStandard,
    CommitmentLetter,
    FollowUp,
    Supervision,
)
from villagegov.ceremonies.rules import Breach, Deviation, Figures, FiguresInput, Standard
from villagegov.core import audit, clock
from villagegov.core.actor import Actor
from villagegov.core.charts import BarChart
from villagegov.core.db import database, is_postgres, transaction, translated_errors
from villagegov.core.errors import NotFound, ValidationError
from villagegov.core.i18n import N_, _, document_date, format_money, in_document_language, ngettext
from villagegov.core.privacy import DEFAULT_MASKING, Audience, Masking, normalise_phone
from villagegov.roster.models import Household, Village, Villager, VillagerGroup
from villagegov.roster.rules import HEAD

# --- plain data -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CouncilRow:
    id: int
    name: str
    term_start: date
    term_end: date


@dataclass(frozen=True)
class MemberRow:
    id: int
    council_id: int
    villager_id: int
    name: str
    gender: str
    group: str
    role: str
    joined_on: date
    left_on: date | None


@dataclass(frozen=True)
class StandardVersion:
    id: int
    standard: Standard
    set_at: datetime
    set_by: str
    ceremonies: int  # ceremonies (not cancelled) whose day falls in its span
    held: int  # of those, held: judged on the figures seen, so the version no longer changes


@dataclass(frozen=True)
class FiguresRow:
    id: int
    stage: str  # plan / actual
    version: int
    figures: Figures
    reason: str
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class AdviceRow:
    id: int
    advised_on: date
    member: str  # the council member who gave it, or ""
    text: str
    plan_version: int | None  # the revised plan the family accepted with it


@dataclass(frozen=True)
class CommitmentRow:
    signer: str
    signed_on: date
    plan_version: int


@dataclass(frozen=True)
class SupervisionRow:
    member_id: int
    member: str
    supervised_on: date
    notes: str


@dataclass(frozen=True)
class FollowUpRow:
    member_id: int
    member: str
    visited_on: date
    actual_spending_fen: int
    satisfaction: str
    remarks: str


@dataclass(frozen=True)
class CeremonyRow:
    id: int
    number: str
    kind: str
    occasion: str
    celebrant_age: int | None
    household_id: int
    household_number: str
    group: str
    head_name: str
    day: date
    place: str
    stage: str
    # Over the caps: the figures seen on the day once held, else the plan as it stands.
    breaches: tuple[Breach, ...]
    late: rules.LateReport | None = None  # reported fewer days ahead than the standard asks

    @property
    def what(self) -> str:
        return rules.what_label(self.kind, self.occasion, self.celebrant_age)


@dataclass(frozen=True)
class CeremonyDetail:
    """A ceremony as the clerk's screen shows it: everything, unmasked, judged."""

    id: int
    village_id: int
    number: str
    year: int
    household_id: int
    household_number: str
    group: str
    head_name: str
    host: str
    contact_phone: str
    kind: str
    occasion: str
    celebrant_age: int | None
    subject: str
    day: date
    place: str
    reported_on: date
    stage: str
    closed_on: date | None
    cancelled_on: date | None
    cancel_reason: str
    created_at: datetime
    created_by: str
    standard: Standard  # in force on `day`
    plans: tuple[FiguresRow, ...]  # oldest first: plans[0] is the first plan
    actuals: tuple[FiguresRow, ...]  # the figures seen on the day, then their corrections
    advice: tuple[AdviceRow, ...]
    commitment: CommitmentRow | None
    supervision: SupervisionRow | None
    follow_up: FollowUpRow | None
    first_plan_breaches: tuple[Breach, ...]
    plan_breaches: tuple[Breach, ...]
    actual_breaches: tuple[Breach, ...]
    deviations: tuple[Deviation, ...]  # of the day from the plan
    late: rules.LateReport | None  # reported fewer days ahead than the standard asks

    @property
    def what(self) -> str:
        return rules.what_label(self.kind, self.occasion, self.celebrant_age)

    @property
    def first_plan(self) -> Figures:
        return self.plans[0].figures

    @property
    def plan(self) -> Figures:
        return self.plans[-1].figures

    @property
    def actual(self) -> Figures | None:
        return self.actuals[-1].figures if self.actuals else None

    @property
    def ceiling_fen(self) -> int | None:
        return rules.ceiling_fen(self.standard.caps_for(self.kind))

    @property
    def saved_against_first_plan_fen(self) -> int | None:
        first = self.first_plan.spending_fen
        if self.follow_up is None or first is None:
            return None
        return first - self.follow_up.actual_spending_fen

    def report_input(self) -> rules.ReportInput:
        """The report as its form holds it, to edit."""
        return rules.ReportInput(
            household_id=self.household_id,
            kind=self.kind,
            day=self.day,
            place=self.place,
            plan=rules.figures_input(self.plan),
            occasion=self.occasion,
            celebrant_age=self.celebrant_age,
            subject=self.subject,
            host=self.host,
            contact_phone=self.contact_phone,
            reported_on=self.reported_on,
        )


# --- helpers --------------------------------------------------------------------------------------


def _now(now: datetime | None) -> datetime:
    return now or clock.now()


def _date(value: str | date | None) -> date | None:
    """SQLite hands back a DateField read from a plain cursor as text, PostgreSQL as a date."""
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _lock_numbers(actor: Actor) -> None:
    """Two clerks reporting at once must not take the same number (the audit chain's lock)."""
    if is_postgres():
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (actor.audit_chain,))


# --- the ceremony council -------------------------------------------------------------------------


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


def _member_row(m: CeremonyCouncilMember) -> MemberRow:
    v = m.villager
    return MemberRow(
        m.id, m.council_id, v.id, v.name, v.gender, v.household.group.name, m.role, m.joined_on, m.left_on
    )


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
        villager = Villager.get_or_none((Villager.id == villager_id) & (Villager.village == vid))
        if villager is None:
            raise NotFound(N_("That villager does not exist."))
        _check_seat(council, villager, role, joined_on, left_on)
        row = CeremonyCouncilMember(
            council=council.id, villager=villager.id, role=role, joined_on=joined_on, left_on=left_on
        )
        audit.record_create(actor, row)
    return _member_row(_member_query().where(CeremonyCouncilMember.id == row.id).get())


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
    return _member_row(_member_query().where(CeremonyCouncilMember.id == row.id).get())


def remove_member(actor: Actor, member_id: int) -> None:
    """Remove a seat entered by mistake; a member who has been on duty ends the seat instead."""
    vid = access.writable_village(actor)
    with translated_errors(), transaction():
        row = _seat(vid, member_id)
        used = CeremonyAdvice.select().where(CeremonyAdvice.member == row.id).exists()
        if _duties(row.id) or used:
            raise ValidationError(
                N_("This member's work is on record; give a leaving date instead of removing the seat.")
            )
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
    rows = [_member_row(m) for m in query]
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


# --- the village's standard -----------------------------------------------------------------------


def _standard(row: CeremonyStandard, caps: dict[str, CeremonyCaps]) -> Standard:
    def kind_caps(kind: str) -> rules.Caps:
        c = caps.get(kind)
        if c is None:
            return rules.Caps()
        return rules.Caps(
            c.tables, c.cost_per_table_fen, c.gift_per_guest_fen, c.vehicles, c.days, c.bride_price_fen,
            c.report_days,
        )  # fmt: skip

    return Standard(
        effective_from=row.effective_from,
        wedding=kind_caps(rules.WEDDING),
        funeral=kind_caps(rules.FUNERAL),
        other=kind_caps(rules.OTHER),
        cremation_required=row.cremation_required,
        paid_performers_banned=row.paid_performers_banned,
        school_admission_banned=row.school_admission_banned,
        house_moving_banned=row.house_moving_banned,
        birthday_min_age=row.birthday_min_age,
        basis=row.basis,
    )


def _version_rows(vid: int) -> list[tuple[CeremonyStandard, Standard]]:
    rows = list(
        CeremonyStandard.select()
        .where(CeremonyStandard.village == vid)
        .order_by(CeremonyStandard.effective_from)
    )
    caps: dict[int, dict[str, CeremonyCaps]] = {}
    if rows:
        for c in CeremonyCaps.select().where(CeremonyCaps.standard.in_([r.id for r in rows])):
            caps.setdefault(c.standard_id, {})[c.kind] = c
    return [(r, _standard(r, caps.get(r.id, {}))) for r in rows]


def _versions(vid: int) -> list[Standard]:
    return [s for _row, s in _version_rows(vid)]


def list_standards(actor: Actor, village_id: int | None = None) -> list[StandardVersion]:
    """Every version of the village's standard, oldest first, with the ceremonies each one judges."""
    vid = access.readable_village(actor, village_id)
    versions = _version_rows(vid)
    days = [
        (_date(d), s)
        for d, s in Ceremony.select(Ceremony.day, Ceremony.stage)
        .where((Ceremony.village == vid) & (Ceremony.stage != rules.CANCELLED))
        .tuples()
    ]
    out = []
    for index, (row, standard) in enumerate(versions):
        start = row.effective_from
        end = versions[index + 1][0].effective_from if index + 1 < len(versions) else date.max
        mine = [s for d, s in days if d is not None and start <= d < end]
        out.append(
            StandardVersion(
                row.id, standard, row.set_at, row.set_by, len(mine), sum(s in rules.HELD for s in mine)
            )
        )
    return out


def standard_on(actor: Actor, day: date, village_id: int | None = None) -> Standard:
    """The standard in force on `day` (the built-in defaults before the village's first version)."""
    vid = access.readable_village(actor, village_id)
    return rules.standard_on(_versions(vid), day)


def set_standard(actor: Actor, standard: Standard, now: datetime | None = None) -> StandardVersion:
    """The secretary records a version of the standard as the village adopted it, from its date on.

    A version with the same date is replaced. Refused when a ceremony already held would fall under it:
    that ceremony was judged by the version then in force, and stays so.
    """
    vid = access.writable_village(actor, access.APPROVE)
    clean = rules.check_standard(standard)
    start = clean.effective_from
    assert start is not None
    with translated_errors(), transaction():
        versions = _version_rows(vid)
        later = [row.effective_from for row, _s in versions if row.effective_from > start]
        end = min(later) if later else None
        held = Ceremony.select().where(
            (Ceremony.village == vid) & Ceremony.stage.in_(rules.HELD) & (Ceremony.day >= start)
        )
        if end is not None:
            held = held.where(Ceremony.day < end)
        first = held.order_by(Ceremony.day.desc()).first()
        if first is not None:
            raise ValidationError(
                N_(
                    "Ceremony {number}, held on {date}, was judged by the standard then in force; a new "
                    "version can take effect from the day after it."
                ),
                field="effective_from",
                number=first.number,
                date=first.day.isoformat(),
            )
        values = {
            "basis": clean.basis,
            "cremation_required": clean.cremation_required,
            "paid_performers_banned": clean.paid_performers_banned,
            "school_admission_banned": clean.school_admission_banned,
            "house_moving_banned": clean.house_moving_banned,
            "birthday_min_age": clean.birthday_min_age,
            "set_at": _now(now),
            "set_by": actor.username,
        }
        row = CeremonyStandard.get_or_none(
            (CeremonyStandard.village == vid) & (CeremonyStandard.effective_from == start)
        )
        if row is None:
            row = CeremonyStandard(village=vid, effective_from=start, **values)
            audit.record_create(actor, row)
        else:
            before = audit.snapshot(row)
            for key, value in values.items():
                setattr(row, key, value)
            audit.record_update(actor, row, before)
        for kind in rules.KINDS:
            caps = clean.caps_for(kind)
            cap_values = {
                "tables": caps.tables,
                "cost_per_table_fen": caps.cost_per_table_fen,
                "gift_per_guest_fen": caps.gift_per_guest_fen,
                "vehicles": caps.vehicles,
                "days": caps.days,
                "bride_price_fen": caps.bride_price_fen,
                "report_days": caps.report_days,
            }
            cap_row = CeremonyCaps.get_or_none(
                (CeremonyCaps.standard == row.id) & (CeremonyCaps.kind == kind)
            )
            if cap_row is None:
                audit.record_create(actor, CeremonyCaps(standard=row.id, kind=kind, **cap_values))
            else:
                before = audit.snapshot(cap_row)
                for key, value in cap_values.items():
                    setattr(cap_row, key, value)
                audit.record_update(actor, cap_row, before)
    return next(v for v in list_standards(actor) if v.id == row.id)


# --- ceremonies: reading --------------------------------------------------------------------------


def _figures(row: CeremonyFigures) -> Figures:
    return Figures(
        tables=row.tables,
        cost_per_table_fen=row.cost_per_table_fen,
        gift_per_guest_fen=row.gift_per_guest_fen,
        vehicles=row.vehicles,
        days=row.days,
        bride_price_fen=row.bride_price_fen,
        paid_performers=row.paid_performers,
        cremation=row.cremation,
        spending_fen=row.spending_fen,
    )


def _figures_row(row: CeremonyFigures) -> FiguresRow:
    return FiguresRow(
        row.id, row.stage, row.version, _figures(row), row.reason, row.recorded_at, row.recorded_by
    )


def _figure_values(figures: Figures) -> dict[str, object]:
    return {
        "tables": figures.tables,
        "cost_per_table_fen": figures.cost_per_table_fen,
        "gift_per_guest_fen": figures.gift_per_guest_fen,
        "vehicles": figures.vehicles,
        "days": figures.days,
        "bride_price_fen": figures.bride_price_fen,
        "paid_performers": figures.paid_performers,
        "cremation": figures.cremation,
        "spending_fen": figures.spending_fen,
    }


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


def _ceremony(vid: int, ceremony_id: int) -> Ceremony:
    row = Ceremony.get_or_none((Ceremony.id == ceremony_id) & (Ceremony.village == vid))
    if row is None:
        raise NotFound(N_("That ceremony does not exist."))
    return row


def _readable(actor: Actor, ceremony_id: int) -> Ceremony:
    row = Ceremony.get_or_none(Ceremony.id == ceremony_id)
    if row is None:
        raise NotFound(N_("That ceremony does not exist."))
    access.readable_village(actor, row.village_id)
    return row


def _detail(c: Ceremony) -> CeremonyDetail:
    household = (
        Household.select(Household, VillagerGroup)
        .join(VillagerGroup)
        .where(Household.id == c.household_id)
        .get()
    )
    rows = list(
        CeremonyFigures.select().where(CeremonyFigures.ceremony == c.id).order_by(CeremonyFigures.version)
    )
    plans = tuple(_figures_row(r) for r in rows if r.stage == rules.PLAN)
    actuals = tuple(_figures_row(r) for r in rows if r.stage == rules.ACTUAL)
    versions = {r.id: r.version for r in rows}
    advice = tuple(
        AdviceRow(a.id, a.advised_on, _member_name(a.member_id), a.text, versions.get(a.plan_id))
        for a in CeremonyAdvice.select().where(CeremonyAdvice.ceremony == c.id).order_by(CeremonyAdvice.id)
    )
    letter = CommitmentLetter.get_or_none(CommitmentLetter.ceremony == c.id)
    commitment = CommitmentRow(letter.signer, letter.signed_on, versions[letter.plan_id]) if letter else None
    s = Supervision.get_or_none(Supervision.ceremony == c.id)
    supervision = (
        SupervisionRow(s.member_id, _member_name(s.member_id), s.supervised_on, s.notes) if s else None
    )
    f = FollowUp.get_or_none(FollowUp.ceremony == c.id)
    follow_up = (
        FollowUpRow(
            f.member_id,
            _member_name(f.member_id),
            f.visited_on,
            f.actual_spending_fen,
            f.satisfaction,
            f.remarks,
        )
        if f
        else None
    )
    standard = rules.standard_on(_versions(c.village_id), c.day)

    def judge(figures: Figures) -> tuple[Breach, ...]:
        return rules.check(c.kind, figures, standard, c.occasion, c.celebrant_age)

    actual = actuals[-1].figures if actuals else None
    return CeremonyDetail(
        id=c.id,
        village_id=c.village_id,
        number=c.number,
        year=c.year,
        household_id=c.household_id,
        household_number=household.number,
        group=household.group.name,
        head_name=c.head_name,
        host=c.host,
        contact_phone=c.contact_phone,
        kind=c.kind,
        occasion=c.occasion,
        celebrant_age=c.celebrant_age,
        subject=c.subject,
        day=c.day,
        place=c.place,
        reported_on=c.reported_on,
        stage=c.stage,
        closed_on=c.closed_on,
        cancelled_on=c.cancelled_on,
        cancel_reason=c.cancel_reason,
        created_at=c.created_at,
        created_by=c.created_by,
        standard=standard,
        plans=plans,
        actuals=actuals,
        advice=advice,
        commitment=commitment,
        supervision=supervision,
        follow_up=follow_up,
        first_plan_breaches=judge(plans[0].figures),
        plan_breaches=judge(plans[-1].figures),
        actual_breaches=judge(actual) if actual else (),
        deviations=rules.deviations(plans[-1].figures, actual, c.kind) if actual else (),
        late=rules.late_report(standard.caps_for(c.kind), c.day, c.reported_on),
    )


def get_ceremony(actor: Actor, ceremony_id: int) -> CeremonyDetail:
    return _detail(_readable(actor, ceremony_id))


def _latest_figures(ceremony_ids: Sequence[int]) -> dict[tuple[int, str], list[Figures]]:
    """(ceremony, stage) → its figures oldest first, for many ceremonies in one query."""
    found: dict[tuple[int, str], list[Figures]] = {}
    if not ceremony_ids:
        return found
    query = (
        CeremonyFigures.select()
        .where(CeremonyFigures.ceremony.in_(list(ceremony_ids)))
        .order_by(CeremonyFigures.ceremony, CeremonyFigures.version)
    )
    for r in query:
        found.setdefault((r.ceremony_id, r.stage), []).append(_figures(r))
    return found


def list_ceremonies(
    actor: Actor,
    year: int | None = None,
    stage: str | None = None,
    kind: str | None = None,
    village_id: int | None = None,
) -> list[CeremonyRow]:
    """Ceremonies of the year (by their day), newest first, each judged by the standard of its day."""
    vid = access.readable_village(actor, village_id)
    query = (
        Ceremony.select(Ceremony, Household, VillagerGroup)
        .join(Household)
        .join(VillagerGroup)
        .where(Ceremony.village == vid)
        .order_by(Ceremony.day.desc(), Ceremony.id.desc())
    )
    if year is not None:
        query = query.where(Ceremony.day.between(date(year, 1, 1), date(year, 12, 31)))
    if stage is not None:
        query = query.where(Ceremony.stage == stage)
    if kind is not None:
        query = query.where(Ceremony.kind == kind)
    with translated_errors():
        ceremonies = list(query)
        figures = _latest_figures([c.id for c in ceremonies])
        versions = _versions(vid)
    rows = []
    for c in ceremonies:
        judged = figures.get((c.id, rules.ACTUAL)) or figures.get((c.id, rules.PLAN)) or [Figures()]
        standard = rules.standard_on(versions, c.day)
        rows.append(
            CeremonyRow(
                c.id,
                c.number,
                c.kind,
                c.occasion,
                c.celebrant_age,
                c.household_id,
                c.household.number,
                c.household.group.name,
                c.head_name,
                c.day,
                c.place,
                c.stage,
                rules.check(c.kind, judged[-1], standard, c.occasion, c.celebrant_age),
                rules.late_report(standard.caps_for(c.kind), c.day, c.reported_on),
            )
        )
    return rows


def year_figures(actor: Actor, year: int, village_id: int | None = None) -> rules.YearFigures:
    """The year's figures the council reports to the village (ceremonies by their day)."""
    vid = access.readable_village(actor, village_id)
    with translated_errors():
        ceremonies = list(
            Ceremony.select().where(
                (Ceremony.village == vid)
                & Ceremony.day.between(date(year, 1, 1), date(year, 12, 31))
                & (Ceremony.stage != rules.CANCELLED)
            )
        )
        ids = [c.id for c in ceremonies]
        figures = _latest_figures(ids)
        spent = (
            dict(
                FollowUp.select(FollowUp.ceremony, FollowUp.actual_spending_fen)
                .where(FollowUp.ceremony.in_(ids))
                .tuples()
            )
            if ids
            else {}
        )
        versions = _versions(vid)
    facts = []
    for c in ceremonies:
        standard = rules.standard_on(versions, c.day)
        plans = figures[(c.id, rules.PLAN)]
        actual = (figures.get((c.id, rules.ACTUAL)) or [None])[-1]
        facts.append(
            rules.CeremonyFacts(
                kind=c.kind,
                day=c.day,
                stage=c.stage,
                first_plan=plans[0],
                first_plan_breaches=rules.check(c.kind, plans[0], standard, c.occasion, c.celebrant_age),
                actual=actual,
                actual_breaches=rules.check(c.kind, actual, standard, c.occasion, c.celebrant_age)
                if actual
                else (),
                ceiling_fen=rules.ceiling_fen(standard.caps_for(c.kind)),
                actual_spending_fen=spent.get(c.id),
                late=rules.late_report(standard.caps_for(c.kind), c.day, c.reported_on) is not None,
            )
        )
    return rules.year_figures(year, facts)


# --- ceremonies: the report -----------------------------------------------------------------------


def _household(vid: int, household_id: int) -> Household:
    row = Household.get_or_none((Household.id == household_id) & (Household.village == vid))
    if row is None:
        raise NotFound(N_("That household does not exist."))
    return row


def _head(household_id: int) -> Villager | None:
    return Villager.get_or_none((Villager.household == household_id) & (Villager.relation == HEAD))


def _phone(text: str) -> str:
    phone = text.strip()
    if not phone:
        return ""
    cleaned = normalise_phone(phone)
    if cleaned is None:
        raise ValidationError(
            N_("{phone} is not a mobile or landline number."), field="contact_phone", phone=phone
        )
    return cleaned


@dataclass(frozen=True)
class _CleanReport:
    household: Household
    head_name: str
    host: str
    phone: str
    kind: str
    occasion: str
    age: int | None
    subject: str
    place: str
    reported_on: date
    plan: Figures


def _clean_report(vid: int, data: rules.ReportInput, today: date) -> _CleanReport:
    household = _household(vid, data.household_id)
    kind_, occasion, age = data.kind, *rules.check_kind(data.kind, data.occasion, data.celebrant_age)
    reported_on = data.reported_on or today
    rules.check_not_future(reported_on, today, "reported_on", N_("The report date"))
    head = _head(household.id)
    host = rules.check_text(data.host, "host", N_("who reports the ceremony"), False, rules.MAX_NAME)
    host = host or (head.name if head else "")
    if not host:
        raise ValidationError(N_("Please enter {what}."), field="host", what=_("who reports the ceremony"))
    phone = _phone(data.contact_phone) or (head.phone if head else "")
    return _CleanReport(
        household=household,
        head_name=head.name if head else host,
        host=host,
        phone=phone,
        kind=kind_,
        occasion=occasion,
        age=age,
        subject=rules.check_text(data.subject, "subject", N_("whom the ceremony is for"), False, 200),
        place=rules.check_text(data.place, "place", N_("the place"), True, 200),
        reported_on=reported_on,
        plan=rules.parse_figures(data.plan, kind_, rules.PLAN),
    )


def _write_figures(
    actor: Actor, ceremony_id: int, stage: str, figures: Figures, reason: str, at: datetime
) -> CeremonyFigures:
    version = (
        CeremonyFigures.select(peewee.fn.MAX(CeremonyFigures.version))
        .where((CeremonyFigures.ceremony == ceremony_id) & (CeremonyFigures.stage == stage))
        .scalar()
        or 0
    ) + 1
    row = CeremonyFigures(
        ceremony=ceremony_id,
        stage=stage,
        version=version,
        reason=reason,
        recorded_at=at,
        recorded_by=actor.username,
        **_figure_values(figures),
    )
    audit.record_create(actor, row)
    return row


def report(
    actor: Actor, data: rules.ReportInput, today: date | None = None, now: datetime | None = None
) -> CeremonyDetail:
    """事前报备: the ceremony and the family's first plan, numbered in the village's series of the year."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    at = _now(now)
    with translated_errors(), transaction():
        clean = _clean_report(vid, data, today)
        _lock_numbers(actor)
        year = clean.reported_on.year
        used = Ceremony.select(Ceremony.sequence).where((Ceremony.village == vid) & (Ceremony.year == year))
        sequence = rules.next_sequence(s for (s,) in used.tuples())
        row = Ceremony(
            village=vid,
            year=year,
            sequence=sequence,
            number=rules.ceremony_number(year, sequence),
            household=clean.household.id,
            head_name=clean.head_name,
            host=clean.host,
            contact_phone=clean.phone,
            kind=clean.kind,
            occasion=clean.occasion,
            celebrant_age=clean.age,
            subject=clean.subject,
            day=data.day,
            place=clean.place,
            reported_on=clean.reported_on,
            stage=rules.REPORTED,
            created_at=at,
            created_by=actor.username,
        )
        audit.record_create(actor, row, action="report")
        _write_figures(actor, row.id, rules.PLAN, clean.plan, "", at)
    return _detail(row)


def update_report(
    actor: Actor,
    ceremony_id: int,
    data: rules.ReportInput,
    today: date | None = None,
    now: datetime | None = None,
) -> CeremonyDetail:
    """Correct a report before the family commits and before the day. Until the council has advised, the
    first plan itself is corrected (a typing slip is not a plan); after advice a changed plan is a new
    version, so the first plan stays on record."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    at = _now(now)
    with translated_errors(), transaction():
        row = _ceremony(vid, ceremony_id)
        letter = CommitmentLetter.get_or_none(CommitmentLetter.ceremony == row.id)
        rules.check_plan_open(row.stage, letter.signed_on if letter else None)
        clean = _clean_report(vid, data, today)
        if clean.reported_on.year != row.year:
            raise ValidationError(
                N_("The report date stays in {year}, the year of its number {number}."),
                field="reported_on",
                year=row.year,
                number=row.number,
            )
        before = audit.snapshot(row)
        row.household, row.head_name, row.host, row.contact_phone = (
            clean.household.id,
            clean.head_name,
            clean.host,
            clean.phone,
        )
        row.kind, row.occasion, row.celebrant_age, row.subject = (
            clean.kind,
            clean.occasion,
            clean.age,
            clean.subject,
        )
        row.day, row.place, row.reported_on = data.day, clean.place, clean.reported_on
        audit.record_update(actor, row, before)
        plans = list(
            CeremonyFigures.select()
            .where((CeremonyFigures.ceremony == row.id) & (CeremonyFigures.stage == rules.PLAN))
            .order_by(CeremonyFigures.version)
        )
        latest = plans[-1]
        if _figures(latest) != clean.plan:
            if (
                len(plans) == 1
                and not CeremonyAdvice.select().where(CeremonyAdvice.ceremony == row.id).exists()
            ):
                before = audit.snapshot(latest)
                for key, value in _figure_values(clean.plan).items():
                    setattr(latest, key, value)
                audit.record_update(actor, latest, before)
            else:
                _write_figures(actor, row.id, rules.PLAN, clean.plan, _("Report corrected"), at)
    return _detail(row)


def record_advice(
    actor: Actor,
    ceremony_id: int,
    text: str,
    advised_on: date,
    member_id: int | None = None,
    revised: FiguresInput | None = None,
    today: date | None = None,
    now: datetime | None = None,
) -> CeremonyDetail:
    """The council's advice on the plan; with `revised`, the plan the family accepts becomes a new version
    (the first plan stays on record)."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    at = _now(now)
    advice = rules.check_text(text, "advice", N_("the council's advice"))
    with translated_errors(), transaction():
        row = _ceremony(vid, ceremony_id)
        letter = CommitmentLetter.get_or_none(CommitmentLetter.ceremony == row.id)
        rules.check_plan_open(row.stage, letter.signed_on if letter else None)
        rules.check_not_future(advised_on, today, "advised_on", N_("The date of the advice"))
        if advised_on < row.reported_on:
            raise ValidationError(
                N_("The advice ({date}) cannot come before the report ({reported})."),
                field="advised_on",
                date=advised_on.isoformat(),
                reported=row.reported_on.isoformat(),
            )
        if member_id is not None:
            _on_duty(vid, member_id, advised_on)
        plan = None
        if revised is not None:
            figures = rules.parse_figures(revised, row.kind, rules.PLAN)
            plan = _write_figures(
                actor, row.id, rules.PLAN, figures, _("Revised on the council's advice"), at
            )
        audit.record_create(
            actor,
            CeremonyAdvice(
                ceremony=row.id,
                advised_on=advised_on,
                member=member_id,
                text=advice,
                plan=plan.id if plan else None,
                recorded_at=at,
                recorded_by=actor.username,
            ),
        )
    return _detail(row)


def sign_commitment(
    actor: Actor,
    ceremony_id: int,
    signed_on: date,
    signer: str = "",
    today: date | None = None,
    now: datetime | None = None,
) -> CeremonyDetail:
    """承诺书: the family signs its commitment to the plan as it stands; the plan is then fixed."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    with translated_errors(), transaction():
        row = _ceremony(vid, ceremony_id)
        letter = CommitmentLetter.get_or_none(CommitmentLetter.ceremony == row.id)
        rules.check_plan_open(row.stage, letter.signed_on if letter else None)
        rules.check_not_future(signed_on, today, "signed_on", N_("The signing date"))
        if not row.reported_on <= signed_on <= row.day:
            raise ValidationError(
                N_("The commitment is signed between the report ({reported}) and the ceremony ({day})."),
                field="signed_on",
                reported=row.reported_on.isoformat(),
                day=row.day.isoformat(),
            )
        name = rules.check_text(signer, "signer", N_("who signs"), False, rules.MAX_NAME) or row.host
        plan = (
            CeremonyFigures.select()
            .where((CeremonyFigures.ceremony == row.id) & (CeremonyFigures.stage == rules.PLAN))
            .order_by(CeremonyFigures.version.desc())
            .first()
        )
        audit.record_create(
            actor,
            CommitmentLetter(
                ceremony=row.id,
                plan=plan.id,
                signer=name,
                signed_on=signed_on,
                recorded_at=_now(now),
                recorded_by=actor.username,
            ),
        )
    return _detail(row)


# --- ceremonies: the day, the follow-up, closing --------------------------------------------------


def supervise(
    actor: Actor,
    ceremony_id: int,
    member_id: int,
    supervised_on: date,
    actual: FiguresInput,
    notes: str = "",
    today: date | None = None,
    now: datetime | None = None,
) -> CeremonyDetail:
    """事中监督: the member on duty's figures seen on the day; deviations and breaches are computed."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    at = _now(now)
    with translated_errors(), transaction():
        row = _ceremony(vid, ceremony_id)
        stage = rules.next_stage(row.stage, rules.SUPERVISE)
        rules.check_not_future(supervised_on, today, "supervised_on", N_("The day supervised"))
        if supervised_on < row.day:
            raise ValidationError(
                N_("The ceremony begins on {day}; it is supervised on the day, not before."),
                field="supervised_on",
                day=row.day.isoformat(),
            )
        _on_duty(vid, member_id, supervised_on)
        figures = rules.parse_figures(actual, row.kind, rules.ACTUAL)
        clean_notes = rules.check_text(notes, "notes", N_("the notes"), False)
        audit.record_create(
            actor,
            Supervision(
                ceremony=row.id,
                member=member_id,
                supervised_on=supervised_on,
                notes=clean_notes,
                recorded_at=at,
                recorded_by=actor.username,
            ),
        )
        _write_figures(actor, row.id, rules.ACTUAL, figures, "", at)
        before = audit.snapshot(row)
        row.stage = stage
        audit.record_update(actor, row, before, action="supervise")
    return _detail(row)


def correct_actual(
    actor: Actor, ceremony_id: int, actual: FiguresInput, reason: str, now: datetime | None = None
) -> CeremonyDetail:
    """Correct the figures seen on the day: a new version with its reason; the figures first recorded stay."""
    vid = access.writable_village(actor)
    why = rules.check_text(reason, "reason", N_("the reason for the correction"), True, 200)
    with translated_errors(), transaction():
        row = _ceremony(vid, ceremony_id)
        if row.stage not in rules.HELD:
            raise ValidationError(N_("Only the figures of a supervised ceremony can be corrected."))
        figures = rules.parse_figures(actual, row.kind, rules.ACTUAL)
        _write_figures(actor, row.id, rules.ACTUAL, figures, why, _now(now))
    return _detail(row)


def follow_up(
    actor: Actor,
    ceremony_id: int,
    member_id: int,
    visited_on: date,
    actual_spending: str,
    satisfaction: str,
    remarks: str = "",
    today: date | None = None,
    now: datetime | None = None,
) -> CeremonyDetail:
    """事后回访: what the family actually spent, how satisfied it is, remarks."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    with translated_errors(), transaction():
        row = _ceremony(vid, ceremony_id)
        stage = rules.next_stage(row.stage, rules.FOLLOW_UP)
        rules.check_not_future(visited_on, today, "visited_on", N_("The day of the visit"))
        supervised = Supervision.get(Supervision.ceremony == row.id)
        if visited_on < supervised.supervised_on:
            raise ValidationError(
                N_("The visit ({date}) cannot come before the day supervised ({supervised})."),
                field="visited_on",
                date=visited_on.isoformat(),
                supervised=supervised.supervised_on.isoformat(),
            )
        _on_duty(vid, member_id, visited_on)
        spent = rules.parse_yuan(actual_spending, "actual_spending")
        if spent is None:
            raise ValidationError(N_("Please enter the actual spending."), field="actual_spending")
        if satisfaction not in rules.SATISFACTIONS:
            raise ValidationError(N_("Please choose how satisfied the family is."), field="satisfaction")
        audit.record_create(
            actor,
            FollowUp(
                ceremony=row.id,
                member=member_id,
                visited_on=visited_on,
                actual_spending_fen=spent,
                satisfaction=satisfaction,
                remarks=rules.check_text(remarks, "remarks", N_("the remarks"), False),
                recorded_at=_now(now),
                recorded_by=actor.username,
            ),
        )
        before = audit.snapshot(row)
        row.stage = stage
        audit.record_update(actor, row, before, action="follow_up")
    return _detail(row)


def close(
    actor: Actor, ceremony_id: int, closed_on: date | None = None, today: date | None = None
) -> CeremonyDetail:
    """结案: refused until the follow-up is on record."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    closed_on = closed_on or today
    with translated_errors(), transaction():
        row = _ceremony(vid, ceremony_id)
        stage = rules.next_stage(row.stage, rules.CLOSE)
        rules.check_not_future(closed_on, today, "closed_on", N_("The closing date"))
        visit = FollowUp.get(FollowUp.ceremony == row.id)
        if closed_on < visit.visited_on:
            raise ValidationError(
                N_("A ceremony is closed on or after its follow-up ({date})."),
                field="closed_on",
                date=visit.visited_on.isoformat(),
            )
        before = audit.snapshot(row)
        row.stage, row.closed_on = stage, closed_on
        audit.record_update(actor, row, before, action="close")
    return _detail(row)


def cancel(
    actor: Actor, ceremony_id: int, reason: str, cancelled_on: date | None = None, today: date | None = None
) -> CeremonyDetail:
    """The family calls the ceremony off (or it was reported twice); the report stays, marked cancelled."""
    vid = access.writable_village(actor)
    today = today or clock.today()
    on = cancelled_on or today
    why = rules.check_text(reason, "reason", N_("the reason"), True, 200)
    with translated_errors(), transaction():
        row = _ceremony(vid, ceremony_id)
        stage = rules.next_stage(row.stage, rules.CANCEL)
        rules.check_not_future(on, today, "cancelled_on", N_("The date"))
        before = audit.snapshot(row)
        row.stage, row.cancelled_on, row.cancel_reason = stage, on, why
        audit.record_update(actor, row, before, action="cancel")
    return _detail(row)


# --- documents for printing -----------------------------------------------------------------------


@dataclass(frozen=True)
class FigureLine:
    """One row of a form's figures table, already in words."""

    item: str  # 桌数
    planned: str
    actual: str  # "" on the report form
    cap: str  # 不超过20 / 不限
    verdict: str  # 超标 / 符合 / ""


@dataclass(frozen=True)
class ReportFormDocument:
    """报备登记表."""

    number: str
    council: str  # 青石村红白理事会
    village: str
    household_number: str
    group: str
    head_name: str
    host: str
    phone: str  # masked
    what: str  # 婚事 / 寿宴（80岁）
    subject: str
    day: date
    place: str
    reported_on: date
    standard_label: str  # which version judged it
    lines: tuple[FigureLine, ...]
    spending: str  # the plan's total, ¥80,000.00
    first_plan_note: str  # "" or how the first plan differed (after advice)
    breaches: tuple[str, ...]  # sentences
    advice: tuple[str, ...]  # 2026年4月20日 理事王某：……
    commitment: str  # 已于……签订承诺书 / 尚未签订承诺书
    late: str = ""  # "" or 举办前2天才报备，村规民约要求至少提前5天报备
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


@dataclass(frozen=True)
class CommitmentDocument:
    """承诺书."""

    number: str
    council: str
    village: str
    group: str
    host: str
    what: str
    subject: str
    day: date
    place: str
    promises: tuple[str, ...]
    signer: str
    signed_on: date | None  # None: printed blank, to be signed by hand
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


@dataclass(frozen=True)
class FollowUpDocument:
    """回访记录: the supervision on the day and the visit afterwards."""

    number: str
    council: str
    village: str
    group: str
    head_name: str
    what: str
    day: date
    place: str
    supervisor: str
    supervised_on: date
    supervision_notes: str
    lines: tuple[FigureLine, ...]
    deviations: tuple[str, ...]
    breaches: tuple[str, ...]
    corrections: tuple[str, ...]  # the figures corrected after the day, with their reasons
    visitor: str
    visited_on: date
    first_plan_spending: str
    actual_spending: str
    saved: str  # against the first plan
    satisfaction: str
    remarks: str
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


@dataclass(frozen=True)
class SummaryDocument:
    """The year's figures the council reports to the village, with its charts."""

    council: str
    village: str
    year: int
    figures: rules.YearFigures
    month_chart: BarChart
    spending_chart: BarChart
    month_rows: tuple[tuple[str, ...], ...]  # 月份, 婚事, 丧事, 其他, 合计
    breach_rows: tuple[tuple[str, str], ...]  # item, ceremonies
    kinds: tuple[str, ...]
    sign_date: date
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


def _council_name(vid: int, day: date) -> str:
    row = (
        CeremonyCouncil.select()
        .where((CeremonyCouncil.village == vid) & (CeremonyCouncil.term_start <= day))
        .order_by(CeremonyCouncil.term_start.desc())
        .first()
    )
    return row.name if row else f"{Village.get_by_id(vid).name}红白理事会"


def _cap_text(item: str, cap: int | None) -> str:
    if cap is None:
        return _("No cap")
    return _("at most {cap}").format(cap=rules.format_item(item, cap))


def _value_text(item: str, value: int | None) -> str:
    return "" if value is None else rules.format_item(item, value)


def _lines(d: CeremonyDetail, with_actual: bool) -> tuple[FigureLine, ...]:
    caps = d.standard.caps_for(d.kind)
    broken = {b.item for b in (d.actual_breaches if with_actual else d.plan_breaches)}
    lines = []
    for item in rules.KIND_ITEMS[d.kind]:
        actual = d.actual.value(item) if with_actual and d.actual else None
        shown = actual if with_actual else d.plan.value(item)
        verdict = "" if shown is None else (_("Over the cap") if item in broken else _("Within"))
        lines.append(
            FigureLine(
                rules.item_label(item),
                _value_text(item, d.plan.value(item)),
                _value_text(item, actual),
                _cap_text(item, caps.limit(item)),
                verdict,
            )
        )
    lines.append(
        FigureLine(
            rules.item_label(rules.PAID_PERFORMERS),
            rules.yes_no(d.plan.paid_performers),
            rules.yes_no(d.actual.paid_performers) if with_actual and d.actual else "",
            _("Not allowed") if d.standard.paid_performers_banned else _("No cap"),
            _("Over the cap") if rules.PAID_PERFORMERS in broken else _("Within"),
        )
    )
    if d.kind == rules.FUNERAL:
        lines.append(
            FigureLine(
                rules.item_label(rules.CREMATION),
                rules.yes_no(d.plan.cremation),
                rules.yes_no(d.actual.cremation) if with_actual and d.actual else "",
                _("Required") if d.standard.cremation_required else _("No cap"),
                _("Over the cap") if rules.CREMATION in broken else _("Within"),
            )
        )
    return tuple(lines)


def _standard_label(standard: Standard) -> str:
    if standard.effective_from is None:
        return _("The default standard (the village has not adopted its own yet)")
    text = _("The standard in force from {date}").format(date=document_date(standard.effective_from))
    return f"{text}（{standard.basis}）" if standard.basis else text


def _advice_lines(d: CeremonyDetail, m: Callable[[str], str]) -> tuple[str, ...]:
    out = []
    for a in d.advice:
        who = f"{a.member}：" if a.member else ""
        revised = _("(plan revised)") if a.plan_version else ""
        out.append(f"{document_date(a.advised_on)} {who}{m(a.text)}{revised}")
    return tuple(out)


def _masking(actor: Actor, vid: int) -> tuple[Masking, Callable[[str], str]]:
    """The village's masking (kept with its notices' settings), and what this room's papers, all kept
    on file but the year's summary, do with a text: masked, unless the village prints them in full."""
    from villagegov.notices import service as notices

    masking = notices.masking(actor, vid)
    return masking, masking if masking.masks(Audience.ON_FILE) else str


@in_document_language
def report_document(actor: Actor, ceremony_id: int) -> ReportFormDocument:
    d = get_ceremony(actor, ceremony_id)
    masking, m = _masking(actor, d.village_id)
    first_note = ""
    if len(d.plans) > 1:
        first = d.first_plan
        first_note = _(
            "First plan: {tables} tables at {cost} a table, total {spending}; revised on the council's "
            "advice."
        ).format(
            tables=first.tables,
            cost=format_money(first.cost_per_table_fen or 0),
            spending=format_money(first.spending_fen or 0),
        )
    commitment = (
        _("Signed by {signer} on {date}").format(
            signer=d.commitment.signer, date=document_date(d.commitment.signed_on)
        )
        if d.commitment
        else _("Not signed yet")
    )
    return ReportFormDocument(
        number=d.number,
        council=_council_name(d.village_id, d.day),
        village=Village.get_by_id(d.village_id).name,
        household_number=d.household_number,
        group=d.group,
        head_name=d.head_name,
        host=d.host,
        phone=m(d.contact_phone),
        what=d.what,
        subject=m(d.subject),
        day=d.day,
        place=m(d.place),
        reported_on=d.reported_on,
        standard_label=_standard_label(d.standard),
        lines=_lines(d, False),
        spending=format_money(d.plan.spending_fen or 0),
        first_plan_note=first_note,
        breaches=tuple(rules.describe_breach(b) for b in d.plan_breaches),
        advice=_advice_lines(d, m),
        commitment=commitment,
        late=rules.describe_late(d.late) if d.late else "",
        masking=masking,
    )


def _promises(d: CeremonyDetail) -> tuple[str, ...]:
    caps = d.standard.caps_for(d.kind)
    plan = d.plan
    promises = [
        _("To hold the {what} simply and keep to the village's rules on weddings and funerals.").format(
            what=d.what
        )
    ]
    figures = [
        _("{tables} tables at most, at most {cost} a table").format(
            tables=plan.tables, cost=format_money(plan.cost_per_table_fen or 0)
        )
    ]
    if plan.days:
        figures.append(ngettext("{n} day", "{n} days", plan.days).format(n=plan.days))
    if plan.vehicles is not None and d.kind == rules.WEDDING:
        figures.append(
            ngettext("at most {n} vehicle", "at most {n} vehicles", plan.vehicles).format(n=plan.vehicles)
        )
    if plan.bride_price_fen is not None:
        figures.append(
            _("a bride price of at most {amount}").format(amount=format_money(plan.bride_price_fen))
        )
    promises.append(_("To keep to the plan reported: {figures}.").format(figures=_("、").join(figures)))
    if caps.gift_per_guest_fen is not None:
        promises.append(
            _(
                "Not to ask for or accept gift money above {cap} a guest from those who are not relatives."
            ).format(cap=format_money(caps.gift_per_guest_fen))
        )
    if d.standard.paid_performers_banned:
        promises.append(_("Not to hire paid performers, nor to stage vulgar shows."))
    if d.kind == rules.FUNERAL and d.standard.cremation_required:
        promises.append(_("To have the deceased cremated, and to hold no feudal or superstitious rites."))
    promises.append(_("To welcome the council's supervision on the day and its visit afterwards."))
    promises.append(
        _(
            "Should the family break this commitment, it accepts the council's criticism and the village's "
            "rules."
        )
    )
    return tuple(promises)


@in_document_language
def commitment_document(actor: Actor, ceremony_id: int) -> CommitmentDocument:
    d = get_ceremony(actor, ceremony_id)
    masking, m = _masking(actor, d.village_id)
    return CommitmentDocument(
        number=d.number,
        council=_council_name(d.village_id, d.day),
        village=Village.get_by_id(d.village_id).name,
        group=d.group,
        host=d.host,
        what=d.what,
        subject=m(d.subject),
        day=d.day,
        place=m(d.place),
        promises=_promises(d),
        signer=d.commitment.signer if d.commitment else d.host,
        signed_on=d.commitment.signed_on if d.commitment else None,
        masking=masking,
    )


@in_document_language
def follow_up_document(actor: Actor, ceremony_id: int) -> FollowUpDocument:
    d = get_ceremony(actor, ceremony_id)
    if d.supervision is None or d.follow_up is None:
        raise ValidationError(N_("The follow-up record prints once the follow-up is recorded."))
    masking, m = _masking(actor, d.village_id)
    saved = d.saved_against_first_plan_fen
    corrections = tuple(
        _("{when}: corrected by {who} ({reason})").format(
            when=document_date(a.recorded_at.date()), who=a.recorded_by, reason=m(a.reason)
        )
        for a in d.actuals[1:]
    )
    return FollowUpDocument(
        number=d.number,
        council=_council_name(d.village_id, d.day),
        village=Village.get_by_id(d.village_id).name,
        group=d.group,
        head_name=d.head_name,
        what=d.what,
        day=d.day,
        place=m(d.place),
        supervisor=d.supervision.member,
        supervised_on=d.supervision.supervised_on,
        supervision_notes=m(d.supervision.notes),
        lines=_lines(d, True),
        deviations=tuple(rules.describe_deviation(x) for x in d.deviations),
        breaches=tuple(rules.describe_breach(b) for b in d.actual_breaches),
        corrections=corrections,
        visitor=d.follow_up.member,
        visited_on=d.follow_up.visited_on,
        first_plan_spending=format_money(d.first_plan.spending_fen or 0),
        actual_spending=format_money(d.follow_up.actual_spending_fen),
        saved=format_money(saved) if saved is not None else "",
        satisfaction=rules.satisfaction_label(d.follow_up.satisfaction),
        remarks=m(d.follow_up.remarks),
        masking=masking,
    )


@in_document_language
def summary_document(
    actor: Actor, year: int, today: date | None = None, village_id: int | None = None
) -> SummaryDocument:
    vid = access.readable_village(actor, village_id)
    figures = year_figures(actor, year, vid)
    months = rules.months()
    rows = []
    for m in range(12):
        counts = [figures.per_month[k][m] for k in rules.KINDS]
        rows.append((months[m], *(str(c) for c in counts), str(sum(counts))))
    totals = [sum(figures.per_month[k]) for k in rules.KINDS]
    rows.append((_("Total"), *(str(t) for t in totals), str(sum(totals))))
    breach_rows = tuple(
        (rules.item_label(item), str(n))
        for item, n in sorted(figures.breaches_by_item.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    sign = today or clock.today()
    return SummaryDocument(
        council=_council_name(vid, min(sign, date(year, 12, 31))),
        village=Village.get_by_id(vid).name,
        year=year,
        figures=figures,
        month_chart=rules.month_chart(figures),
        spending_chart=rules.spending_chart(figures),
        month_rows=tuple(rows),
        breach_rows=breach_rows,
        kinds=tuple(rules.kind_label(k) for k in rules.KINDS),
        sign_date=sign,
        masking=_masking(actor, vid)[0],
    )


def ceremonies_of(
    actor: Actor, start: date, end: date, village_id: int | None = None
) -> Iterable[CeremonyDetail]:
    """Every ceremony whose day falls in [start, end], oldest first (the archive reads through this)."""
    vid = access.readable_village(actor, village_id)
    ids = [
        i
        for (i,) in Ceremony.select(Ceremony.id)
        .where((Ceremony.village == vid) & Ceremony.day.between(start, end))
        .order_by(Ceremony.day, Ceremony.id)
        .tuples()
    ]
    for ceremony_id in ids:
        yield _detail(Ceremony.get_by_id(ceremony_id))
