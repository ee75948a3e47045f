"""What the room's services share (petition_service, mediation_service and the room's service): the
village's names and settings, the search by words, a villager from the roster, numbering, the masking
of public paper. No operation of its own: every write is one of theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import peewee

from villagegov.core import clock
from villagegov.core.actor import Actor
from villagegov.core.db import database, is_postgres
from villagegov.core.errors import ValidationError
from villagegov.core.i18n import N_
from villagegov.core.privacy import Audience, Masking
from villagegov.petitions import petition_rules
from villagegov.petitions.models import PetitionSettings
from villagegov.petitions.records import Settings
from villagegov.roster.models import Village, Villager


def as_date(value: str | date | None) -> date | None:
    """SQLite returns a DateField read straight from the cursor as text, PostgreSQL as a date."""
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


def today_or(today: date | None) -> date:
    return today or clock.today()


def settings_row(vid: int) -> PetitionSettings | None:
    return PetitionSettings.get_or_none(PetitionSettings.village == vid)


def settings_of(vid: int) -> Settings:
    """The village's time limits and mediation committee (the defaults until the secretary sets them)."""
    row = settings_row(vid)
    if row is None:
        return Settings()
    fields = petition_rules.LIMIT_FIELDS
    limits = petition_rules.TimeLimits(**{name: getattr(row, name) for name in fields})
    return Settings(limits, row.committee_name)


def village_name(vid: int) -> str:
    return Village.get_by_id(vid).name


def village_committee(vid: int) -> str:
    """Who signs the ledgers, the acceptance notices and the summary."""
    return f"{village_name(vid)}村民委员会"


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains(column: peewee.Field, term: str) -> peewee.ColumnBase:
    """The column holds the term, in any case, wildcards taken literally."""
    op = "ILIKE" if is_postgres() else "LIKE"
    return peewee.NodeList((column, peewee.SQL(op), _like(term), peewee.SQL("ESCAPE '\\'")))


def villager(vid: int, villager_id: int) -> Villager:
    row = Villager.get_or_none((Villager.id == villager_id) & (Villager.village == vid))
    if row is None:
        raise ValidationError(N_("That villager is not on this village's roster."), field="villager")
    return row


def number_lock(actor: Actor) -> None:
    """Inside a write's transaction, before it takes the next number of a series."""
    if is_postgres():
        # Two users registering at once must not take the same number (same lock as the audit).
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (actor.audit_chain,))


def masking(actor: Actor, vid: int) -> Masking:
    """How the village's paper masks numbers (kept with its notices' settings, DOMAIN.md)."""
    from villagegov.notices import service as notices

    return notices.masking(actor, vid)


def masker(masking: Masking) -> Callable[[str], str]:
    """What this room's papers, all kept on file but the summary, do with a text: every ID-card and
    phone number masked, unless the village prints them in full on such papers."""
    return masking if masking.masks(Audience.ON_FILE) else str


def check_period(start: date, end: date) -> None:
    """A period of figures or of a ledger: it ends after it begins, and spans at most ten years."""
    from villagegov.petitions import rules

    rules.months_of(start, end)
    if (end - start).days > 3660:
        raise ValidationError(N_("A period of figures is at most ten years."), field="period")
