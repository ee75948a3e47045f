"""A ceremony's stages: 事前报备 (the report, the council's advice, the commitment), 事中监督 (the day),
事后回访 (the follow-up), closing and cancelling. Each write asks the rules first (`ceremony_actions`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import peewee

from villagegov.accounts import rules as access
from villagegov.ceremonies import rules
from villagegov.ceremonies.models import (
    Ceremony,
    CeremonyAdvice,
    CeremonyFigures,
    CommitmentLetter,
    FollowUp,
    Supervision,
)
from villagegov.ceremonies.records import CeremonyDetail
from villagegov.ceremonies.rules import Figures, FiguresInput
from villagegov.ceremonies.service._base import _lock_numbers, _now
from villagegov.ceremonies.service.council import _on_duty
from villagegov.ceremonies.service.reading import _ceremony, _detail, _figure_values, _figures, _require
from villagegov.core import audit, clock
from villagegov.core.actor import Actor
from villagegov.core.db import transaction, translated_errors
from villagegov.core.errors import NotFound, ValidationError
from villagegov.core.i18n import N_, _
from villagegov.core.privacy import normalise_phone
from villagegov.roster.models import Household, Villager
from villagegov.roster.rules import HEAD


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
    rules.room_actions(actor.role).require(rules.REPORT)
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
        _require(actor, row, rules.EDIT, today)
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
        _require(actor, row, rules.ADVISE, today)
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
        _require(actor, row, rules.COMMIT, today)
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


# --- the day, the follow-up, closing ------------------------------------------------------------


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
        _require(actor, row, rules.SUPERVISE, today)
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
        _require(actor, row, rules.CORRECT, clock.today())
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
        _require(actor, row, rules.FOLLOW_UP, today)
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
        _require(actor, row, rules.CLOSE, today)
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
        _require(actor, row, rules.CANCEL, today)
        stage = rules.next_stage(row.stage, rules.CANCEL)
        rules.check_not_future(on, today, "cancelled_on", N_("The date"))
        before = audit.snapshot(row)
        row.stage, row.cancelled_on, row.cancel_reason = stage, on, why
        audit.record_update(actor, row, before, action="cancel")
    return _detail(row)
