"""The database schema as numbered migrations, and opening a store for the app, the CLI or a test.

Each later room appends its own migration; a database remembers the last one applied.
"""

from __future__ import annotations

from pathlib import Path

import peewee

from villagegov.accounts.models import User
from villagegov.core import audit
from villagegov.core.db import Migration, bind, is_postgres, make_database, migrate, translated_errors
from villagegov.council import models as council
from villagegov.notices import models as notices
from villagegov.petitions import models as petitions
from villagegov.roster.models import Household, Village, Villager, VillagerGroup

# Tables whose every row must be explained by the audit log (`villagegov check`).
AUDITED_MODELS: tuple[type[peewee.Model], ...] = (
    Village, VillagerGroup, Household, Villager, User,
    *notices.MODELS,
    *council.MODELS,
    *petitions.AUDITED,
)  # fmt: skip


def _v1_house(db: peewee.Database) -> None:
    db.create_tables([audit.AuditEntry, Village, VillagerGroup, Household, Villager, User])
    audit.install_guards(db)


def _v2_notices(db: peewee.Database) -> None:
    db.create_tables(list(notices.MODELS))
    for sql in notices.SEARCH_POSTGRES if is_postgres(db) else notices.SEARCH_SQLITE:
        db.execute_sql(sql)


def _v3_council(db: peewee.Database) -> None:
    db.create_tables(list(council.MODELS))


def _v6_petitions(db: peewee.Database) -> None:
    db.create_tables(list(petitions.MODELS))


MIGRATIONS = (
    Migration(1, "house: audit log, village, roster, users", _v1_house),
    Migration(2, "notices: notices, objections, statements, settings, full-text search", _v2_notices),
    Migration(3, "council: members, rules, meetings, agenda, votes, resolutions, minutes", _v3_council),
    # 4, 5 and 7 belong to rooms built beside this one; the lead merges them in order.
    Migration(6, "petitions: ledgers, steps, time limits, mediations, sessions, follow-ups", _v6_petitions),
)


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
