"""The numbered migrations: each carries its own SQL for SQLite and PostgreSQL, frozen when written.

A migration never imports a room's models, never builds tables from them and never calls a
service: what version N makes is what it made the day it was written, whatever the models say
today. A later change to a model is a new migration (docs/ARCHITECTURE.md says how to add one).

Each module holds its VERSION (the one place its number is written), its NAME and `apply(db)`;
`migrate` (core/db.py) runs each in one transaction with its version number.
"""

from __future__ import annotations

from types import ModuleType

from villagegov.core.db import Migration
from villagegov.migrations import (
    archive,
    ceremonies,
    ceremonies_report_days,
    checks,
    council,
    decisions,
    house,
    model_drift,
    notices,
    notices_short_words,
    paper_settings,
    petitions,
)

MODULES: tuple[ModuleType, ...] = (
    house,
    notices,
    council,
    decisions,
    ceremonies,
    petitions,
    archive,
    notices_short_words,
    ceremonies_report_days,
    model_drift,
    checks,
    paper_settings,
)

MIGRATIONS: tuple[Migration, ...] = tuple(
    sorted((Migration(m.VERSION, m.NAME, m.apply) for m in MODULES), key=lambda m: m.version)
)
