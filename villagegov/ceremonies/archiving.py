"""What the 红白理事会 gives the yearly archive package (villagegov/archive/contract.py).

Records: the council's terms with their members, the versions of the standard in force during the
period, and every ceremony whose day falls in it, with each version of its plan and of the figures
seen on the day, the advice, the commitment, the supervision, the follow-up and what broke the caps.
Documents: each ceremony's 报备登记表, its 承诺书 once signed, its 回访记录 once visited, and the
yearly summary of every whole year in the period that had a ceremony reported (a year without one has
its figures in the records, and no paper of zeros). They are built by the room's table of papers
(documents.py), as the window and the command line print them.

A ceremony reported in December and held in January is in both years' records (the report was
written in the first, the day is in the second); each of its papers goes with the year of its own
date. The records also hold every ceremony, council and standard version an audit entry of the period
wrote, and name their audited tables so that verify compares them with the rows' last audited state.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from villagegov.archive.contract import (
    ArchiveDocument,
    JsonValue,
    LazyModule,
    Period,
    RecordSet,
    ReviewFinding,
    a4,
    touched_rows,
)
from villagegov.ceremonies import rules

if TYPE_CHECKING:
    from villagegov.ceremonies import documents as papers
    from villagegov.ceremonies import service
    from villagegov.printing.document import OfficialDocument
    from villagegov.printing.kinds import Build
else:  # imported when first used: verifying a package needs only the schemas
    papers = LazyModule("villagegov.ceremonies.documents")
    service = LazyModule("villagegov.ceremonies.service")
from villagegov.core import clock
from villagegov.core.actor import Actor
from villagegov.core.i18n import N_, _

SCHEMA_VERSION = 1
_DATE = {"type": "string", "format": "date"}
_OPTIONAL_DATE = {"type": ["string", "null"], "format": "date"}
_INT = {"type": "integer"}
_OPTIONAL_INT = {"type": ["integer", "null"]}
_TEXT = {"type": "string"}


def _object(properties: dict[str, Any]) -> dict[str, JsonValue]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": False,
    }


def _nested(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": sorted(properties),
        "additionalProperties": False,
    }


_CAPS = _nested({item: _OPTIONAL_INT for item in (*rules.ITEMS, rules.REPORT_DAYS)})
_FIGURES = _nested(
    {
        **{item: _OPTIONAL_INT for item in rules.ITEMS},  # counts, or money in fen
        "paid_performers": {"type": "boolean"},
        "cremation": {"type": ["boolean", "null"]},
        "spending_fen": _OPTIONAL_INT,
    }
)
_VERSION = _nested(
    {"version": _INT, "figures": _FIGURES, "reason": _TEXT, "recorded_at": _TEXT, "recorded_by": _TEXT}
)
_BREACH = _nested({"item": _TEXT, "value": {"type": ["integer", "string", "null"]}, "cap": _OPTIONAL_INT})

COUNCIL_SCHEMA = _object(
    {
        "id": _INT,
        "name": _TEXT,
        "term_start": _DATE,
        "term_end": _DATE,
        "members": {
            "type": "array",
            "items": _nested(
                {
                    "id": _INT,
                    "villager_id": _INT,
                    "name": _TEXT,
                    "role": {"enum": list(rules.ROLES)},
                    "joined_on": _DATE,
                    "left_on": _OPTIONAL_DATE,
                }
            ),
        },
    }
)
STANDARD_SCHEMA = _object(
    {
        "id": _INT,
        "effective_from": _DATE,
        "basis": _TEXT,
        "caps": _nested({kind: _CAPS for kind in rules.KINDS}),
        "cremation_required": {"type": "boolean"},
        "paid_performers_banned": {"type": "boolean"},
        "school_admission_banned": {"type": "boolean"},
        "house_moving_banned": {"type": "boolean"},
        "birthday_min_age": _OPTIONAL_INT,
        "set_at": _TEXT,
        "set_by": _TEXT,
    }
)
CEREMONY_SCHEMA = _object(
    {
        "id": _INT,
        "number": _TEXT,
        "household_id": _INT,
        "household_number": _TEXT,
        "group": _TEXT,
        "head_name": _TEXT,
        "host": _TEXT,
        "contact_phone": _TEXT,
        "kind": {"enum": list(rules.KINDS)},
        "occasion": _TEXT,
        "celebrant_age": _OPTIONAL_INT,
        "subject": _TEXT,
        "day": _DATE,
        "place": _TEXT,
        "reported_on": _DATE,
        "stage": {"enum": list(rules.STAGES)},
        "closed_on": _OPTIONAL_DATE,
        "cancelled_on": _OPTIONAL_DATE,
        "cancel_reason": _TEXT,
        "standard_effective_from": _OPTIONAL_DATE,  # null: the built-in defaults
        "report_days_asked": _OPTIONAL_INT,  # that standard's least days ahead for this kind; null: none
        "plans": {"type": "array", "items": _VERSION, "minItems": 1},
        "actuals": {"type": "array", "items": _VERSION},
        "advice": {
            "type": "array",
            "items": _nested(
                {"advised_on": _DATE, "member": _TEXT, "text": _TEXT, "plan_version": _OPTIONAL_INT}
            ),
        },
        "commitment": {
            "type": ["object", "null"],
            "properties": {"signer": _TEXT, "signed_on": _DATE, "plan_version": _INT},
        },
        "supervision": {
            "type": ["object", "null"],
            "properties": {"member": _TEXT, "supervised_on": _DATE, "notes": _TEXT},
        },
        "follow_up": {
            "type": ["object", "null"],
            "properties": {
                "member": _TEXT,
                "visited_on": _DATE,
                "actual_spending_fen": _INT,
                "satisfaction": {"enum": list(rules.SATISFACTIONS)},
                "remarks": _TEXT,
            },
        },
        "first_plan_breaches": {"type": "array", "items": _BREACH},
        "actual_breaches": {"type": "array", "items": _BREACH},
    }
)

_MONTHS = {"type": "array", "items": _INT, "minItems": 12, "maxItems": 12}
# The year's figures the council reports to the village; the yearly summary PDF belongs to this record.
YEAR_SCHEMA = _object(
    {
        "id": _INT,  # the year
        "year": _INT,
        "ceremonies": _INT,
        "per_month": {"type": "object", "additionalProperties": _MONTHS},
        "first_plans_over": _INT,
        "reported_late": _INT,
        "supervised": _INT,
        "within": _INT,
        "share_within": {"type": ["string", "null"], "pattern": r"^\d+/\d+$"},
        "breaches_by_item": {"type": "object", "additionalProperties": _INT},
        "caps_counted": _INT,
        "banquet_ceiling_fen": _INT,
        "banquet_actual_fen": _INT,
        "plans_counted": _INT,
        "first_plan_spending_fen": _INT,
        "actual_spending_fen": _INT,
    }
)

# The contract's form (kind -> (version, schema)): a package of a newer version is refused. Version 2
# of ceremony_standards adds each kind's report_days, of ceremonies the report_days_asked, of
# ceremony_years the count reported_late.
SCHEMAS: dict[str, tuple[int, dict[str, Any]]] = {
    "ceremony_councils": (SCHEMA_VERSION, COUNCIL_SCHEMA),
    "ceremony_standards": (2, STANDARD_SCHEMA),
    "ceremonies": (2, CEREMONY_SCHEMA),
    "ceremony_years": (2, YEAR_SCHEMA),
}


# The fields equal to the audit snapshot of the row ("key:column" where named otherwise); a ceremony's
# plans, figures seen, advice, commitment, supervision and follow-up are rows of their own, nested here.
COUNCIL_FIELDS = ("id", "name", "term_start", "term_end")
STANDARD_FIELDS = (
    "id", "effective_from", "basis", "cremation_required", "paid_performers_banned",
    "school_admission_banned", "house_moving_banned", "birthday_min_age", "set_by",
)  # fmt: skip
CEREMONY_FIELDS = (
    "id", "number", "household_id:household", "head_name", "host", "contact_phone", "kind", "occasion",
    "celebrant_age", "subject", "day", "place", "reported_on", "stage", "closed_on", "cancelled_on",
    "cancel_reason",
)  # fmt: skip


def _whole_years(period: Period) -> list[int]:
    """The years the period covers whole: each has its figures and its summary in the package."""
    return [
        y
        for y in range(period.start.year, period.end.year + 1)
        if Period.year(y).start >= period.start and Period.year(y).end <= period.end
    ]


def _year_record(f: rules.YearFigures) -> dict[str, JsonValue]:
    share = f.share_within
    return {
        "id": f.year,
        "year": f.year,
        "ceremonies": f.ceremonies,
        "per_month": {kind: list(months) for kind, months in f.per_month.items()},
        "first_plans_over": f.first_plans_over,
        "reported_late": f.reported_late,
        "supervised": f.supervised,
        "within": f.within,
        "share_within": f"{share.numerator}/{share.denominator}" if share is not None else None,
        "breaches_by_item": dict(f.breaches_by_item),
        "caps_counted": f.caps_counted,
        "banquet_ceiling_fen": f.banquet_ceiling_fen,
        "banquet_actual_fen": f.banquet_actual_fen,
        "plans_counted": f.plans_counted,
        "first_plan_spending_fen": f.first_plan_spending_fen,
        "actual_spending_fen": f.actual_spending_fen,
    }


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _caps(caps: rules.Caps) -> dict[str, JsonValue]:
    return {item: caps.limit(item) for item in (*rules.ITEMS, rules.REPORT_DAYS)}


def _figures(f: rules.Figures) -> dict[str, JsonValue]:
    return {
        **{item: f.value(item) for item in rules.ITEMS},
        "paid_performers": f.paid_performers,
        "cremation": f.cremation,
        "spending_fen": f.spending_fen,
    }


def _version(row: service.FiguresRow) -> dict[str, JsonValue]:
    return {
        "version": row.version,
        "figures": _figures(row.figures),
        "reason": row.reason,
        "recorded_at": row.recorded_at.isoformat(),
        "recorded_by": row.recorded_by,
    }


def _breaches(found: tuple[rules.Breach, ...]) -> list[JsonValue]:
    return [{"item": b.item, "value": b.value, "cap": b.cap} for b in found]


def _ceremony(d: service.CeremonyDetail) -> dict[str, JsonValue]:
    c, s, f = d.commitment, d.supervision, d.follow_up
    return {
        "id": d.id,
        "number": d.number,
        "household_id": d.household_id,
        "household_number": d.household_number,
        "group": d.group,
        "head_name": d.head_name,
        "host": d.host,
        "contact_phone": d.contact_phone,
        "kind": d.kind,
        "occasion": d.occasion,
        "celebrant_age": d.celebrant_age,
        "subject": d.subject,
        "day": d.day.isoformat(),
        "place": d.place,
        "reported_on": d.reported_on.isoformat(),
        "stage": d.stage,
        "closed_on": _day(d.closed_on),
        "cancelled_on": _day(d.cancelled_on),
        "cancel_reason": d.cancel_reason,
        "standard_effective_from": _day(d.standard.effective_from),
        "report_days_asked": d.standard.caps_for(d.kind).report_days,
        "plans": [_version(p) for p in d.plans],
        "actuals": [_version(a) for a in d.actuals],
        "advice": [
            {
                "advised_on": a.advised_on.isoformat(),
                "member": a.member,
                "text": a.text,
                "plan_version": a.plan_version,
            }
            for a in d.advice
        ],
        "commitment": {
            "signer": c.signer,
            "signed_on": c.signed_on.isoformat(),
            "plan_version": c.plan_version,
        }
        if c
        else None,
        "supervision": {"member": s.member, "supervised_on": s.supervised_on.isoformat(), "notes": s.notes}
        if s
        else None,
        "follow_up": {
            "member": f.member,
            "visited_on": f.visited_on.isoformat(),
            "actual_spending_fen": f.actual_spending_fen,
            "satisfaction": f.satisfaction,
            "remarks": f.remarks,
        }
        if f
        else None,
        "first_plan_breaches": _breaches(d.first_plan_breaches),
        "actual_breaches": _breaches(d.actual_breaches),
    }


def _touched_ceremonies(actor: Actor, period: Period) -> set[int]:
    from villagegov.ceremonies import models as m

    ids = touched_rows(actor, period, m.Ceremony)
    for model in (m.CeremonyFigures, m.CeremonyAdvice, m.CommitmentLetter, m.Supervision, m.FollowUp):
        ids |= touched_rows(actor, period, model, model.ceremony)
    return ids


def _ceremonies(actor: Actor, period: Period) -> list[service.CeremonyDetail]:
    """The ceremonies held in the period, and those an audit entry of the period wrote (a December report
    of a January wedding), by day."""
    found = list(service.ceremonies_of(actor, period.start, period.end))
    extra = sorted(_touched_ceremonies(actor, period) - {d.id for d in found})
    if extra:
        found += [service.get_ceremony(actor, i) for i in extra]
        found.sort(key=lambda d: (d.day, d.id))
    return found


def records(actor: Actor, period: Period) -> list[RecordSet]:
    from villagegov.ceremonies import models

    written = touched_rows(actor, period, models.CeremonyCouncil) | touched_rows(
        actor, period, models.CeremonyCouncilMember, models.CeremonyCouncilMember.council
    )
    councils = [
        c
        for c in service.list_councils(actor)
        if (c.term_start <= period.end and period.start <= c.term_end) or c.id in written
    ]
    members = service.list_members(actor)
    council_records = tuple(
        {
            "id": c.id,
            "name": c.name,
            "term_start": c.term_start.isoformat(),
            "term_end": c.term_end.isoformat(),
            "members": [
                {
                    "id": m.id,
                    "villager_id": m.villager_id,
                    "name": m.name,
                    "role": m.role,
                    "joined_on": m.joined_on.isoformat(),
                    "left_on": _day(m.left_on),
                }
                for m in members
                if m.council_id == c.id
            ],
        }
        for c in sorted(councils, key=lambda c: c.term_start)
    )
    set_in_period = touched_rows(actor, period, models.CeremonyStandard) | touched_rows(
        actor, period, models.CeremonyCaps, models.CeremonyCaps.standard
    )
    versions = service.list_standards(actor)
    spans = [
        (v, versions[i + 1].standard.effective_from if i + 1 < len(versions) else None)
        for i, v in enumerate(versions)
    ]
    standard_records = tuple(
        {
            "id": v.id,
            "effective_from": _day(v.standard.effective_from),
            "basis": v.standard.basis,
            "caps": {kind: _caps(v.standard.caps_for(kind)) for kind in rules.KINDS},
            "cremation_required": v.standard.cremation_required,
            "paid_performers_banned": v.standard.paid_performers_banned,
            "school_admission_banned": v.standard.school_admission_banned,
            "house_moving_banned": v.standard.house_moving_banned,
            "birthday_min_age": v.standard.birthday_min_age,
            "set_at": v.set_at.isoformat(),
            "set_by": v.set_by,
        }
        for v, until in spans
        if ((v.standard.effective_from or date.min) <= period.end and (until is None or until > period.start))
        or v.id in set_in_period
    )
    ceremonies = tuple(_ceremony(d) for d in _ceremonies(actor, period))
    return [
        RecordSet(
            "ceremony_councils",
            SCHEMAS["ceremony_councils"][0],
            COUNCIL_SCHEMA,
            council_records,
            personal_data=False,
            entity="ceremony_council",
            audited_fields=COUNCIL_FIELDS,
        ),
        RecordSet(
            "ceremony_standards",
            SCHEMAS["ceremony_standards"][0],
            STANDARD_SCHEMA,
            standard_records,
            personal_data=False,
            entity="ceremony_standard",
            audited_fields=STANDARD_FIELDS,
        ),
        RecordSet(
            "ceremonies",
            SCHEMAS["ceremonies"][0],
            CEREMONY_SCHEMA,
            ceremonies,
            personal_data=True,
            entity="ceremony",
            audited_fields=CEREMONY_FIELDS,
        ),
        RecordSet(
            "ceremony_years",
            SCHEMAS["ceremony_years"][0],
            YEAR_SCHEMA,
            tuple(_year_record(service.year_figures(actor, y)) for y in _whole_years(period)),
            personal_data=False,
        ),
    ]


def _paper(actor: Actor, build: Build, subject: int, today: date) -> Callable[[], OfficialDocument]:
    """A paper of the room's table (documents.py), built when the export lays it out."""
    return lambda: build(actor, subject, a4(), today)


def documents(actor: Actor, period: Period) -> list[ArchiveDocument]:
    """Each paper in the package of the period its own date falls in (see the module's docstring)."""
    today = clock.today()
    out: list[ArchiveDocument] = []
    for d in _ceremonies(actor, period):
        stem = f"ceremonies/{d.year}-{d.id:05d}"
        if d.reported_on in period:
            out.append(
                ArchiveDocument(
                    f"{stem}-report.pdf",
                    f"红白事报备登记表 {d.number}",
                    "ceremonies",
                    d.id,
                    d.reported_on,
                    True,
                    _paper(actor, papers.report_form, d.id, today),
                )
            )
        if d.commitment is not None and d.commitment.signed_on in period:
            out.append(
                ArchiveDocument(
                    f"{stem}-commitment.pdf",
                    f"红白事简办承诺书 {d.number}",
                    "ceremonies",
                    d.id,
                    d.commitment.signed_on,
                    True,
                    _paper(actor, papers.commitment_letter, d.id, today),
                )
            )
        if d.follow_up is not None and d.follow_up.visited_on in period:
            out.append(
                ArchiveDocument(
                    f"{stem}-follow-up.pdf",
                    f"红白事事后回访记录 {d.number}",
                    "ceremonies",
                    d.id,
                    d.follow_up.visited_on,
                    True,
                    _paper(actor, papers.follow_up_record, d.id, today),
                )
            )
    for year in _whole_years(period):
        if service.year_figures(actor, year).ceremonies == 0:
            continue  # nothing to summarise (rules.year_actions): the year's figures are in the records
        out.append(
            ArchiveDocument(
                f"ceremonies/{year}-summary.pdf",
                f"{year}年度红白事办理情况报告",
                "ceremony_years",
                year,
                date(year, 12, 31),
                False,
                _paper(actor, papers.summary, year, date(year, 12, 31)),
            )
        )
    return out


# --- the township's review ---------------------------------------------------------------------------

SUPERVISION_GRACE_DAYS = 7  # the supervision is written up within a week of the day
FOLLOW_UP_DAYS = 30  # the follow-up visit within a month of the ceremony


def _breach_text(breaches: list[dict[str, Any]]) -> str:
    return _("; ").join(
        rules.describe_breach(rules.Breach(b["item"], b.get("value"), b.get("cap"))) for b in breaches
    )


def review(records: dict[str, list[dict[str, Any]]], as_of: date | None = None) -> list[ReviewFinding]:
    """What a township reviewer should look at in a package's ceremonies (pure: records only).

    A ceremony held over the village's caps (the figures seen on the day), reported only on or after
    its day (事前报备 is before), held without supervision on record a week on, not followed up a month
    on, or whose family was dissatisfied at the follow-up.
    """
    found: list[ReviewFinding] = []
    for c in records.get("ceremonies", []):
        if c["stage"] == rules.CANCELLED:
            continue
        which = {"ceremony": c["number"], "kind": rules.kind_label(c["kind"]), "date": c["day"]}

        def add(msgid: str, at: int = c["id"], base: dict[str, Any] = which, **params: JsonValue) -> None:
            found.append(ReviewFinding("ceremonies", at, msgid, {**base, **params}))

        if c["actual_breaches"]:
            add(
                N_("{kind} {ceremony} ({date}) was held over the village's standard: {items}."),
                items=_breach_text(c["actual_breaches"]),
            )
        ahead = (date.fromisoformat(c["day"]) - date.fromisoformat(c["reported_on"])).days
        asked = c.get("report_days_asked")  # from version 2 of the records on
        if ahead <= 0:
            add(
                N_("{kind} {ceremony} ({date}) was reported only on {reported}, not beforehand."),
                reported=c["reported_on"],
            )
        elif asked is not None and ahead < asked:
            add(
                N_(
                    "{kind} {ceremony} ({date}) was reported on {reported}, {ahead} days ahead; the "
                    "village's standard asks for at least {asked}."
                ),
                reported=c["reported_on"], ahead=ahead, asked=asked,
            )  # fmt: skip
        follow_up = c.get("follow_up")
        if follow_up and follow_up.get("satisfaction") == rules.DISSATISFIED:
            add(
                N_(
                    "{kind} {ceremony} ({date}): the family was dissatisfied at the follow-up visit "
                    "of {visited}."
                ),
                visited=follow_up.get("visited_on", ""),
            )
        if as_of is None:
            continue
        days = (as_of - date.fromisoformat(c["day"])).days
        if c["stage"] == rules.REPORTED and days > SUPERVISION_GRACE_DAYS:
            add(
                N_("{kind} {ceremony} was held on {date}; {days} days later no supervision is on record."),
                days=days,
            )
        elif c["stage"] == rules.SUPERVISED and days > FOLLOW_UP_DAYS:
            add(
                N_("{kind} {ceremony} was held on {date}; {days} days later it has not been followed up."),
                days=days,
            )
    return found
