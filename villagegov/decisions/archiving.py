"""What the 四议两公开 room gives the yearly archive package (villagegov/archive/contract.py).

Two kinds of record: `decisions` (one a matter: what it is, where it stands, its rounds, the work
done) and `decision_steps` (one a step record, corrected ones included, with who took part and the
supervisory committee's sign-offs and concerns). A matter belongs to a period when anything of it is
dated inside the period, so a matter running over the new year appears in both years' packages, as
it stood. One document a matter: its dossier (一事一档), printed as `decisions/<number>.pdf`.

The disclosures' notices themselves are the 村务公开 room's records; a step refers to its notice by id.

Both kinds name their audited table, so verify compares them with the rows' last audited state; a
matter an audit entry of the period wrote (a concern answered in January about a December step) is
in the records too.
"""

from __future__ import annotations

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
from villagegov.core import clock, voting
from villagegov.core.actor import Actor
from villagegov.core.i18n import N_, _
from villagegov.decisions import rules

if TYPE_CHECKING:
    from villagegov.decisions import documents as documents_table
    from villagegov.decisions import records as plain
    from villagegov.decisions import service
    from villagegov.printing.document import OfficialDocument
else:  # imported when first used: verifying a package needs only the schemas
    documents_table = LazyModule("villagegov.decisions.documents")
    service = LazyModule("villagegov.decisions.service")

DECISIONS, STEPS = "decisions", "decision_steps"
SUPERVISION_KINDS, CONCERN = rules.SUPERVISION_KINDS, rules.CONCERN
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
                    "kind": {"enum": list(SUPERVISION_KINDS)},
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


# The fields equal to the audit snapshot of the row ("key:column" where named otherwise). A step's
# "date" is not its held_on: a disclosure under way shows its notice's posting date.
DECISION_FIELDS = (
    "id", "number", "year", "title", "kind", "amount_fen", "background", "opened_on", "state", "round",
    "ended_on", "end_reason", "work_started_on", "work_ended_on", "work_done", "spent_fen", "created_by",
)  # fmt: skip
STEP_FIELDS = (
    "id", "decision_id:decision", "round", "step", "body", "place", "chair", "recorder", "notified_on",
    "joint", "expected", "present", "recused", "for:for_", "against", "abstain", "households",
    "households_present", "representatives", "women_representatives", "outcome", "needed", "pass_base",
    "summary", "text", "council_agenda_item_id:agenda_item", "notice_id", "period_end", "completed_on",
    "superseded_by", "correction_reason", "created_by",
)  # fmt: skip


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _fraction(threshold: voting.Threshold | None) -> str | None:
    if threshold is None:
        return None
    return voting.fraction_text(threshold.fraction) + (" strict" if threshold.strict else "")


def _decision(d: plain.DecisionDetail) -> dict[str, Any]:
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


def _person(p: plain.PersonRow) -> dict[str, Any]:
    return {"name": p.name, "kind": p.kind, "present": p.present, "note": p.note}


def _step(decision_id: int, s: plain.StepRow) -> dict[str, Any]:
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


def _touched(actor: Actor, period: Period) -> set[int]:
    """Matters an audit entry of the period wrote, or wrote a part of (a step, its people, supervision)."""
    from villagegov.decisions import models as m

    ids = touched_rows(actor, period, m.Decision)
    for model in (m.DecisionRound, m.DecisionStep, m.DecisionAttachment):
        ids |= touched_rows(actor, period, model, model.decision)
    steps = touched_rows(actor, period, m.DecisionParticipant, m.DecisionParticipant.step)
    steps |= touched_rows(actor, period, m.Supervision, m.Supervision.step)
    if steps:
        query = m.DecisionStep.select(m.DecisionStep.decision).where(m.DecisionStep.id.in_(sorted(steps)))
        ids |= {d for (d,) in query.tuples()}
    return ids


def _details(actor: Actor, period: Period) -> list[plain.DecisionDetail]:
    details = service.decisions_between(actor, period.start, period.end)
    extra = sorted(_touched(actor, period) - {d.id for d in details})
    if not extra:
        return details
    details += [service.get_decision(actor, decision_id, period.end) for decision_id in extra]
    return sorted(details, key=lambda d: (d.year, d.id))  # numbers follow the ids within a year


def records(actor: Actor, period: Period) -> list[RecordSet]:
    details = _details(actor, period)
    return [
        RecordSet(
            DECISIONS,
            SCHEMA_VERSION,
            DECISION_SCHEMA,
            tuple(_decision(d) for d in details),
            False,
            "decision",
            DECISION_FIELDS,
        ),
        RecordSet(
            STEPS,
            SCHEMA_VERSION,
            STEP_SCHEMA,
            tuple(_step(d.id, s) for d in details for s in d.steps),
            False,
            "decision_step",
            STEP_FIELDS,
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
            return documents_table.dossier(actor, decision_id, a4(), clock.today())

        out.append(
            ArchiveDocument(
                name=file_name(d.number, d.id),
                title=f"{d.title}（一事一档）",
                record_kind=DECISIONS,
                record_id=d.id,
                # The dossier is dated within the period it is filed in, whatever came after.
                on=min(max(d.ended_on or d.last_date, period.start), period.end),
                personal_data=True,
                build=build,
            )
        )
    return out


# --- the township's review ---------------------------------------------------------------------------


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def review(records: dict[str, list[dict[str, Any]]], as_of: date | None = None) -> list[ReviewFinding]:
    """What a township reviewer should look at in a package's major matters (pure: records only).

    A step recorded without the step before it, or dated before it; a matter marked complete with a
    step missing; a disclosure that hung less than the default period (7 days); a resolution, or the
    implementation result, not disclosed 30 days on (DOMAIN.md's default warnings); a matter stalled
    30 days at one step; a concern of the supervisory committee left unanswered. Objections to the
    disclosures are the notices' (the 村务公开 review names them).
    """
    found: list[ReviewFinding] = []
    notices = {n["id"]: n for n in records.get("notices", [])}

    def ends(s: dict[str, Any]) -> str | None:
        """A disclosure's last day on the board: its own once complete, else its notice's (if posted)."""
        return s["period_end"] or notices.get(s["notice_id"], {}).get("period_end")

    steps: dict[int, list[dict[str, Any]]] = {}
    for s in records.get(STEPS, []):
        steps.setdefault(s["decision_id"], []).append(s)
    for d in records.get(DECISIONS, []):
        name = f"{d['number']}《{d['title']}》"
        live = sorted(
            (s for s in steps.get(d["id"], []) if s.get("superseded_by") is None), key=lambda s: s["id"]
        )

        def add(record_id: int | None, kind: str, msgid: str, of: str = name, **params: JsonValue) -> None:
            found.append(ReviewFinding(kind, record_id, msgid, {"decision": of, **params}))

        for number in sorted({s["round"] for s in live}):
            by_step = {s["step"]: s for s in live if s["round"] == number}  # the latest of each step
            before: dict[str, Any] | None = None
            for step in rules.STEPS:
                s = by_step.get(step)
                if s is None:
                    continue
                previous = rules.previous_step(step)
                done = by_step.get(previous) if previous else None
                if previous is not None and (done is None or done["outcome"] not in rules.SUCCEEDED):
                    add(
                        s["id"], STEPS,
                        N_("{decision}: {step} is recorded without {missing} before it (round {round})."),
                        step=rules.step_title(step), missing=rules.step_title(previous), round=number,
                    )  # fmt: skip
                if before is not None and s["date"] and before["date"] and s["date"] < before["date"]:
                    add(
                        s["id"], STEPS,
                        N_("{decision}: {step} is dated {date}, before {before} on {before_date}."),
                        step=rules.step_title(step), date=s["date"], before=rules.step_title(before["step"]),
                        before_date=before["date"],
                    )  # fmt: skip
                end = ends(s) if step in rules.DISCLOSURE_STEPS else None
                if s["date"] and end:
                    days = (_date(end) - _date(s["date"])).days + 1  # type: ignore[operator]
                    if days < rules.DEFAULT_DISCLOSURE_DAYS:
                        add(
                            s["id"], STEPS,
                            N_("{decision}: {step} hangs only {days} days ({date} to {end}); a disclosure "
                               "hangs at least {minimum}."),
                            step=rules.step_title(step), days=days, date=s["date"], end=end,
                            minimum=rules.DEFAULT_DISCLOSURE_DAYS,
                        )  # fmt: skip
                for v in s.get("supervision", []):
                    if v["kind"] == CONCERN and not v["answered_on"]:
                        add(
                            s["id"], STEPS,
                            N_("{decision}: a concern the supervisory committee raised on {date} about "
                               "{step} is not answered."),
                            date=v["on"], step=rules.step_title(step),
                        )  # fmt: skip
                before = s
        current = {s["step"]: s for s in live if s["round"] == d["round"]}
        if d["state"] == rules.COMPLETE:
            missing = [step for step in rules.STEPS if step not in current]
            if missing:
                add(
                    d["id"], DECISIONS,
                    N_("{decision} is marked complete, but {step} is not on record."),
                    step=_("、").join(rules.step_title(step) for step in missing),
                )  # fmt: skip
        if as_of is None or d["state"] != rules.IN_PROGRESS:
            continue
        told = False  # a finding on the disclosures already says the matter waits
        resolved, disclosure = current.get(rules.RESOLVE), current.get(rules.DISCLOSE_RESOLUTION)
        if resolved and resolved["outcome"] == voting.PASSED and not (disclosure and disclosure["date"]):
            days = (as_of - _date(resolved["date"])).days  # type: ignore[operator]
            if days > rules.DEFAULT_STALL_DAYS:
                told = True
                add(
                    d["id"], DECISIONS,
                    N_("{decision}: the resolution of {date} is not disclosed {days} days later."),
                    date=resolved["date"], days=days,
                )  # fmt: skip
        result = current.get(rules.DISCLOSE_RESULT)
        if d["work_ended_on"] and not (result and result["date"]):
            days = (as_of - _date(d["work_ended_on"])).days  # type: ignore[operator]
            if days > rules.DEFAULT_RESULT_DAYS:
                told = True
                add(
                    d["id"], DECISIONS,
                    N_("{decision}: the work ended on {date}; its result is not disclosed {days} days "
                       "later."),
                    date=d["work_ended_on"], days=days,
                )  # fmt: skip
        # As the room's own warning counts (service._last_day): the work going on is not standing still.
        dates = [d["opened_on"], *(r["started_on"] for r in d.get("rounds", []))]
        dates += [day for day in (d["ended_on"], d["work_started_on"], d["work_ended_on"]) if day]
        dates += [s["date"] for s in live if s["date"]]
        dates += [e for s in live if (e := ends(s)) and e <= as_of.isoformat()]  # a notice that hung
        last = max(dates)
        hanging = any(
            s["outcome"] == rules.DISCLOSING and (ends(s) or "") >= as_of.isoformat()
            for s in current.values()
        )
        idle = (as_of - date.fromisoformat(last)).days
        if idle > rules.DEFAULT_STALL_DAYS and not hanging and not told:
            add(
                d["id"], DECISIONS,
                N_("{decision} has stood at {step} since {date} ({days} days)."),
                step=rules.step_title(d["step"]), date=last, days=idle,
            )  # fmt: skip
    return found
