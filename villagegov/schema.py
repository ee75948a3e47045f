"""Opening a store for the app, the CLI or a test, and which tables the audit log explains.

The numbered migrations live in `villagegov/migrations/`, each with its own SQL, frozen when
written; a database remembers the last one applied. Only the house's tables (audit log, village,
roster, users) are imported with the schema; each room's models come with the room, so opening an
up-to-date database at start-up imports no room's models (~40 ms).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import peewee

from villagegov import migrations
from villagegov.accounts.models import User
from villagegov.core.db import bind, make_database, migrate, translated_errors
from villagegov.migrations import checks as checks_migration
from villagegov.roster.models import Household, Village, Villager, VillagerGroup


def audited_models() -> tuple[type[peewee.Model], ...]:
    """Tables whose every row must be explained by the audit log (`villagegov check`)."""
    from villagegov.archive import models as archive
    from villagegov.ceremonies import models as ceremonies
    from villagegov.council import models as council
    from villagegov.decisions import models as decisions
    from villagegov.notices import models as notices
    from villagegov.petitions import models as petitions

    return (
        Village, VillagerGroup, Household, Villager, User,
        *notices.MODELS,
        *council.MODELS,
        *decisions.MODELS,
        *archive.AUDITED,
        *ceremonies.MODELS,
        *notices.MODELS_8,
        *petitions.AUDITED,
        *notices.MODELS_12,
    )  # fmt: skip


def __getattr__(name: str) -> Any:
    # `schema.AUDITED_MODELS` as before, made when first asked for (it imports every room's models).
    if name == "AUDITED_MODELS":
        return audited_models()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


MIGRATIONS = migrations.MIGRATIONS

# From this version the audit log holds users' password commitments (`check` of an older backup
# compares users without them).
COMMITMENTS_VERSION = checks_migration.VERSION


def open_store(target: str | Path) -> peewee.Database:
    """Open (creating if need be) and migrate a database, and bind every model to it."""
    with translated_errors():
        db = make_database(target)
        bind(db)
        db.connect(reuse_if_open=True)
        migrate(db, MIGRATIONS)
    return db


def close_store(db: peewee.Database) -> None:
    if not db.is_closed():
        db.close()
