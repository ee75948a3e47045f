"""村务公开 in the yearly archive package (villagegov/archive/contract.py).

Records: every notice approved in the period (withdrawn ones too: numbers are never reused, so
the township sees why one is missing from the board), with its tables, statement lines and life
dates; the objections received in the period; the attachments of those notices (described and
fingerprinted by sha256; their content prints inside the notice's document). Documents: each
notice that went on the board as it was printed, and each ended posting period's result.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from villagegov.archive.contract import ArchiveDocument, JsonValue, Period, RecordSet
from villagegov.core.actor import Actor
from villagegov.notices import pdf, rules, service
from villagegov.printing.document import OfficialDocument

NOTICE, OBJECTION, ATTACHMENT = "notice", "notice_objection", "notice_attachment"
SCHEMA = "https://json-schema.org/draft/2020-12/schema"

_DATE = {"type": ["string", "null"], "format": "date"}
_TIME = {"type": ["string", "null"], "format": "date-time"}
_TEXT = {"type": "string"}
_INT = {"type": "integer"}
_FEN = {"type": ["integer", "null"], "description": "money in integer fen"}


def _object(properties: dict[str, Any], description: str) -> dict[str, JsonValue]:
    return {
        "$schema": SCHEMA,
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


NOTICE_SCHEMA = _object(
    {
        "id": _INT,
        "number": _TEXT,
        "year": _INT,
        "sequence": {"type": ["integer", "null"]},
        "category": {"enum": list(rules.CATEGORIES)},
        "kind": {"enum": list(rules.KINDS)},
        "title": _TEXT,
        "body": _TEXT,
        "places": {"type": "array", "items": _TEXT},
        "posted_places": {"type": "array", "items": _TEXT},
        "major": {"type": "boolean"},
        "state": {"enum": list(rules.STATES)},
        "period_days": {"type": ["integer", "null"]},
        "period_unit": {"type": ["string", "null"]},
        "period_start": _DATE,
        "period_end": _DATE,
        "period_result": {"type": ["string", "null"], "description": "公示期满无异议 or the objections"},
        "tables": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "caption": _TEXT,
                    "header": {"type": "array", "items": _TEXT},
                    "rows": {"type": "array", "items": {"type": "array", "items": _TEXT}},
                },
                "required": ["caption", "header", "rows"],
                "additionalProperties": False,
            },
        },
        "finance_lines": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"side": {"enum": list(rules.SIDES)}, "item": _TEXT, "amount_fen": _INT},
                "required": ["side", "item", "amount_fen"],
                "additionalProperties": False,
            },
        },
        "income_total_fen": _FEN,
        "expense_total_fen": _FEN,
        "stated_income_fen": _FEN,
        "stated_expense_fen": _FEN,
        "opening_balance_fen": _FEN,
        "closing_balance_fen": _FEN,
        "created_at": _TIME,
        "created_by": _TEXT,
        "approved_at": _TIME,
        "approved_by": _TEXT,
        "withdrawn_at": _TIME,
        "posted_at": _DATE,
        "posted_by": _TEXT,
        "removed_at": _DATE,
        "removed_by": _TEXT,
        "superseded_at": _DATE,
        "supersedes_id": {"type": ["integer", "null"]},
        "superseded_by": {"type": "array", "items": _INT},
    },
    "A numbered notice (公示, 公告, 通知) as the database keeps it: tables hold full ID-card and "
    "phone numbers, which its printed document masks.",
)
OBJECTION_SCHEMA = _object(
    {
        "id": _INT,
        "notice_id": _INT,
        "notice_number": _TEXT,
        "objector": _TEXT,
        "contact": _TEXT,
        "received_on": {"type": "string", "format": "date"},
        "content": _TEXT,
        "late": {"type": "boolean", "description": "received after the posting period's last day"},
        "handling": _TEXT,
        "answer": _TEXT,
        "answered_on": _DATE,
        "answer_due": {"type": "string", "format": "date"},
        "recorded_by": _TEXT,
    },
    "A villager's objection (异议) to a 公示, with how it was handled and answered.",
)
ATTACHMENT_SCHEMA = _object(
    {
        "id": _INT,
        "notice_id": _INT,
        "notice_number": _TEXT,
        "purpose": {"enum": [service.ATTACHMENT, service.PHOTO]},
        "file_name": _TEXT,
        "media_type": _TEXT,
        "size": _INT,
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "added_at": _TIME,
        "added_by": _TEXT,
    },
    "A file of a notice: an attachment printed after it, or a photo of the posted sheet.",
)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: datetime | None) -> str | None:
    """Naive times are the village's local time: written with their UTC offset."""
    return value.astimezone().isoformat() if value else None


def _notice(d: service.NoticeDetail, result: str | None) -> dict[str, JsonValue]:
    s = d.statement
    return {
        "id": d.id, "number": d.number, "year": d.year,
        "sequence": d.sequence,
        "category": d.category, "kind": d.kind, "title": d.title, "body": d.body,
        "places": list(d.places), "posted_places": list(d.posted_places), "major": d.major,
        "state": d.state, "period_days": d.period_days, "period_unit": d.period_unit,
        "period_start": _day(d.period_start), "period_end": _day(d.period_end), "period_result": result,
        "tables": [
            {"caption": t.caption, "header": list(t.header), "rows": [list(r) for r in t.rows]}
            for t in d.tables
        ],
        "finance_lines": [
            {"side": line.side, "item": line.item, "amount_fen": line.amount_fen} for line in d.finance_lines
        ],
        "income_total_fen": s.income_total_fen if s else None,
        "expense_total_fen": s.expense_total_fen if s else None,
        "stated_income_fen": d.stated_income_fen, "stated_expense_fen": d.stated_expense_fen,
        "opening_balance_fen": s.opening_balance_fen if s else None,
        "closing_balance_fen": s.closing_balance_fen if s else None,
        "created_at": _time(d.created_at), "created_by": d.created_by,
        "approved_at": _time(d.approved_at), "approved_by": d.approved_by,
        "withdrawn_at": _time(d.withdrawn_at), "posted_at": _day(d.posted_at), "posted_by": d.posted_by,
        "removed_at": _day(d.removed_at), "removed_by": d.removed_by,
        "superseded_at": _day(d.superseded_at), "supersedes_id": d.supersedes_id,
        "superseded_by": list(d.superseded_by),
    }  # fmt: skip


def _result_text(actor: Actor, d: service.NoticeDetail, today: date) -> str | None:
    if d.kind != rules.PUBLICITY or d.period_end is None:
        return None
    outcome = service.period_result(actor, d.id, today)
    return outcome.text if outcome.ended else None


def records(actor: Actor, period: Period, today: date | None = None) -> list[RecordSet]:
    """The contract's records; `today` (the export's day) decides which posting periods have ended."""
    today = today or date.today()
    notices = service.approved_between(actor, period.start, period.end)
    numbers = {d.id: d.number for d in notices}
    objections = service.objections_received_between(actor, period.start, period.end)
    attachments = [a for d in notices for a in d.attachments]
    return [
        RecordSet(
            NOTICE, 1, NOTICE_SCHEMA, tuple(_notice(d, _result_text(actor, d, today)) for d in notices), True
        ),
        RecordSet(
            OBJECTION,
            1,
            OBJECTION_SCHEMA,
            tuple(
                {
                    "id": o.id,
                    "notice_id": o.notice_id,
                    "notice_number": number,
                    "objector": o.objector,
                    "contact": o.contact,
                    "received_on": o.received_on.isoformat(),
                    "content": o.content,
                    "late": o.late,
                    "handling": o.handling,
                    "answer": o.answer,
                    "answered_on": _day(o.answered_on),
                    "answer_due": o.answer_due.isoformat(),
                    "recorded_by": o.recorded_by,
                }
                for o, number in objections
            ),
            True,
        ),
        RecordSet(
            ATTACHMENT,
            1,
            ATTACHMENT_SCHEMA,
            tuple(
                {
                    "id": a.id,
                    "notice_id": a.notice_id,
                    "notice_number": numbers[a.notice_id],
                    "purpose": a.purpose,
                    "file_name": a.file_name,
                    "media_type": a.media_type,
                    "size": a.size,
                    "sha256": a.sha256,
                    "added_at": _time(a.added_at),
                    "added_by": a.added_by,
                }
                for a in attachments
            ),
            True,  # a file's name may carry a name and a number (its printed caption is masked)
        ),
    ]


def result_date(d: service.NoticeDetail) -> date:
    """When a period's result is signed in the archive: the day after the period, or the day of
    the last answer to an objection received in it, whichever is later."""
    assert d.period_end is not None
    answered = [o.answered_on for o in d.objections if o.answered_on and not o.late]
    return max([d.period_end + timedelta(days=1), *answered])


def documents(actor: Actor, period: Period, today: date | None = None) -> list[ArchiveDocument]:
    """Each notice that went on the board, as printed; and each ended posting period's result."""
    today = today or date.today()
    out: list[ArchiveDocument] = []
    for d in service.approved_between(actor, period.start, period.end):
        if d.state not in rules.WAS_POSTED:
            continue  # approved and not (yet) posted, or withdrawn: never on public paper
        stem = f"notices/{d.year}-{d.sequence or 0:03d}"
        signed = d.approved_at.date() if d.approved_at else d.created_at.date()

        def notice_pdf(notice_id: int = d.id) -> OfficialDocument:
            return pdf.notice_document(service.document(actor, notice_id, today))

        out.append(
            ArchiveDocument(
                f"{stem}.pdf", f"{d.number} {d.title}", NOTICE, d.id, signed, bool(d.tables), notice_pdf
            )
        )
        if d.kind == rules.PUBLICITY and d.period_end is not None and d.period_end < today:
            on = min(result_date(d), today)

            def result_pdf(notice_id: int = d.id, on: date = on) -> OfficialDocument:
                return pdf.result_document(service.result_document(actor, notice_id, on))

            out.append(
                ArchiveDocument(
                    f"{stem}-result.pdf",
                    f"{d.number} {d.title}（公示结果）",
                    NOTICE,
                    d.id,
                    on,
                    bool(d.objections),
                    result_pdf,
                )
            )
    return out
