"""The 村民议事会 room's share of the yearly archive package (see archive/contract.py).

Records of the period, read through the council's own service:
- `council_terms`: every council whose term shares a day with the period;
- `council_members`: the seats of those councils held on any day of the period (names, groups and
  roles; never phone or ID-card numbers);
- `council_rules`: every version of those councils' rules of procedure (thresholds as "2/3");
- `meetings`: the meetings dated within the period, with their state and attendance counts;
- `agenda_items`, `attendance`, `observers`, `recusals`, `votes`, `roll_call_votes`, `minutes`,
  `resolutions` (void ones too, so that no number is missing): those of the period's meetings;
- `amendments`: corrections made within the period to any meeting, and every correction (made until
  the export) of the period's meetings, each with the original text it replaced.

Besides the meetings dated in the period, the records hold every meeting (and council, seat) that an
audit entry of the period wrote, e.g. a December meeting signed in January: each kind names its audited
table, and verify compares the records with the rows' last audited state (see archive/contract.py).

Documents: the minutes of every meeting of the period that was held or not held (流会), and each
valid resolution adopted at them, rendered by the same layouts as the print preview.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
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
from villagegov.core.i18n import N_
from villagegov.council import rules

if TYPE_CHECKING:
    from villagegov.council import documents as documents_table
    from villagegov.council import service
    from villagegov.printing.document import OfficialDocument
else:  # imported when first used: verifying a package needs only the schemas
    documents_table = LazyModule("villagegov.council.documents")
    service = LazyModule("villagegov.council.service")

SCHEMA_VERSION = 1
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# JSON Schema pieces: every record is a closed object whose fields are all present.
ID = {"type": "integer", "minimum": 1}
COUNT = {"type": "integer", "minimum": 0}
TEXT = {"type": "string"}
FLAG = {"type": "boolean"}
DAY = {"type": "string", "format": "date"}
MOMENT = {"type": "string", "format": "date-time"}
FRACTION = {"type": "string", "pattern": r"^[1-9]\d*/[1-9]\d*$"}


def _maybe(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _one_of(values: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def _schema(title: str, properties: dict[str, dict[str, Any]]) -> dict[str, JsonValue]:
    return {
        "$schema": DRAFT,
        "title": title,
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _threshold(prefix: str) -> dict[str, dict[str, Any]]:
    return {f"{prefix}": FRACTION, f"{prefix}_strict": FLAG}


RECORD_SCHEMAS: dict[str, dict[str, JsonValue]] = {
    "council_terms": _schema("村民议事会 term", {"id": ID, "name": TEXT, "term_start": DAY, "term_end": DAY}),
    "council_members": _schema(
        "议事会成员 seat",
        {
            "id": ID,
            "council_id": ID,
            "villager_id": ID,
            "name": TEXT,
            "group": TEXT,
            "role": _one_of(rules.ROLES),
            "joined_on": DAY,
            "left_on": _maybe(DAY),
        },
    ),
    "council_rules": _schema(
        "议事规则 version",
        {
            "id": ID,
            "council_id": ID,
            "effective_from": DAY,
            **_threshold("quorum"),
            **_threshold("pass"),
            **_threshold("two_thirds"),
            "set_at": MOMENT,
            "set_by": TEXT,
        },
    ),
    "meetings": _schema(
        "议事会会议",
        {
            "id": ID,
            "council_id": ID,
            "number": ID,
            "date": DAY,
            "time": TEXT,
            "place": TEXT,
            "convener": TEXT,
            "chair": TEXT,
            "recorder": TEXT,
            "state": _one_of(rules.STATES),
            "quorum_met": _maybe(FLAG),
            "quorum_needed": COUNT,
            "expected": COUNT,
            "present": COUNT,
            "rules_id": ID,
            "chair_signed_on": _maybe(DAY),
            "recorder_signed_on": _maybe(DAY),
            "finalised_at": _maybe(MOMENT),
        },
    ),
    "agenda_items": _schema(
        "议题",
        {
            "id": ID,
            "meeting_id": ID,
            "order": ID,
            "title": TEXT,
            "proposer": TEXT,
            "background": TEXT,
            "needs_two_thirds": FLAG,
            "for_vote": FLAG,
        },
    ),
    "attendance": _schema(
        "签到 (attendance)",
        {
            "id": ID,
            "meeting_id": ID,
            "member_id": ID,
            "name": TEXT,
            "role": _one_of(rules.ROLES),
            "status": _one_of(rules.ATTENDANCE),
            "reason": TEXT,
        },
    ),
    "observers": _schema(
        "列席人员",
        {"id": ID, "meeting_id": ID, "name": TEXT, "kind": _one_of(rules.OBSERVER_KINDS), "note": TEXT},
    ),
    "recusals": _schema("回避", {"item_id": ID, "member_id": ID, "name": TEXT, "reason": TEXT}),
    "votes": _schema(
        "表决",
        {
            "id": ID,
            "item_id": ID,
            "method": _one_of((rules.COUNTS, rules.ROLL_CALL)),
            "for": COUNT,
            "against": COUNT,
            "abstain": COUNT,
            "expected": COUNT,
            "present": COUNT,
            "recused": COUNT,
            "eligible": COUNT,
            "not_voting": COUNT,
            "needed": COUNT,
            **_threshold("pass"),
            "pass_base": _one_of(voting.PASS_BASES),
            "outcome": _one_of(voting.RESULTS),
            "recorded_at": MOMENT,
            "recorded_by": TEXT,
        },
    ),
    "roll_call_votes": _schema(
        "逐人表决",
        {"item_id": ID, "member_id": ID, "name": TEXT, "choice": _maybe(_one_of(rules.CHOICES))},
    ),
    "minutes": _schema("会议记录", {"id": ID, "meeting_id": ID, "item_id": _maybe(ID), "text": TEXT}),
    "resolutions": _schema(
        "决议",
        {
            "id": ID,
            "item_id": ID,
            "meeting_id": ID,
            "year": ID,
            "sequence": ID,
            "number": TEXT,
            "title": TEXT,
            "text": TEXT,
            "void": FLAG,
            "meeting_date": DAY,
        },
    ),
    "amendments": _schema(
        "更正记录",
        {
            "id": ID,
            "meeting_id": ID,
            "target": _one_of(tuple(rules.AMENDABLE)),
            "target_id": ID,
            "original": TEXT,
            "corrected": TEXT,
            "reason": TEXT,
            "amended_by": TEXT,
            "amended_at": MOMENT,
        },
    ),
}

# The contract's form (kind -> (version, schema)): a package of a newer version is refused.
# votes 2: the vote's own id (to check it against the audit log).
SCHEMAS: dict[str, tuple[int, dict[str, JsonValue]]] = {
    kind: (2 if kind == "votes" else SCHEMA_VERSION, schema) for kind, schema in RECORD_SCHEMAS.items()
}

# Each kind's audited table and the fields equal to its audit snapshot ("key:column" where the record
# names a column otherwise); see archive/contract.py. Recusals and roll calls have no id of their own.
AUDITED: dict[str, tuple[str, tuple[str, ...]]] = {
    "council_terms": ("council", ("id", "name", "term_start", "term_end")),
    "council_members": (
        "council_member",
        ("id", "council_id:council", "villager_id:villager", "role", "joined_on", "left_on"),
    ),
    "council_rules": (
        "council_rules",
        (
            "id",
            "council_id:council",
            "effective_from",
            "quorum_strict",
            "pass_strict",
            "two_thirds_strict",
            "set_by",
        ),
    ),
    "meetings": (
        "meeting",
        (
            "id",
            "council_id:council",
            "number",
            "date",
            "time",
            "place",
            "convener:convener_name",
            "chair:chair_name",
            "recorder:recorder_name",
            "state",
            "quorum_met",
            "chair_signed_on",
            "recorder_signed_on",
        ),
    ),
    "agenda_items": (
        "agenda_item",
        (
            "id",
            "meeting_id:meeting",
            "order:sort_order",
            "title",
            "proposer",
            "background",
            "needs_two_thirds",
            "for_vote",
        ),
    ),
    "attendance": ("attendance", ("id", "meeting_id:meeting", "member_id:member", "status", "reason")),
    "observers": ("observer", ("id", "meeting_id:meeting", "name", "kind", "note")),
    "votes": (
        "vote",
        (
            "id",
            "item_id:item",
            "method",
            "for:for_",
            "against",
            "abstain",
            "expected",
            "present",
            "recused",
            "needed",
            "pass_strict",
            "pass_base",
            "outcome",
            "recorded_by",
        ),
    ),
    "minutes": ("minutes", ("id", "meeting_id:meeting", "item_id:item", "text")),
    "resolutions": (
        "resolution",
        ("id", "item_id:item", "year", "sequence", "number", "title", "text", "void"),
    ),
    "amendments": (
        "amendment",
        ("id", "meeting_id:meeting", "target", "target_id", "original", "corrected", "reason", "amended_by"),
    ),
}


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _moment(value: datetime | None) -> str | None:
    """ISO with the offset: a naive time is the village's local time."""
    return value.astimezone().isoformat() if value is not None else None


def _fraction(threshold: voting.Threshold) -> str:
    return voting.fraction_text(threshold.fraction)


def _touched_meetings(actor: Actor, period: Period) -> set[int]:
    """Meetings an audit entry of the period wrote, or wrote a part of (an item, a vote, the minutes…)."""
    from villagegov.council import models as m

    ids = touched_rows(actor, period, m.Meeting)
    for model in (m.AgendaItem, m.Attendance, m.Observer, m.Minutes, m.Amendment):
        ids |= touched_rows(actor, period, model, model.meeting)
    items: set[int] = set()
    for model in (m.Vote, m.Resolution, m.Recusal, m.RollCallVote):
        items |= touched_rows(actor, period, model, model.item)
    if items:
        query = m.AgendaItem.select(m.AgendaItem.meeting).where(m.AgendaItem.id.in_(sorted(items)))
        ids |= {meeting for (meeting,) in query.tuples()}
    return ids


def _meetings(actor: Actor, period: Period) -> list[service.MeetingDetail]:
    touched = _touched_meetings(actor, period)
    rows = [m for m in service.list_meetings(actor) if m.date in period or m.id in touched]
    return [service.get_meeting(actor, m.id) for m in sorted(rows, key=lambda m: (m.date, m.number))]


def records(actor: Actor, period: Period) -> list[RecordSet]:
    """Every council record of the period, one RecordSet per kind (see the module's docstring)."""
    from villagegov.council import models

    out: dict[str, list[dict[str, JsonValue]]] = {kind: [] for kind in RECORD_SCHEMAS}
    seats = touched_rows(actor, period, models.CouncilMember)
    written = (
        touched_rows(actor, period, models.Council)
        | touched_rows(actor, period, models.CouncilMember, models.CouncilMember.council)
        | touched_rows(actor, period, models.CouncilRules, models.CouncilRules.council)
    )
    councils = [
        c
        for c in service.list_councils(actor)
        if (c.term_start <= period.end and period.start <= c.term_end) or c.id in written
    ]
    for c in sorted(councils, key=lambda c: c.term_start):
        out["council_terms"].append(
            {"id": c.id, "name": c.name, "term_start": _day(c.term_start), "term_end": _day(c.term_end)}
        )
        for m in service.list_members(actor, c.id):
            held = m.joined_on <= period.end and (m.left_on is None or m.left_on > period.start)
            if held or m.id in seats:
                out["council_members"].append(
                    {
                        "id": m.id, "council_id": c.id, "villager_id": m.villager_id, "name": m.name,
                        "group": m.group, "role": m.role, "joined_on": _day(m.joined_on),
                        "left_on": _day(m.left_on),
                    }
                )  # fmt: skip
        for r in service.council_rules(actor, c.id):
            out["council_rules"].append(
                {
                    "id": r.id, "council_id": c.id, "effective_from": _day(r.effective_from),
                    "quorum": _fraction(r.quorum), "quorum_strict": r.quorum.strict,
                    "pass": _fraction(r.pass_threshold), "pass_strict": r.pass_threshold.strict,
                    "two_thirds": _fraction(r.two_thirds), "two_thirds_strict": r.two_thirds.strict,
                    "set_at": _moment(r.set_at), "set_by": r.set_by,
                }
            )  # fmt: skip
    amendments: dict[int, service.AmendmentRow] = {
        a.id: a for a in service.amendments_made(actor, period.start, period.end)
    }
    for d in _meetings(actor, period):
        _meeting_records(d, out)
        amendments.update((a.id, a) for a in d.amendments)
    for a in sorted(amendments.values(), key=lambda a: (a.amended_at, a.id)):
        out["amendments"].append(
            {
                "id": a.id, "meeting_id": a.meeting_id, "target": a.target, "target_id": a.target_id,
                "original": a.original, "corrected": a.corrected, "reason": a.reason,
                "amended_by": a.amended_by, "amended_at": _moment(a.amended_at),
            }
        )  # fmt: skip
    return [
        RecordSet(
            kind,
            SCHEMAS[kind][0],
            RECORD_SCHEMAS[kind],
            tuple(rows),
            personal_data=False,
            entity=AUDITED[kind][0] if kind in AUDITED else "",
            audited_fields=AUDITED[kind][1] if kind in AUDITED else (),
        )
        for kind, rows in out.items()
    ]


def _meeting_records(d: service.MeetingDetail, out: dict[str, list[dict[str, JsonValue]]]) -> None:
    out["meetings"].append(
        {
            "id": d.id, "council_id": d.council_id, "number": d.number, "date": _day(d.date), "time": d.time,
            "place": d.place, "convener": d.convener.name, "chair": d.chair.name,
            "recorder": d.recorder.name, "state": d.state, "quorum_met": d.quorum_met,
            "quorum_needed": d.quorum_needed, "expected": d.expected, "present": d.present,
            "rules_id": d.rules_version.id, "chair_signed_on": _day(d.chair_signed_on),
            "recorder_signed_on": _day(d.recorder_signed_on), "finalised_at": _moment(d.finalised_at),
        }
    )  # fmt: skip
    for a in d.attendance:
        if a.id is not None and a.status is not None:
            out["attendance"].append(
                {
                    "id": a.id, "meeting_id": d.id, "member_id": a.member_id, "name": a.name, "role": a.role,
                    "status": a.status, "reason": a.reason,
                }
            )  # fmt: skip
    for o in d.observers:
        out["observers"].append(
            {"id": o.id, "meeting_id": d.id, "name": o.name, "kind": o.kind, "note": o.note}
        )
    if d.minutes_id is not None:
        out["minutes"].append({"id": d.minutes_id, "meeting_id": d.id, "item_id": None, "text": d.minutes})
    for i in d.items:
        out["agenda_items"].append(
            {
                "id": i.id, "meeting_id": d.id, "order": i.order, "title": i.title, "proposer": i.proposer,
                "background": i.background, "needs_two_thirds": i.needs_two_thirds, "for_vote": i.for_vote,
            }
        )  # fmt: skip
        for r in i.recusals:
            out["recusals"].append(
                {"item_id": i.id, "member_id": r.member_id, "name": r.name, "reason": r.reason}
            )
        if i.minutes_id is not None:
            out["minutes"].append(
                {"id": i.minutes_id, "meeting_id": d.id, "item_id": i.id, "text": i.minutes}
            )
        v = i.vote
        if v is not None:
            out["votes"].append(
                {
                    "id": v.id,
                    "item_id": i.id, "method": v.method, "for": v.for_, "against": v.against,
                    "abstain": v.abstain, "expected": v.expected, "present": v.present, "recused": v.recused,
                    "eligible": v.eligible, "not_voting": v.not_voting, "needed": v.needed,
                    "pass": _fraction(v.pass_threshold), "pass_strict": v.pass_threshold.strict,
                    "pass_base": v.pass_base, "outcome": v.outcome, "recorded_at": _moment(v.recorded_at),
                    "recorded_by": v.recorded_by,
                }
            )  # fmt: skip
            for call in v.roll_call:
                out["roll_call_votes"].append(
                    {"item_id": i.id, "member_id": call.member_id, "name": call.name, "choice": call.choice}
                )
        res = i.resolution
        if res is not None:
            out["resolutions"].append(
                {
                    "id": res.id, "item_id": i.id, "meeting_id": d.id, "year": res.year,
                    "sequence": res.sequence, "number": res.number, "title": res.title, "text": res.text,
                    "void": res.void, "meeting_date": _day(res.meeting_date),
                }
            )  # fmt: skip


def documents(actor: Actor, period: Period) -> list[ArchiveDocument]:
    """The minutes of each meeting of the period that sat or failed to (流会), and each valid resolution."""
    out: list[ArchiveDocument] = []
    for m in sorted(service.list_meetings(actor), key=lambda m: (m.date, m.number)):
        if m.date not in period or m.state == rules.PLANNED:
            continue
        out.append(
            ArchiveDocument(
                name=f"council/minutes/{m.date.isoformat()}-meeting-{m.id}.pdf",
                title=f"{service.get_council(actor, m.council_id).name}第{m.number}次会议记录",
                record_kind="meetings",
                record_id=m.id,
                on=m.date,
                personal_data=True,  # names who came, who did not and why
                build=_minutes_builder(actor, m.id),
            )
        )
    for r in sorted(service.list_resolutions(actor), key=lambda r: (r.year, r.sequence)):
        if r.meeting_date in period:
            out.append(
                ArchiveDocument(
                    name=f"council/resolutions/{r.year}-{r.sequence:03d}.pdf",
                    title=f"{r.number} {r.title}",
                    record_kind="resolutions",
                    record_id=r.id,
                    on=r.meeting_date,
                    personal_data=False,
                    build=_resolution_builder(actor, r.id),
                )
            )
    return out


def _minutes_builder(actor: Actor, meeting_id: int) -> Callable[[], OfficialDocument]:
    return lambda: documents_table.minutes(actor, meeting_id, a4(), clock.today())


def _resolution_builder(actor: Actor, resolution_id: int) -> Callable[[], OfficialDocument]:
    return lambda: documents_table.resolution(actor, resolution_id, a4(), clock.today())


# --- the township's review ---------------------------------------------------------------------------

UNSIGNED_DAYS = 30  # a meeting's record is signed and finalised within a month of the meeting


def _days_between(earlier: str, later: date) -> int:
    return (later - date.fromisoformat(earlier)).days


def review(records: dict[str, list[dict[str, Any]]], as_of: date | None = None) -> list[ReviewFinding]:
    """What a township reviewer should look at in a package's council records (pure: records only).

    A meeting recorded as sitting without its quorum; a vote whose outcome its own counts contradict;
    an item that passed with no resolution, or a resolution standing without a passed vote; a meeting's
    record left unsigned, or a planned meeting never recorded, more than a month after its date.
    """
    found: list[ReviewFinding] = []
    councils = {c["id"]: c["name"] for c in records.get("council_terms", [])}
    meetings = {m["id"]: m for m in records.get("meetings", [])}
    items = {i["id"]: i for i in records.get("agenda_items", [])}
    votes = {v["item_id"]: v for v in records.get("votes", [])}
    resolutions = {r["item_id"]: r for r in records.get("resolutions", [])}
    voted = {items[i]["meeting_id"] for i in votes if i in items}

    def where(m: dict[str, Any]) -> dict[str, JsonValue]:
        return {"council": councils.get(m["council_id"], ""), "number": m["number"], "date": m["date"]}

    for m in meetings.values():
        sat = (
            m["state"] == rules.HELD
            or m["id"] in voted
            or (m["state"] == rules.FINALISED and m["quorum_met"])
        )
        if sat and (m["quorum_met"] is False or m["present"] < m["quorum_needed"]):
            found.append(
                ReviewFinding(
                    "meetings",
                    m["id"],
                    N_(
                        "Meeting no. {number} of {council} ({date}) is recorded as held with {present} of "
                        "{expected} members present; its quorum needs {needed}."
                    ),
                    {
                        **where(m),
                        "present": m["present"],
                        "expected": m["expected"],
                        "needed": m["quorum_needed"],
                    },
                )
            )
        if as_of is not None and _days_between(m["date"], as_of) > UNSIGNED_DAYS:
            days = _days_between(m["date"], as_of)
            if m["state"] in (rules.HELD, rules.NOT_HELD):
                found.append(
                    ReviewFinding(
                        "meetings",
                        m["id"],
                        N_(
                            "The record of meeting no. {number} of {council} ({date}) is still not signed "
                            "and finalised {days} days after the meeting."
                        ),
                        {**where(m), "days": days},
                    )
                )
            elif m["state"] == rules.PLANNED:
                found.append(
                    ReviewFinding(
                        "meetings",
                        m["id"],
                        N_(
                            "Meeting no. {number} of {council} was planned for {date}; {days} days later "
                            "nobody's attendance is on record."
                        ),
                        {**where(m), "days": days},
                    )
                )
    for item in items.values():
        m = meetings.get(item["meeting_id"])
        if m is None:
            continue
        v, res = votes.get(item["id"]), resolutions.get(item["id"])
        at = {**where(m), "item": item["title"]}
        if v is not None:
            cast = v["for"] + v["against"] + v["abstain"]
            if cast > v["eligible"]:
                found.append(
                    ReviewFinding(
                        "votes",
                        v.get("id"),
                        N_(
                            "Item “{item}” (meeting no. {number} of {council}, {date}): {cast} votes cast "
                            "by {eligible} members entitled to vote."
                        ),
                        {**at, "cast": cast, "eligible": v["eligible"]},
                    )
                )
            wrong = (v["outcome"] == voting.PASSED and v["for"] < v["needed"]) or (
                v["outcome"] == voting.NOT_PASSED and v["for"] >= v["needed"]
            )
            if wrong:
                found.append(
                    ReviewFinding(
                        "votes",
                        v.get("id"),
                        N_(
                            "Item “{item}” (meeting no. {number} of {council}, {date}): {votes} votes for, "
                            "{needed} needed to pass, yet recorded as “{outcome}”."
                        ),
                        {
                            **at,
                            "votes": v["for"],
                            "needed": v["needed"],
                            "outcome": voting.result_label(v["outcome"]),
                        },
                    )
                )
        passed = v is not None and v["outcome"] == voting.PASSED
        if passed and (res is None or res["void"]):
            found.append(
                ReviewFinding(
                    "agenda_items",
                    item["id"],
                    N_(
                        "Item “{item}” (meeting no. {number} of {council}, {date}) passed, but no "
                        "resolution of it is on record."
                    ),
                    at,
                )
            )
        elif res is not None and not res["void"] and not passed:
            found.append(
                ReviewFinding(
                    "resolutions",
                    res["id"],
                    N_("Resolution {resolution} stands, but the vote on its item “{item}” did not pass."),
                    {"resolution": res["number"], "item": item["title"]},
                )
            )
    return found
