"""What the 民情三本账 and 矛盾纠纷调处 room gives the yearly archive (villagegov/archive/contract.py).

Records: every petition of the period with all its steps (petition_archiving.py), every dispute with
its parties, sessions, outcome and follow-up visits (mediation_archiving.py), and the period's
figures for the county. A complainant is never named in the archive, whoever exports it.

Documents: the period's ledgers and summary, each acceptance notice given, and each mediation
agreement, built lazily through the room's table of papers (documents.py), as the room prints them.
Each paper goes with the period its own date falls in.
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
)
from villagegov.core.actor import Actor
from villagegov.core.i18n import in_document_language
from villagegov.petitions import mediation_archiving, petition_archiving, rules
from villagegov.petitions.mediation_archiving import FOLLOW_UP_DAYS, MEDIATION, MEDIATION_SCHEMA
from villagegov.petitions.petition_archiving import DATE, INT, PETITION, PETITION_SCHEMA, SCHEMA_VERSION

if TYPE_CHECKING:
    from villagegov.petitions import documents as documents_table
    from villagegov.petitions import pdf, service
    from villagegov.printing.document import OfficialDocument
else:  # imported when first used: verifying a package needs only the schemas
    documents_table = LazyModule("villagegov.petitions.documents")
    pdf = LazyModule("villagegov.petitions.pdf")
    service = LazyModule("villagegov.petitions.service")

__all__ = ["FOLLOW_UP_DAYS", "MEDIATION", "PERIOD", "PETITION", "SCHEMAS", "documents", "records", "review"]

PERIOD = "petition_period"

_COUNTS = {
    "type": "object",
    "properties": {
        "month": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}$"},
        "received": INT,
        "closed": INT,
        "on_time": INT,
        "answers": INT,
        "satisfied": INT,
    },
    "required": ["month", "received", "closed", "on_time", "answers", "satisfied"],
}
_DISPUTES = {
    "type": "object",
    "properties": {
        "month": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}$"},
        "received": INT,
        "concluded": INT,
        "resolved": INT,
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
        "id": INT,
        "start": DATE,
        "end": DATE,
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


@in_document_language  # the archive's words are Chinese whatever the screen speaks
def records(actor: Actor, period: Period) -> list[RecordSet]:
    return [
        petition_archiving.record_set(actor, period),
        mediation_archiving.record_set(actor, period),
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
        return documents_table.ledgers_between(actor, period.start, period.end, a4(), period.end)

    def summary() -> OfficialDocument:
        return documents_table.summary_between(actor, period.start, period.end, a4(), period.end)

    return [
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
        *petition_archiving.documents(actor, period),
        *mediation_archiving.documents(actor, period),
    ]


# --- the township's review ---------------------------------------------------------------------------


def review(records: dict[str, list[dict[str, Any]]], as_of: date | None = None) -> list[ReviewFinding]:
    """What a township reviewer should look at in a package's petitions and mediations (pure): see
    petition_archiving.review and mediation_archiving.review."""
    return petition_archiving.review(records, as_of) + mediation_archiving.review(records, as_of)
