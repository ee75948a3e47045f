"""What the 红白理事会 service's modules share: the clock and the numbering lock."""

from __future__ import annotations

from datetime import date, datetime

from villagegov.core import clock
from villagegov.core.actor import Actor
from villagegov.core.db import database, is_postgres


def _now(now: datetime | None) -> datetime:
    return now or clock.now()


def _date(value: str | date | None) -> date | None:
    """SQLite hands back a DateField read from a plain cursor as text, PostgreSQL as a date."""
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _lock_numbers(actor: Actor) -> None:
    """Two clerks reporting at once must not take the same number (the audit chain's lock)."""
    if is_postgres():
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (actor.audit_chain,))
