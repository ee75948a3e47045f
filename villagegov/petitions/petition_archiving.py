"""What 民情三本账 gives the yearly archive (through the room's archiving.py): every petition of the
period with all its steps, its acceptance notices, and what a township reviewer should look at.

A complainant is never named in the archive, whoever exports it: the township reads these packages,
and only the village's secretary may know who complained (the village's own database keeps the
name). The records hold every petition received in the period and every one an audit entry of the
period wrote (a December petition closed in January is in both years).
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
    a4,
    touched_rows,
)
from villagegov.core.actor import Actor
from villagegov.core.i18n import N_, _
from villagegov.petitions import petition_rules as rules

if TYPE_CHECKING:
    from villagegov.petitions import documents as documents_table
    from villagegov.petitions import petition_service as service
    from villagegov.petitions.petition_records import PetitionDetail
    from villagegov.printing.document import OfficialDocument
else:  # imported when first used: verifying a package needs only the schemas
    documents_table = LazyModule("villagegov.petitions.documents")
    service = LazyModule("villagegov.petitions.petition_service")

PETITION = "petition"
SCHEMA_VERSION = 1

DATE = {"type": "string", "format": "date"}
DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}
TEXT = {"type": "string"}
INT = {"type": "integer"}

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
        "id": INT,
        "number": TEXT,
        "ledger": {"enum": list(rules.LEDGERS)},
        "channel": {"enum": list(rules.CHANNELS)},
        "received_on": DATE,
        "subject": TEXT,
        "content": TEXT,
        "villager_id": {"type": ["integer", "null"]},
        "petitioner": {
            "type": ["string", "null"],
            "description": "null for every complaint and when anonymous",
        },
        "anonymous": {"type": "boolean"},
        "departments": {"type": "boolean"},
        "state": {"enum": [rules.OPEN, rules.CLOSED]},
        "next_step": {"enum": ["", *rules.STEPS]},
        "due_on": DATE_OR_NULL,
        "closed_on": DATE_OR_NULL,
        "satisfaction": {"enum": ["", *rules.ANSWERS, rules.NOT_ASKED]},
        "round": INT,
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
                    "position": INT,
                    "round": INT,
                    "step": {"enum": list(rules.STEPS)},
                    "done_on": DATE,
                    "done_by": TEXT,
                    "note": TEXT,
                    "assignee": TEXT,
                    "satisfaction": {"enum": ["", *rules.ANSWERS, rules.NOT_ASKED]},
                    "due_on": DATE_OR_NULL,
                    "on_time": {"type": "boolean"},
                    "recorded_by": TEXT,
                },
            },
        },
    },
}


# The fields equal to the audit snapshot of the row. A complaint's petitioner is withheld here (null),
# and its words are stored already without the complainant's name; steps are nested rows.
PETITION_FIELDS = (
    "id", "number", "ledger", "channel", "received_on", "subject", "content", "villager_id", "anonymous",
    "departments", "state", "next_step", "round", "due_on", "closed_on", "satisfaction",
)  # fmt: skip


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _petition_record(d: PetitionDetail) -> dict[str, Any]:
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
        "due_on": day(d.due_on),
        "closed_on": day(d.closed_on),
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
                "due_on": day(s.due_on),
                "on_time": s.on_time,
                "recorded_by": s.recorded_by,
            }
            for s in d.steps
        ],
    }


def _petitions(actor: Actor, period: Period) -> list[PetitionDetail]:
    """Received in the period, or written by an audit entry of it (a step, an attachment)."""
    from villagegov.petitions import petition_models as m

    written = touched_rows(actor, period, m.Petition)
    for model in (m.PetitionStep, m.PetitionAttachment):
        written |= touched_rows(actor, period, model, model.petition)
    rows = service.list_petitions(actor, today=period.end)
    inside = sorted(
        (r for r in rows if r.received_on in period or r.id in written), key=lambda r: (r.received_on, r.id)
    )
    return [service.get_petition(actor, r.id, period.end) for r in inside]


def record_set(actor: Actor, period: Period) -> RecordSet:
    """The period's petitions (the caller speaks the archive's Chinese)."""
    return RecordSet(
        PETITION,
        SCHEMA_VERSION,
        PETITION_SCHEMA,
        tuple(_petition_record(d) for d in _petitions(actor, period)),
        personal_data=True,
        entity="petition",
        audited_fields=PETITION_FIELDS,
    )


def documents(actor: Actor, period: Period) -> list[ArchiveDocument]:
    """Each acceptance notice given in the period (an anonymous complaint has none)."""
    found = []
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
                build=_acknowledgement(actor, d.id, period.end),
            )
        )
    return found


def _acknowledgement(actor: Actor, petition_id: int, today: date) -> Callable[[], OfficialDocument]:
    return lambda: documents_table.acknowledgement(actor, petition_id, a4(), today)


# --- the township's review ---------------------------------------------------------------------------


def review(records: dict[str, list[dict[str, Any]]], as_of: date | None = None) -> list[ReviewFinding]:
    """A petition whose next step is overdue, steps done after their deadline, a dissatisfied answer, a
    petition closed without the secretary's check (书记把关) and closing on record (pure)."""
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
    return found
