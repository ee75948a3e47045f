"""What 矛盾纠纷调处 gives the yearly archive (through the room's archiving.py): every dispute of the
period with its parties, sessions, outcome and follow-up visits, its agreements, and what a township
reviewer should look at.

The records hold every dispute registered in the period and every one an audit entry of the period
wrote (a session, an outcome, a visit).
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
from villagegov.core.actor import Actor
from villagegov.core.i18n import N_
from villagegov.petitions import mediation_rules as rules
from villagegov.petitions.petition_archiving import DATE, DATE_OR_NULL, INT, SCHEMA_VERSION, TEXT, day
from villagegov.petitions.petition_rules import ANSWERS

if TYPE_CHECKING:
    from villagegov.petitions import documents as documents_table
    from villagegov.petitions import mediation_service as service
    from villagegov.petitions.mediation_records import MediationDetail
    from villagegov.printing.document import OfficialDocument
else:  # imported when first used: verifying a package needs only the schemas
    documents_table = LazyModule("villagegov.petitions.documents")
    service = LazyModule("villagegov.petitions.mediation_service")

MEDIATION = "mediation"

_PARTY = {
    "type": "object",
    "additionalProperties": False,
    "required": ["position", "villager_id", "name", "gender", "birth_date", "id_number", "address", "phone"],
    "properties": {
        "position": INT,
        "villager_id": {"type": ["integer", "null"]},
        "name": TEXT,
        "gender": {"enum": ["", "male", "female"]},
        "birth_date": DATE_OR_NULL,
        "id_number": TEXT,
        "address": TEXT,
        "phone": TEXT,
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
        "id": INT,
        "number": TEXT,
        "kind": {"enum": list(rules.KINDS)},
        "received_on": DATE,
        "facts": TEXT,
        "disputed": TEXT,
        "mediators": {"type": "array", "items": TEXT},
        "due_on": DATE,
        "outcome": {"enum": ["", *rules.OUTCOMES]},
        "concluded_on": DATE_OR_NULL,
        "responsibilities": {"type": "array", "items": TEXT},
        "terms": {"type": "array", "items": TEXT},
        "performance": TEXT,
        "perform_by": DATE_OR_NULL,
        "oral": {"type": "boolean"},
        "outcome_note": TEXT,
        "parties": {"type": "array", "items": _PARTY},
        "sessions": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["position", "held_on", "place", "mediators", "present", "record"],
                "properties": {
                    "position": INT,
                    "held_on": DATE,
                    "place": TEXT,
                    "mediators": {"type": "array", "items": TEXT},
                    "present": TEXT,
                    "record": TEXT,
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
                    "party_position": INT,
                    "visited_on": DATE,
                    "performance": {"enum": list(rules.PERFORMANCES)},
                    "satisfaction": {"enum": list(ANSWERS)},
                    "visitor": TEXT,
                    "note": TEXT,
                },
            },
        },
    },
}


# The fields equal to the audit snapshot of the row; parties, sessions and visits are nested rows.
MEDIATION_FIELDS = (
    "id", "number", "kind", "received_on", "facts", "disputed", "due_on", "outcome", "concluded_on",
    "performance", "perform_by", "oral", "outcome_note",
)  # fmt: skip


def _mediation_record(d: MediationDetail) -> dict[str, Any]:
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
        "concluded_on": day(d.concluded_on),
        "responsibilities": list(d.responsibilities),
        "terms": list(d.terms),
        "performance": d.performance,
        "perform_by": day(d.perform_by),
        "oral": d.oral,
        "outcome_note": d.outcome_note,
        "parties": [
            {
                "position": p.position,
                "villager_id": p.villager_id,
                "name": p.name,
                "gender": p.gender,
                "birth_date": day(p.birth_date),
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


def _mediations(actor: Actor, period: Period) -> list[MediationDetail]:
    """Registered in the period, or written by an audit entry of it (a session, an outcome, a visit)."""
    from villagegov.petitions import mediation_models as m

    written = touched_rows(actor, period, m.Mediation)
    for model in (m.MediationParty, m.MediationSession, m.MediationFollowUp):
        written |= touched_rows(actor, period, model, model.mediation)
    rows = service.list_mediations(actor, today=period.end)
    inside = sorted(
        (r for r in rows if r.received_on in period or r.id in written), key=lambda r: (r.received_on, r.id)
    )
    return [service.get_mediation(actor, r.id) for r in inside]


def record_set(actor: Actor, period: Period) -> RecordSet:
    """The period's disputes (the caller speaks the archive's Chinese)."""
    return RecordSet(
        MEDIATION,
        SCHEMA_VERSION,
        MEDIATION_SCHEMA,
        tuple(_mediation_record(d) for d in _mediations(actor, period)),
        personal_data=True,
        entity="mediation",
        audited_fields=MEDIATION_FIELDS,
    )


def documents(actor: Actor, period: Period) -> list[ArchiveDocument]:
    """Each agreement made in the period."""
    found = []
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
                    build=_agreement(actor, m.id, period.end),
                )
            )
    return found


def _agreement(actor: Actor, mediation_id: int, today: date) -> Callable[[], OfficialDocument]:
    return lambda: documents_table.agreement(actor, mediation_id, a4(), today)


# --- the township's review ---------------------------------------------------------------------------

FOLLOW_UP_DAYS = 30  # an agreement's performance is visited within a month of its performance date


def review(records: dict[str, list[dict[str, Any]]], as_of: date | None = None) -> list[ReviewFinding]:
    """A mediation not concluded by its due day, an agreement never followed up a month after it was to
    be performed (or concluded), or found not performed at a visit (pure)."""
    found: list[ReviewFinding] = []
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
