"""村务公开 in the yearly archive package (see archive/contract.py).

Records: every notice of the period (numbered, drafted, posted, taken down, superseded or whose
posting period ended in it, or changed by an audit entry of it), their objections, the village's
notice settings and its calendar entries. Documents: each notice that was posted in the period, as
it hung (masked, as printed), and the printed result of each 公示 whose posting period ended in the
period.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from villagegov.archive.contract import (
    ArchiveDocument,
    LazyModule,
    Period,
    RecordSet,
    ReviewFinding,
    a4,
    touched,
)  # fmt: skip
from villagegov.core import clock
from villagegov.core.actor import Actor
from villagegov.core.i18n import N_
from villagegov.notices import rules

if TYPE_CHECKING:
    from villagegov.notices import documents as documents_table
    from villagegov.notices import service
    from villagegov.printing.document import OfficialDocument
else:  # imported when first used: verifying a package needs only the schemas
    documents_table = LazyModule("villagegov.notices.documents")
    service = LazyModule("villagegov.notices.service")

_DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
_OPT_DATE = {"anyOf": [_DATE, {"type": "null"}]}
_TIME = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"}
_OPT_TIME = {"anyOf": [_TIME, {"type": "null"}]}
_ID = {"type": "integer", "minimum": 1}
_TEXT = {"type": "string"}
_OPT_INT = {"type": ["integer", "null"]}
_TEXTS = {"type": "array", "items": _TEXT}


def _schema(title: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


NOTICE_SCHEMA = _schema(
    "公开事项 (notice)",
    {
        "id": _ID,
        "number": _TEXT,
        "year": {"type": "integer"},
        "category": {"enum": list(rules.CATEGORIES)},
        "kind": {"enum": list(rules.KINDS)},
        "title": {"type": "string", "minLength": 1},
        "body": _TEXT,
        "places": _TEXTS,
        "major": {"type": "boolean"},
        "state": {"enum": list(rules.STATES)},
        "period_days": _OPT_INT,
        "period_unit": {"type": ["string", "null"]},
        "period_start": _OPT_DATE,
        "period_end": _OPT_DATE,
        "tables": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["caption", "header", "rows"],
                "additionalProperties": False,
                "properties": {
                    "caption": _TEXT,
                    "header": _TEXTS,
                    "rows": {"type": "array", "items": _TEXTS},
                },
            },
        },
        "finance_lines": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["side", "item", "amount_fen"],
                "additionalProperties": False,
                "properties": {
                    "side": {"enum": ["income", "expense"]},
                    "item": _TEXT,
                    "amount_fen": {"type": "integer"},
                },
            },
        },
        "stated_income_fen": _OPT_INT,
        "stated_expense_fen": _OPT_INT,
        "opening_balance_fen": _OPT_INT,
        "created_at": _TIME,
        "created_by": _TEXT,
        "approved_at": _OPT_TIME,
        "approved_by": _TEXT,
        "withdrawn_at": _OPT_TIME,
        "posted_at": _OPT_DATE,
        "posted_by": _TEXT,
        "posted_places": _TEXTS,
        "removed_at": _OPT_DATE,
        "removed_by": _TEXT,
        "superseded_at": _OPT_DATE,
        "supersedes_id": {"type": ["integer", "null"]},
        "attachments": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "purpose", "file_name", "media_type", "size", "sha256"],
                "properties": {
                    "id": _ID,
                    "purpose": {"enum": ["attachment", "photo"]},
                    "file_name": _TEXT,
                    "media_type": _TEXT,
                    "size": {"type": "integer"},
                    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                },
            },
        },
    },
)
OBJECTION_SCHEMA = _schema(
    "异议 (objection)",
    {
        "id": _ID,
        "notice_id": _ID,
        "objector": _TEXT,
        "contact": _TEXT,
        "received_on": _DATE,
        "content": _TEXT,
        "late": {"type": "boolean"},
        "handling": _TEXT,
        "answer": _TEXT,
        "answered_on": _OPT_DATE,
        "answer_due": _DATE,
        "recorded_by": _TEXT,
    },
)
SETTINGS_SCHEMA = _schema(
    "公开设置 (notice settings)",
    {
        "period_days": {"type": "integer"},
        "period_unit": _TEXT,
        "committee_name": _TEXT,
        "party_branch_name": _TEXT,
        "supervisory_name": _TEXT,
        "supervisory_phone": _TEXT,
        "finance_busy": {"type": "boolean"},
    },
)
CALENDAR_SCHEMA = _schema(
    "工作日调整 (calendar entry)",
    {"id": _ID, "day": _DATE, "working": {"type": "boolean"}, "note": _TEXT},
)

SCHEMAS: dict[str, tuple[int, dict[str, Any]]] = {
    "notices": (1, NOTICE_SCHEMA),
    "objections": (1, OBJECTION_SCHEMA),
    "notice_settings": (1, SETTINGS_SCHEMA),
    "calendar_overrides": (1, CALENDAR_SCHEMA),
}

NOTICE_FIELDS = (
    "id",
    "number",
    "year",
    "category",
    "kind",
    "title",
    "body",
    "major",
    "state",
    "period_days",
    "period_unit",
    "period_start",
    "period_end",
    "stated_income_fen",
    "stated_expense_fen",
    "created_by",
    "approved_by",
    "posted_at",
    "posted_by",
    "removed_at",
    "removed_by",
    "superseded_at",
)
OBJECTION_FIELDS = (
    "id",
    "objector",
    "contact",
    "received_on",
    "content",
    "late",
    "handling",
    "answer",
    "answered_on",
    "recorded_by",
)


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _t(value: datetime | None) -> str | None:
    """A stored (local, naive) time with the computer's offset, as the contract asks."""
    return value.astimezone().isoformat() if value is not None else None


def _in(period: Period, *days: date | None) -> bool:
    return any(day is not None and day in period for day in days)


def _notices(actor: Actor, period: Period) -> list[service.NoticeDetail]:
    changed = touched(actor, period, "notice")
    for entity in ("notice_table", "finance_line", "notice_attachment", "objection"):
        # A change to a notice's table, lines, attachment or objection is a change to the notice;
        # their rows name their notice only in the database, so read the notice ids there.
        changed |= _parent_notices(entity, touched(actor, period, entity))
    years = range(period.start.year, period.end.year + 1)
    details = []
    for row in service.list_notices(actor):
        if (
            row.id in changed
            or row.year in years
            or _in(period, row.posted_at, row.removed_at, row.period_end)
        ):
            detail = service.get_notice(actor, row.id)
            if row.id in changed or _in(
                period,
                detail.created_at.date(),
                detail.approved_at.date() if detail.approved_at else None,
                detail.withdrawn_at.date() if detail.withdrawn_at else None,
                detail.posted_at,
                detail.removed_at,
                detail.superseded_at,
                detail.period_end,  # its period's result is printed in this period
            ):
                details.append(detail)
    details.sort(key=lambda d: d.id)
    return details


def _parent_notices(entity: str, ids: set[int]) -> set[int]:
    if not ids:
        return set()
    from villagegov.notices import models

    model = {
        "notice_table": models.NoticeTable,
        "finance_line": models.FinanceLine,
        "notice_attachment": models.NoticeAttachment,
        "objection": models.Objection,
    }[entity]
    query = model.select(model.notice).where(model.id.in_(sorted(ids)))
    return {n for (n,) in query.tuples()}


def _notice_record(d: service.NoticeDetail) -> dict[str, Any]:
    return {
        "id": d.id,
        "number": d.number,
        "year": d.year,
        "category": d.category,
        "kind": d.kind,
        "title": d.title,
        "body": d.body,
        "places": list(d.places),
        "major": d.major,
        "state": d.state,
        "period_days": d.period_days,
        "period_unit": d.period_unit,
        "period_start": _d(d.period_start),
        "period_end": _d(d.period_end),
        "tables": [
            {"caption": t.caption, "header": list(t.header), "rows": [list(r) for r in t.rows]}
            for t in d.tables
        ],
        "finance_lines": [
            {"side": f.side, "item": f.item, "amount_fen": f.amount_fen} for f in d.finance_lines
        ],
        "stated_income_fen": d.stated_income_fen,
        "stated_expense_fen": d.stated_expense_fen,
        "opening_balance_fen": d.statement.opening_balance_fen if d.statement else None,
        "created_at": _t(d.created_at),
        "created_by": d.created_by,
        "approved_at": _t(d.approved_at),
        "approved_by": d.approved_by,
        "withdrawn_at": _t(d.withdrawn_at),
        "posted_at": _d(d.posted_at),
        "posted_by": d.posted_by,
        "posted_places": list(d.posted_places),
        "removed_at": _d(d.removed_at),
        "removed_by": d.removed_by,
        "superseded_at": _d(d.superseded_at),
        "supersedes_id": d.supersedes_id,
        "attachments": [
            {
                "id": a.id,
                "purpose": a.purpose,
                "file_name": a.file_name,
                "media_type": a.media_type,
                "size": a.size,
                "sha256": a.sha256,
            }
            for a in d.attachments
        ],
    }


def _objection_record(o: service.ObjectionRow) -> dict[str, Any]:
    return {
        "id": o.id,
        "notice_id": o.notice_id,
        "objector": o.objector,
        "contact": o.contact,
        "received_on": o.received_on.isoformat(),
        "content": o.content,
        "late": o.late,
        "handling": o.handling,
        "answer": o.answer,
        "answered_on": _d(o.answered_on),
        "answer_due": o.answer_due.isoformat(),
        "recorded_by": o.recorded_by,
    }


def _set(
    kind: str, rows: list[dict[str, Any]], personal: bool, entity: str = "", fields: tuple[str, ...] = ()
) -> RecordSet:
    version, schema = SCHEMAS[kind]
    return RecordSet(kind, version, schema, tuple(rows), personal, entity, fields)


def records(actor: Actor, period: Period) -> list[RecordSet]:
    details = _notices(actor, period)
    settings = service.notice_settings(actor)
    overrides = [
        {"id": c.id, "day": c.day.isoformat(), "working": c.working, "note": c.note}
        for c in service.calendar_overrides(actor)
    ]
    personal = any(d.tables for d in details)  # subsidy lists name villagers, with their ID numbers
    return [
        _set("notices", [_notice_record(d) for d in details], personal, "notice", NOTICE_FIELDS),
        _set(
            "objections",
            [_objection_record(o) for d in details for o in d.objections],
            True,  # who objected, and how to reach them
            "objection",
            OBJECTION_FIELDS,
        ),
        _set(
            "notice_settings",
            [
                {
                    "period_days": settings.period_days,
                    "period_unit": settings.period_unit,
                    "committee_name": settings.committee_name,
                    "party_branch_name": settings.party_branch_name,
                    "supervisory_name": settings.supervisory_name,
                    "supervisory_phone": settings.supervisory_phone,
                    "finance_busy": settings.finance_busy,
                }
            ],
            False,
        ),
        _set("calendar_overrides", overrides, False, "calendar_override", ("id", "day", "working", "note")),
    ]


def documents(actor: Actor, period: Period, today: date | None = None) -> list[ArchiveDocument]:
    """From the notice list's rows, not each notice's detail: a year of 2,000 notices is listed in one
    query (the records read each notice whole; reading them all twice took most of an export)."""
    from villagegov.notices.models import NoticeTable

    today = today or clock.today()
    with_tables = {n for (n,) in NoticeTable.select(NoticeTable.notice).distinct().tuples()}
    found: list[ArchiveDocument] = []
    for d in sorted(service.list_notices(actor), key=lambda r: r.id):
        if d.state not in rules.WAS_POSTED or d.posted_at is None:
            continue
        if d.posted_at in period:
            found.append(
                ArchiveDocument(
                    name=f"notices/notice-{d.id}.pdf",
                    title=f"{d.number}《{d.title}》" if d.number else f"《{d.title}》",
                    record_kind="notices",
                    record_id=d.id,
                    on=d.posted_at,
                    personal_data=d.id in with_tables,  # the lists name villagers
                    build=_notice_builder(actor, d.id, today),
                )
            )
        ended = d.kind == rules.PUBLICITY and d.period_end is not None and d.period_end < today
        if ended and d.period_end in period:
            found.append(
                ArchiveDocument(
                    name=f"notices/result-{d.id}.pdf",
                    title=f"{d.number}《{d.title}》公示结果",
                    record_kind="notices",
                    record_id=d.id,
                    on=d.period_end,
                    personal_data=False,
                    build=_result_builder(actor, d.id, today),
                )
            )
    return found


def _notice_builder(actor: Actor, notice_id: int, today: date) -> Callable[[], OfficialDocument]:
    return lambda: documents_table.notice(actor, notice_id, a4(), today)


def _result_builder(actor: Actor, notice_id: int, today: date) -> Callable[[], OfficialDocument]:
    return lambda: documents_table.notice_result(actor, notice_id, a4(), today)


def _too_short(n: dict[str, Any], settings: dict[str, Any]) -> bool:
    """A 公示 posted for less than the village's period (compared in the same unit where it can be)."""
    days, wanted = n.get("period_days"), settings.get("period_days")
    if not days or not wanted:
        return False
    if n.get("period_unit") == settings.get("period_unit"):
        return bool(days < wanted)
    if settings.get("period_unit") == "days" and n.get("period_start") and n.get("period_end"):
        span = (date.fromisoformat(n["period_end"]) - date.fromisoformat(n["period_start"])).days + 1
        return span < wanted
    return bool(days < wanted)


def review(records: dict[str, list[dict[str, Any]]], as_of: date | None = None) -> list[ReviewFinding]:
    """What a township reviewer should look at in a package's notices (pure: records only): a 公示
    posted without its posting period, or for less than the village's, or taken down before it ended;
    a major matter not disclosed; an objection not answered, or answered late."""
    found: list[ReviewFinding] = []
    notices = {n["id"]: n for n in records.get("notices", [])}
    settings = (records.get("notice_settings") or [{}])[0]

    def label(n: dict[str, Any]) -> str:
        return f"{n['number']}《{n['title']}》" if n.get("number") else f"《{n['title']}》"

    for n in notices.values():
        if n["kind"] == rules.PUBLICITY and n.get("posted_at") and not n.get("period_end"):
            found.append(
                ReviewFinding(
                    "notices",
                    n["id"],
                    N_("The publicity notice {notice} was posted without its posting period."),
                    {"notice": label(n)},
                )
            )
        elif n["kind"] == rules.PUBLICITY and n.get("posted_at") and _too_short(n, settings):
            found.append(
                ReviewFinding(
                    "notices",
                    n["id"],
                    N_(
                        "The publicity notice {notice} was posted for {days} days, less than the "
                        "village's {wanted}."
                    ),
                    {"notice": label(n), "days": n["period_days"], "wanted": settings["period_days"]},
                )
            )
        removed, end = n.get("removed_at"), n.get("period_end")
        if n["kind"] == rules.PUBLICITY and removed and end and removed < end:
            found.append(
                ReviewFinding(
                    "notices",
                    n["id"],
                    N_(
                        "The publicity notice {notice} was taken down on {removed}, before its posting "
                        "period ended on {end}."
                    ),
                    {"notice": label(n), "removed": removed, "end": end},
                )
            )
        if n.get("major") and n["state"] in (rules.DRAFT, rules.APPROVED):
            found.append(
                ReviewFinding(
                    "notices",
                    n["id"],
                    N_("The major matter {notice} has not been disclosed."),
                    {"notice": label(n)},
                )
            )
    for o in records.get("objections", []):
        notice = notices.get(o["notice_id"])
        name = label(notice) if notice else str(o["notice_id"])
        if not o.get("answered_on"):
            if as_of is not None and o["answer_due"] >= as_of.isoformat():
                continue  # still within its ten days
            found.append(
                ReviewFinding(
                    "objections",
                    o["id"],
                    N_("An objection to {notice} received on {date} has no answer (due {due})."),
                    {"notice": name, "date": o["received_on"], "due": o["answer_due"]},
                )
            )
        elif o["answered_on"] > o["answer_due"]:
            found.append(
                ReviewFinding(
                    "objections",
                    o["id"],
                    N_("An objection to {notice} was answered on {date}, after its due day {due}."),
                    {"notice": name, "date": o["answered_on"], "due": o["answer_due"]},
                )
            )
    return found
