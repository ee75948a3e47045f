"""What the 民情三本账 and 矛盾纠纷调处 room gives the yearly archive (villagegov/archive/contract.py).

Records: every petition received in the period with all its steps, and every dispute registered in
it with its parties, sessions, outcome and follow-up visits. A complainant is never named in the
archive, whoever exports it: the township reads these packages, and only the village's secretary
may know who complained (the village's own database keeps the name).

Documents: the period's ledgers and summary, each acceptance notice given, and each mediation
agreement, built lazily through the same layouts as the room prints.

The records also hold every petition and mediation an audit entry of the period wrote (a December
petition closed in January is in both years), and name their audited tables so that verify compares
them with the rows' last audited state; each paper goes with the period its own date falls in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from villagegov.archive.contract import (
    ArchiveDocument,
    JsonValue,
    LazyModule,
    Period,
    RecordSet,
    ReviewFinding,
    touched_rows,
)
from villagegov.core.actor import Actor
from villagegov.core.i18n import N_, _, in_document_language
from villagegov.petitions import rules

if TYPE_CHECKING:
    from villagegov.petitions import pdf, service
    from villagegov.printing.document import OfficialDocument
else:  # imported when first used: verifying a package needs only the schemas
    pdf = LazyModule("villagegov.petitions.pdf")
    service = LazyModule("villagegov.petitions.service")

PETITION, MEDIATION, PERIOD = "petition", "mediation", "petition_period"
SCHEMA_VERSION = 1

_DATE = {"type": "string", "format": "date"}
_DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
_TEXT = {"type": "string"}
_INT = {"type": "integer"}

PETITION_SCHEMA: dict[str, JsonValue] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "民情三本账事项 (petition)",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "id",
        "number",
        "ledger",
        "channel",
        "received_on",
        "subject",
        "content",
        "villager_id",
        "petitioner",
        "anonymous",
        "departments",
        "state",
        "next_step",
        "due_on",
        "closed_on",
        "satisfaction",
        "round",
        "on_time",
        "steps",
    ],
    "properties": {
        "id": _INT,
        "number": _TEXT,
        "ledger": {"enum": list(rules.LEDGERS)},
        "channel": {"enum": list(rules.CHANNELS)},
        "received_on": _DATE,
        "subject": _TEXT,
        "content": _TEXT,
        "villager_id": {"type": ["integer", "null"]},
        "petitioner": {
            "type": ["string", "null"],
            "description": "null for every complaint and when anonymous",
        },
        "anonymous": {"type": "boolean"},
        "departments": {"type": "boolean"},
        "state": {"enum": [rules.OPEN, rules.CLOSED]},
        "next_step": {"enum": ["", *rules.STEPS]},
        "due_on": _DATE_OR_NULL,
        "closed_on": _DATE_OR_NULL,
        "satisfaction": {"enum": ["", *rules.ANSWERS, rules.NOT_ASKED]},
        "round": _INT,
        "on_time": {"type": "boolean"},
        "steps": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "position",
                    "round",
                    "step",
                    "done_on",
                    "done_by",
                    "note",
                    "assignee",
                    "satisfaction",
                    "due_on",
                    "on_time",
                    "recorded_by",
                ],
                "properties": {
                    "position": _INT,
                    "round": _INT,
                    "step": {"enum": list(rules.STEPS)},
                    "done_on": _DATE,
                    "done_by": _TEXT,
                    "note": _TEXT,
                    "assignee": _TEXT,
                    "satisfaction": {"enum": ["", *rules.ANSWERS, rules.NOT_ASKED]},
                    "due_on": _DATE_OR_NULL,
                    "on_time": {"type": "boolean"},
                    "recorded_by": _TEXT,
                },
            },
        },
    },
}

_PARTY = {
    "type": "object",
    "additionalProperties": False,
    "required": ["position", "villager_id", "name", "gender", "birth_date", "id_number", "address", "phone"],
    "properties": {
        "position": _INT,
        "villager_id": {"type": ["integer", "null"]},
        "name": _TEXT,
        "gender": {"enum": ["", "male", "female"]},
        "birth_date": _DATE_OR_NULL,
        "id_number": _TEXT,
        "address": _TEXT,
        "phone": _TEXT,
    },
}

MEDIATION_SCHEMA: dict[str, JsonValue] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "矛盾纠纷调处 (mediation)",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "id",
        "number",
        "kind",
        "received_on",
        "facts",
        "disputed",
        "mediators",
        "due_on",
        "outcome",
        "concluded_on",
        "responsibilities",
        "terms",
        "performance",
        "perform_by",
        "oral",
        "outcome_note",
        "parties",
        "sessions",
        "follow_ups",
    ],
    "properties": {
        "id": _INT,
        "number": _TEXT,
        "kind": {"enum": list(rules.KINDS)},
        "received_on": _DATE,
        "facts": _TEXT,
        "disputed": _TEXT,
        "mediators": {"type": "array", "items": _TEXT},
        "due_on": _DATE,
        "outcome": {"enum": ["", *rules.OUTCOMES]},
        "concluded_on": _DATE_OR_NULL,
        "responsibilities": {"type": "array", "items": _TEXT},
        "terms": {"type": "array", "items": _TEXT},
        "performance": _TEXT,
        "perform_by": _DATE_OR_NULL,
        "oral": {"type": "boolean"},
        "outcome_note": _TEXT,
        "parties": {"type": "array", "items": _PARTY},
        "sessions": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["position", "held_on", "place", "mediators", "present", "record"],
                "properties": {
                    "position": _INT,
                    "held_on": _DATE,
                    "place": _TEXT,
                    "mediators": {"type": "array", "items": _TEXT},
                    "present": _TEXT,
                    "record": _TEXT,
                },
            },
        },
        "follow_ups": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "party_position",
                    "visited_on",
                    "performance",
                    "satisfaction",
                    "visitor",
                    "note",
                ],
                "properties": {
                    "party_position": _INT,
                    "visited_on": _DATE,
                    "performance": {"enum": list(rules.PERFORMANCES)},
                    "satisfaction": {"enum": list(rules.ANSWERS)},
                    "visitor": _TEXT,
                    "note": _TEXT,
                },
            },
        },
    },
}

_COUNTS = {
    "type": "object",
    "properties": {
        "month": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}$"},
        "received": _INT,
        "closed": _INT,
        "on_time": _INT,
        "answers": _INT,
        "satisfied": _INT,
    },
    "required": ["month", "received", "closed", "on_time", "answers", "satisfied"],
}
_DISPUTES = {
    "type": "object",
    "properties": {
        "month": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}$"},
        "received": _INT,
        "concluded": _INT,
        "resolved": _INT,
    },
    "required": ["month", "received", "concluded", "resolved"],
}
# The period's figures for the county; the ledgers and the summary PDF belong to this record. Its id
# is the year for a whole year, else the first day as YYYYMMDD.
PERIOD_SCHEMA: dict[str, JsonValue] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "The period's petition and mediation figures",
    "type": "object",
    "properties": {
        "id": _INT,
        "start": _DATE,
        "end": _DATE,
        "ledgers": {"type": "object", "additionalProperties": {"type": "array", "items": _COUNTS}},
        "ledger_totals": {"type": "object", "additionalProperties": _COUNTS},
        "mediations": {"type": "array", "items": _DISPUTES},
        "mediation_total": {"anyOf": [_DISPUTES, {"type": "null"}]},
    },
    "required": ["id", "start", "end", "ledgers", "ledger_totals", "mediations", "mediation_total"],
    "additionalProperties": False,
}

# The contract's form (kind -> (version, schema)): a package of a newer version is refused.
SCHEMAS: dict[str, tuple[int, dict[str, JsonValue]]] = {
    PETITION: (SCHEMA_VERSION, PETITION_SCHEMA),
    MEDIATION: (SCHEMA_VERSION, MEDIATION_SCHEMA),
    PERIOD: (SCHEMA_VERSION, PERIOD_SCHEMA),
}


# The fields equal to the audit snapshot of the row. A complaint's petitioner is withheld here (null),
# and its words are stored already without the complainant's name; steps and parties are nested rows.
PETITION_FIELDS = (
    "id", "number", "ledger", "channel", "received_on", "subject", "content", "villager_id", "anonymous",
    "departments", "state", "next_step", "round", "due_on", "closed_on", "satisfaction",
)  # fmt: skip
MEDIATION_FIELDS = (
    "id", "number", "kind", "received_on", "facts", "disputed", "due_on", "outcome", "concluded_on",
    "performance", "perform_by", "oral", "outcome_note",
)  # fmt: skip


def _period_id(period: Period) -> int:
    if period.start == date(period.start.year, 1, 1) and period.end == date(period.start.year, 12, 31):
        return period.start.year
    return int(period.start.strftime("%Y%m%d"))


def _month_text(month: date | None) -> str | None:
    return month.strftime("%Y-%m") if month else None


def _counts(f: rules.LedgerFigures) -> dict[str, JsonValue]:
    return {
        "month": _month_text(f.month),
        "received": f.received,
        "closed": f.closed,
        "on_time": f.on_time,
        "answers": f.answers,
        "satisfied": f.satisfied,
    }


def _disputes(f: rules.MediationFigures) -> dict[str, JsonValue]:
    return {
        "month": _month_text(f.month),
        "received": f.received,
        "concluded": f.concluded,
        "resolved": f.resolved,
    }


def _period_record(period: Period, f: rules.Figures) -> dict[str, JsonValue]:
    return {
        "id": _period_id(period),
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "ledgers": {ledger: [_counts(m) for m in months] for ledger, months in f.ledgers.items()},
        "ledger_totals": {ledger or "all": _counts(t) for ledger, t in f.ledger_totals.items()},
        "mediations": [_disputes(m) for m in f.mediations],
        "mediation_total": _disputes(f.mediation_total) if f.mediation_total else None,
    }


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _petition_record(d: service.PetitionDetail) -> dict[str, Any]:
    named = d.ledger != rules.COMPLAINT and not d.anonymous
    if d.ledger == rules.COMPLAINT and d.petitioner_visible:
        # Exported by the secretary: the complaint's own words lose the name and phone here too.
        d = replace(
            d,
            subject=service.redact(d.subject, d.petitioner, d.contact),
            content=service.redact(d.content, d.petitioner, d.contact),
            steps=tuple(replace(s, note=service.redact(s.note, d.petitioner, d.contact)) for s in d.steps),
        )
    return {
        "id": d.id,
        "number": d.number,
        "ledger": d.ledger,
        "channel": d.channel,
        "received_on": d.received_on.isoformat(),
        "subject": d.subject,
        "content": d.content,
        "villager_id": d.villager_id if named else None,
        "petitioner": d.petitioner if named else None,
        "anonymous": d.anonymous,
        "departments": d.departments,
        "state": d.state,
        "next_step": d.next_step,
        "due_on": _day(d.due_on),
        "closed_on": _day(d.closed_on),
        "satisfaction": d.satisfaction,
        "round": d.round,
        "on_time": d.on_time,
        "steps": [
            {
                "position": s.position,
                "round": s.round,
                "step": s.step,
                "done_on": s.done_on.isoformat(),
                "done_by": s.done_by,
                "note": s.note,
                "assignee": s.assignee,
                "satisfaction": s.satisfaction,
                "due_on": _day(s.due_on),
                "on_time": s.on_time,
                "recorded_by": s.recorded_by,
            }
            for s in d.steps
        ],
    }


def _mediation_record(d: service.MediationDetail) -> dict[str, Any]:
    return {
        "id": d.id,
        "number": d.number,
        "kind": d.kind,
        "received_on": d.received_on.isoformat(),
        "facts": d.facts,
        "disputed": d.disputed,
        "mediators": list(d.mediators),
        "due_on": d.due_on.isoformat(),
        "outcome": d.outcome,
        "concluded_on": _day(d.concluded_on),
        "responsibilities": list(d.responsibilities),
        "terms": list(d.terms),
        "performance": d.performance,
        "perform_by": _day(d.perform_by),
        "oral": d.oral,
        "outcome_note": d.outcome_note,
        "parties": [
            {
                "position": p.position,
                "villager_id": p.villager_id,
                "name": p.name,
                "gender": p.gender,
                "birth_date": _day(p.birth_date),
                "id_number": p.id_number,
                "address": p.address,
                "phone": p.phone,
            }
            for p in d.parties
        ],
        "sessions": [
            {
                "position": s.position,
                "held_on": s.held_on.isoformat(),
                "place": s.place,
                "mediators": list(s.mediators),
                "present": s.present,
                "record": s.record,
            }
            for s in d.sessions
        ],
        "follow_ups": [
            {
                "party_position": v.party_position,
                "visited_on": v.visited_on.isoformat(),
                "performance": v.performance,
                "satisfaction": v.satisfaction,
                "visitor": v.visitor,
                "note": v.note,
            }
            for v in d.follow_ups
        ],
    }


def _petitions(actor: Actor, period: Period) -> list[service.PetitionDetail]:
    """Received in the period, or written by an audit entry of it (a step, an attachment)."""
    from villagegov.petitions import models as m

    written = touched_rows(actor, period, m.Petition)
    for model in (m.PetitionStep, m.PetitionAttachment):
        written |= touched_rows(actor, period, model, model.petition)
    rows = service.list_petitions(actor, today=period.end)
    inside = sorted(
        (r for r in rows if r.received_on in period or r.id in written), key=lambda r: (r.received_on, r.id)
    )
    return [service.get_petition(actor, r.id, period.end) for r in inside]


def _mediations(actor: Actor, period: Period) -> list[service.MediationDetail]:
    """Registered in the period, or written by an audit entry of it (a session, an outcome, a visit)."""
    from villagegov.petitions import models as m

    written = touched_rows(actor, period, m.Mediation)
    for model in (m.MediationParty, m.MediationSession, m.MediationFollowUp):
        written |= touched_rows(actor, period, model, model.mediation)
    rows = service.list_mediations(actor, today=period.end)
    inside = sorted(
        (r for r in rows if r.received_on in period or r.id in written), key=lambda r: (r.received_on, r.id)
    )
    return [service.get_mediation(actor, r.id) for r in inside]


@in_document_language  # the archive's words are Chinese whatever the screen speaks
def records(actor: Actor, period: Period) -> list[RecordSet]:
    return [
        RecordSet(
            PETITION,
            SCHEMA_VERSION,
            PETITION_SCHEMA,
            tuple(_petition_record(d) for d in _petitions(actor, period)),
            personal_data=True,
            entity="petition",
            audited_fields=PETITION_FIELDS,
        ),
        RecordSet(
            MEDIATION,
            SCHEMA_VERSION,
            MEDIATION_SCHEMA,
            tuple(_mediation_record(d) for d in _mediations(actor, period)),
            personal_data=True,
            entity="mediation",
            audited_fields=MEDIATION_FIELDS,
        ),
        RecordSet(
            PERIOD,
            SCHEMA_VERSION,
            PERIOD_SCHEMA,
            (_period_record(period, service.figures(actor, period.start, period.end)),),
            personal_data=False,
        ),
    ]


def _period_name(period: Period) -> str:
    if period.start == date(period.start.year, 1, 1) and period.end == date(period.start.year, 12, 31):
        return str(period.start.year)
    return f"{period.start.isoformat()}_{period.end.isoformat()}"


def documents(actor: Actor, period: Period) -> list[ArchiveDocument]:
    name = _period_name(period)
    when = pdf.period_text(period.start, period.end)

    def ledger() -> OfficialDocument:
        return pdf.ledger_document(service.ledger_document(actor, period.start, period.end, today=period.end))

    def summary() -> OfficialDocument:
        return pdf.summary_document(service.summary_document(actor, period.start, period.end, period.end))

    found = [
        ArchiveDocument(
            f"petitions/ledger-{name}.pdf",
            f"民情三本账登记簿（{when}）",
            PERIOD,
            _period_id(period),
            period.end,
            personal_data=True,
            build=ledger,
        ),
        ArchiveDocument(
            f"petitions/summary-{name}.pdf",
            f"民情三本账和矛盾纠纷调处情况统计（{when}）",
            PERIOD,
            _period_id(period),
            period.end,
            personal_data=False,
            build=summary,
        ),
    ]
    for d in _petitions(actor, period):
        told = next((s.done_on for s in d.steps if s.step == rules.ACKNOWLEDGE), None)
        if told is None or told not in period or d.anonymous:
            continue
        found.append(
            ArchiveDocument(
                f"petitions/acceptance-notice-{d.id}.pdf",
                f"受理告知书 {d.number}",
                PETITION,
                d.id,
                told,
                personal_data=d.ledger != rules.COMPLAINT,
                build=_acknowledgement(actor, d.id),
            )
        )
    for m in _mediations(actor, period):
        if m.outcome == rules.AGREEMENT and m.concluded_on is not None and m.concluded_on in period:
            found.append(
                ArchiveDocument(
                    f"petitions/mediation-agreement-{m.id}.pdf",
                    f"人民调解协议书 {m.number}",
                    MEDIATION,
                    m.id,
                    m.concluded_on,
                    personal_data=True,
                    build=_agreement(actor, m.id),
                )
            )
    return found


def _acknowledgement(actor: Actor, petition_id: int) -> Callable[[], OfficialDocument]:
    return lambda: pdf.acknowledgement_document(service.acknowledgement_document(actor, petition_id))


def _agreement(actor: Actor, mediation_id: int) -> Callable[[], OfficialDocument]:
    return lambda: pdf.agreement_document(service.agreement_document(actor, mediation_id))


# --- the township's review ---------------------------------------------------------------------------

FOLLOW_UP_DAYS = 30  # an agreement's performance is visited within a month of its performance date


def review(records: dict[str, list[dict[str, Any]]], as_of: date | None = None) -> list[ReviewFinding]:
    """What a township reviewer should look at in a package's petitions and mediations (pure).

    A petition whose next step is overdue, steps done after their deadline, a dissatisfied answer, a
    petition closed without the secretary's check (书记把关) and closing on record; a mediation not
    concluded by its due day, an agreement never followed up a month after it was to be performed (or
    concluded), or found not performed at a visit.
    """
    found: list[ReviewFinding] = []
    for p in records.get(PETITION, []):
        which = {"petition": p["number"], "ledger": rules.ledger_label(p["ledger"])}

        def add(msgid: str, at: int = p["id"], base: dict[str, Any] = which, **params: JsonValue) -> None:
            found.append(ReviewFinding(PETITION, at, msgid, {**base, **params}))

        if p["state"] == rules.OPEN and p["due_on"] and as_of is not None and p["due_on"] < as_of.isoformat():
            add(
                N_("{ledger} {petition}: “{step}” was due on {due} and is overdue."),
                step=rules.step_label(p["next_step"]) if p["next_step"] else "",
                due=p["due_on"],
            )
        late = [s for s in p["steps"] if not s["on_time"]]
        if late:
            add(
                N_("{ledger} {petition}: {steps} done after the deadline."),
                steps=_("、").join(f"“{rules.step_label(s['step'])}” {s['done_on']}" for s in late),
            )
        for s in p["steps"]:
            if s["step"] == rules.CONSULT and s["satisfaction"] == rules.DISSATISFIED:
                add(
                    N_("{ledger} {petition}: the villager answered “dissatisfied” on {date}."),
                    date=s["done_on"],
                )
        if p["state"] == rules.CLOSED:
            last_round = [s["step"] for s in p["steps"] if s["round"] == p["round"]]
            missing = [step for step in (rules.CHECK, rules.CLOSE) if step not in last_round]
            if missing:
                add(
                    N_("{ledger} {petition} is closed without the secretary's {steps} on record."),
                    steps=_("、").join(f"“{rules.step_label(step)}”" for step in missing),
                )
    for m in records.get(MEDIATION, []):
        which = {"mediation": m["number"]}

        def note(msgid: str, at: int = m["id"], base: dict[str, Any] = which, **params: JsonValue) -> None:
            found.append(ReviewFinding(MEDIATION, at, msgid, {**base, **params}))

        for v in m["follow_ups"]:
            if v["performance"] == rules.NOT_PERFORMED:
                note(
                    N_("Mediation {mediation}: the agreement was found not performed on {date}."),
                    date=v["visited_on"],
                )
        if as_of is None:
            continue
        if not m["outcome"] and m["due_on"] < as_of.isoformat():
            note(N_("Mediation {mediation} was due to be concluded by {due} and is not."), due=m["due_on"])
        if m["outcome"] == rules.AGREEMENT and m["concluded_on"] and not m["follow_ups"]:
            since = m["perform_by"] or m["concluded_on"]
            days = (as_of - date.fromisoformat(since)).days
            if days > FOLLOW_UP_DAYS:
                note(
                    N_(
                        "Mediation {mediation}: the agreement of {date} has had no follow-up visit "
                        "({days} days)."
                    ),
                    date=m["concluded_on"],
                    days=days,
                )
    return found
