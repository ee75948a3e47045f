"""What the 四议两公开 room gives the yearly archive package (villagegov/archive/contract.py).

Two kinds of record: `decisions` (one a matter: what it is, where it stands, its rounds, the work
done) and `decision_steps` (one a step record, corrected ones included, with who took part and the
supervisory committee's sign-offs and concerns). A matter belongs to a period when anything of it is
dated inside the period, so a matter running over the new year appears in both years' packages, as
it stood. One document a matter: its dossier (一事一档), printed as `decisions/<number>.pdf`.

The disclosures' notices themselves are the 村务公开 room's records; a step refers to its notice by id.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from villagegov.archive.contract import ArchiveDocument, JsonValue, Period, RecordSet
from villagegov.core import voting
from villagegov.core.actor import Actor
from villagegov.decisions import pdf, rules, service
from villagegov.printing.document import OfficialDocument

DECISIONS, STEPS = "decisions", "decision_steps"
SCHEMA_VERSION = 1

_DATE = {"type": "string", "format": "date"}
_OPTIONAL_DATE = {"type": ["string", "null"], "format": "date"}
_OPTIONAL_INT = {"type": ["integer", "null"]}
_TEXT = {"type": "string"}
_FRACTION = {"type": ["string", "null"], "pattern": r"^\d+/\d+( strict)?$"}

DECISION_SCHEMA: dict[str, JsonValue] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "四议两公开 decision (a major village matter)",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "id",
        "number",
        "year",
        "title",
        "kind",
        "amount_fen",
        "background",
        "opened_on",
        "state",
        "step",
        "round",
        "rounds",
        "ended_on",
        "end_reason",
        "work_started_on",
        "work_ended_on",
        "work_done",
        "spent_fen",
        "created_by",
        "attachments",
    ],
    "properties": {
        "id": {"type": "integer"},
        "number": _TEXT,
        "year": {"type": "integer"},
        "title": _TEXT,
        "kind": {"enum": list(rules.KINDS)},
        "amount_fen": _OPTIONAL_INT,
        "background": _TEXT,
        "opened_on": _DATE,
        "state": {"enum": list(rules.STATES)},
        "step": {"enum": list(rules.STEPS)},
        "round": {"type": "integer", "minimum": 1},
        "rounds": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["number", "started_on", "reason"],
                "properties": {"number": {"type": "integer"}, "started_on": _DATE, "reason": _TEXT},
            },
        },
        "ended_on": _OPTIONAL_DATE,
        "end_reason": _TEXT,
        "work_started_on": _OPTIONAL_DATE,
        "work_ended_on": _OPTIONAL_DATE,
        "work_done": _TEXT,
        "spent_fen": _OPTIONAL_INT,
        "created_by": _TEXT,
        "attachments": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["file_name", "media_type", "size", "sha256"],
                "properties": {
                    "file_name": _TEXT,
                    "media_type": _TEXT,
                    "size": {"type": "integer"},
                    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                },
            },
        },
    },
}

_PERSON = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "kind", "present", "note"],
    "properties": {"name": _TEXT, "kind": _TEXT, "present": {"type": "boolean"}, "note": _TEXT},
}

STEP_SCHEMA: dict[str, JsonValue] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "四议两公开 step record",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "id",
        "decision_id",
        "round",
        "step",
        "body",
        "date",
        "place",
        "chair",
        "recorder",
        "notified_on",
        "joint",
        "expected",
        "present",
        "recused",
        "for",
        "against",
        "abstain",
        "households",
        "households_present",
        "representatives",
        "women_representatives",
        "outcome",
        "needed",
        "pass_threshold",
        "pass_base",
        "party_quorum",
        "summary",
        "text",
        "members",
        "observers",
        "council_agenda_item_id",
        "notice_id",
        "period_end",
        "completed_on",
        "superseded_by",
        "correction_reason",
        "created_by",
        "supervision",
    ],
    "properties": {
        "id": {"type": "integer"},
        "decision_id": {"type": "integer"},
        "round": {"type": "integer", "minimum": 1},
        "step": {"enum": list(rules.STEPS)},
        "body": _TEXT,
        "date": _OPTIONAL_DATE,
        "place": _TEXT,
        "chair": _TEXT,
        "recorder": _TEXT,
        "notified_on": _OPTIONAL_DATE,
        "joint": {"type": "boolean"},
        "expected": _OPTIONAL_INT,
        "present": _OPTIONAL_INT,
        "recused": {"type": "integer"},
        "for": _OPTIONAL_INT,
        "against": _OPTIONAL_INT,
        "abstain": _OPTIONAL_INT,
        "households": _OPTIONAL_INT,
        "households_present": _OPTIONAL_INT,
        "representatives": _OPTIONAL_INT,
        "women_representatives": _OPTIONAL_INT,
        "outcome": {"enum": [*voting.RESULTS, *rules.OUTCOME_LABELS]},
        "needed": _OPTIONAL_INT,
        "pass_threshold": _FRACTION,
        "pass_base": _TEXT,
        "party_quorum": _FRACTION,
        "summary": _TEXT,
        "text": _TEXT,
        "members": {"type": "array", "items": _PERSON},
        "observers": {"type": "array", "items": _PERSON},
        "council_agenda_item_id": _OPTIONAL_INT,
        "notice_id": _OPTIONAL_INT,
        "period_end": _OPTIONAL_DATE,
        "completed_on": _OPTIONAL_DATE,
        "superseded_by": _OPTIONAL_INT,
        "correction_reason": _TEXT,
        "created_by": _TEXT,
        "supervision": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["kind", "text", "on", "by", "answer", "answered_on", "answered_by"],
                "properties": {
                    "kind": {"enum": list(service.SUPERVISION_KINDS)},
                    "text": _TEXT,
                    "on": _DATE,
                    "by": _TEXT,
                    "answer": _TEXT,
                    "answered_on": _OPTIONAL_DATE,
                    "answered_by": _TEXT,
                },
            },
        },
    },
}

# The contract's form (kind -> (version, schema)): a package of a newer version is refused.
SCHEMAS: dict[str, tuple[int, dict[str, JsonValue]]] = {
    DECISIONS: (SCHEMA_VERSION, DECISION_SCHEMA),
    STEPS: (SCHEMA_VERSION, STEP_SCHEMA),
}


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _fraction(threshold: voting.Threshold | None) -> str | None:
    if threshold is None:
        return None
    return voting.fraction_text(threshold.fraction) + (" strict" if threshold.strict else "")


def _decision(d: service.DecisionDetail) -> dict[str, Any]:
    return {
        "id": d.id, "number": d.number, "year": d.year, "title": d.title, "kind": d.kind,
        "amount_fen": d.amount_fen, "background": d.background, "opened_on": d.opened_on.isoformat(),
        "state": d.state, "step": d.progress.step, "round": d.round,
        "rounds": [{"number": r.number, "started_on": r.started_on.isoformat(), "reason": r.reason}
                   for r in d.rounds],
        "ended_on": _day(d.ended_on), "end_reason": d.end_reason, "work_started_on": _day(d.work_started_on),
        "work_ended_on": _day(d.work_ended_on), "work_done": d.work_done, "spent_fen": d.spent_fen,
        "created_by": d.created_by,
        "attachments": [
            {"file_name": a.file_name, "media_type": a.media_type, "size": a.size, "sha256": a.sha256}
            for a in d.attachments
        ],
    }  # fmt: skip


def _person(p: service.PersonRow) -> dict[str, Any]:
    return {"name": p.name, "kind": p.kind, "present": p.present, "note": p.note}


def _step(decision_id: int, s: service.StepRow) -> dict[str, Any]:
    return {
        "id": s.id, "decision_id": decision_id, "round": s.round, "step": s.step, "body": s.body,
        "date": _day(s.date), "place": s.place, "chair": s.chair, "recorder": s.recorder,
        "notified_on": _day(s.notified_on), "joint": s.joint, "expected": s.expected, "present": s.present,
        "recused": s.recused, "for": s.for_, "against": s.against, "abstain": s.abstain,
        "households": s.households, "households_present": s.households_present,
        "representatives": s.representatives, "women_representatives": s.women_representatives,
        "outcome": s.outcome, "needed": s.needed, "pass_threshold": _fraction(s.pass_threshold),
        "pass_base": s.pass_base, "party_quorum": _fraction(s.quorum), "summary": s.summary, "text": s.text,
        "members": [_person(p) for p in s.members], "observers": [_person(p) for p in s.observers],
        "council_agenda_item_id": s.council.item_id if s.council else None, "notice_id": s.notice_id,
        "period_end": _day(s.period_end), "completed_on": _day(s.completed_on),
        "superseded_by": s.superseded_by, "correction_reason": s.correction_reason,
        "created_by": s.created_by,
        "supervision": [
            {"kind": v.kind, "text": v.text, "on": v.on.isoformat(), "by": v.by, "answer": v.answer,
             "answered_on": _day(v.answered_on), "answered_by": v.answered_by}
            for v in s.supervision
        ],
    }  # fmt: skip


def records(actor: Actor, period: Period) -> list[RecordSet]:
    details = service.decisions_between(actor, period.start, period.end)
    return [
        RecordSet(DECISIONS, SCHEMA_VERSION, DECISION_SCHEMA, tuple(_decision(d) for d in details), False),
        RecordSet(
            STEPS, SCHEMA_VERSION, STEP_SCHEMA, tuple(_step(d.id, s) for d in details for s in d.steps), False
        ),
    ]


def file_name(number: str, decision_id: int) -> str:
    """decisions/2026-003.pdf: ASCII only, from the dossier number 〔2026〕事字第3号."""
    digits = [part for part in "".join(c if c.isdigit() else " " for c in number).split() if part]
    if len(digits) >= 2:
        return f"decisions/{digits[0]}-{int(digits[1]):03d}.pdf"
    return f"decisions/decision-{decision_id}.pdf"


def documents(actor: Actor, period: Period) -> list[ArchiveDocument]:
    out = []
    for d in service.decisions_between(actor, period.start, period.end):

        def build(decision_id: int = d.id) -> OfficialDocument:
            # Printed as the record stands on the day of the export, and signed that day.
            return pdf.dossier_document(service.dossier(actor, decision_id))

        out.append(
            ArchiveDocument(
                name=file_name(d.number, d.id),
                title=f"{d.title}（一事一档）",
                record_kind=DECISIONS,
                record_id=d.id,
                on=d.ended_on or d.last_date,
                personal_data=True,
                build=build,
            )
        )
    return out
