"""The village's standard (村规民约): its versions, each in force from its own date."""

from __future__ import annotations

from datetime import date, datetime

from villagegov.accounts import rules as access
from villagegov.ceremonies import rules
from villagegov.ceremonies.models import Ceremony, CeremonyCaps, CeremonyStandard
from villagegov.ceremonies.records import StandardVersion
from villagegov.ceremonies.rules import Standard
from villagegov.ceremonies.service._base import _date, _now
from villagegov.core import audit
from villagegov.core.actor import Actor
from villagegov.core.db import transaction, translated_errors


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


def _held(vid: int, since: date | None = None) -> list[rules.HeldCeremony]:
    query = Ceremony.select(Ceremony.number, Ceremony.day).where(
        (Ceremony.village == vid) & Ceremony.stage.in_(rules.HELD)
    )
    if since is not None:
        query = query.where(Ceremony.day >= since)
    return [rules.HeldCeremony(number, _date(day) or date.min) for number, day in query.tuples()]


def held_ceremonies(actor: Actor, village_id: int | None = None) -> list[rules.HeldCeremony]:
    """The ceremonies already held (judged on the figures seen): no new version may take effect on or
    before their day within its span (`rules.standard_actions`); the standard's form checks as it is typed."""
    return _held(access.readable_village(actor, village_id))


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
        versions = [row.effective_from for row, _s in _version_rows(vid)]
        rules.standard_actions(actor.role, start, _held(vid, start), versions).require(rules.NEW_STANDARD)
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
