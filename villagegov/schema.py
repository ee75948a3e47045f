"""The database schema as numbered migrations, and opening a store for the app, the CLI or a test.

Each later room appends its own migration; a database remembers the last one applied.

Only the house's tables (audit log, village, roster, users) are imported with the schema. Each
room's models are imported by its own migration, when that migration is applied, and otherwise
with the room: opening an up-to-date database at start-up imports no room's models (~40 ms).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import peewee

from villagegov.accounts.models import User
from villagegov.core import audit
from villagegov.core.db import Migration, bind, is_postgres, make_database, migrate, translated_errors
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
        *notices.MODELS_11,
    )  # fmt: skip


def __getattr__(name: str) -> Any:
    # `schema.AUDITED_MODELS` as before, made when first asked for (it imports every room's models).
    if name == "AUDITED_MODELS":
        return audited_models()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _v1_house(db: peewee.Database) -> None:
    db.create_tables([audit.AuditEntry, Village, VillagerGroup, Household, Villager, User])
    audit.install_guards(db)


def _v2_notices(db: peewee.Database) -> None:
    from villagegov.notices import models as notices

    db.create_tables(list(notices.MODELS))
    for sql in notices.SEARCH_POSTGRES if is_postgres(db) else notices.SEARCH_SQLITE:
        db.execute_sql(sql)


def _v3_council(db: peewee.Database) -> None:
    from villagegov.council import models as council

    db.create_tables(list(council.MODELS))


def _v4_decisions(db: peewee.Database) -> None:
    from villagegov.decisions import models as decisions

    db.create_tables(list(decisions.MODELS))


def _v5_ceremonies(db: peewee.Database) -> None:
    from villagegov.ceremonies import models as ceremonies

    db.create_tables(list(ceremonies.MODELS))


def _v6_petitions(db: peewee.Database) -> None:
    from villagegov.petitions import models as petitions

    db.create_tables(list(petitions.MODELS))


def _v7_archive(db: peewee.Database) -> None:
    from villagegov.archive import models as archive

    db.create_tables(list(archive.MODELS))
    for sql in archive.POSTGRES_GUARDS if is_postgres(db) else archive.SQLITE_GUARDS:
        db.execute_sql(sql)


def _v8_notices(db: peewee.Database) -> None:
    from villagegov.notices import models as notices
    from villagegov.notices import service as notices_service

    db.create_tables(list(notices.MODELS_8))
    for sql in notices.GRAMS_POSTGRES if is_postgres(db) else notices.GRAMS_SQLITE:
        db.execute_sql(sql)
    notices_service.rebuild_search_grams()


def _v9_report_days(db: peewee.Database) -> None:
    from villagegov.ceremonies.models import CeremonyCaps

    # A database made at version 5 or later by this program already has the column (create_tables
    # makes the table as the model now stands); one made before gets it, NULL: no rule in its versions.
    table = CeremonyCaps._meta.table_name
    if "report_days" not in {c.name for c in db.get_columns(table)}:
        db.execute_sql(f"ALTER TABLE {table} ADD COLUMN report_days INTEGER")


# Migration 11's table, frozen as written (the model is notices.models.PaperSettings).
PAPER_SETTINGS_SQLITE = (
    'CREATE TABLE IF NOT EXISTS "paper_settings" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"village_id" INTEGER NOT NULL, "mask_on_file" INTEGER NOT NULL, '
    'FOREIGN KEY ("village_id") REFERENCES "village" ("id") ON DELETE RESTRICT)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "papersettings_village_id" ON "paper_settings" ("village_id")',
)
PAPER_SETTINGS_POSTGRES = (
    'CREATE TABLE IF NOT EXISTS "paper_settings" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"village_id" INTEGER NOT NULL, "mask_on_file" BOOLEAN NOT NULL, '
    'FOREIGN KEY ("village_id") REFERENCES "village" ("id") ON DELETE RESTRICT)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "papersettings_village_id" ON "paper_settings" ("village_id")',
)


def _v11_paper_settings(db: peewee.Database) -> None:
    for sql in PAPER_SETTINGS_POSTGRES if is_postgres(db) else PAPER_SETTINGS_SQLITE:
        db.execute_sql(sql)


MIGRATIONS = (
    Migration(1, "house: audit log, village, roster, users", _v1_house),
    Migration(2, "notices: notices, objections, statements, settings, full-text search", _v2_notices),
    Migration(3, "council: members, rules, meetings, agenda, votes, resolutions, minutes", _v3_council),
    Migration(4, "decisions: major matters, rounds, six steps, participants, supervision", _v4_decisions),
    Migration(5, "ceremonies: council, standard versions, ceremonies and their stages", _v5_ceremonies),
    Migration(6, "petitions: ledgers, steps, time limits, mediations, sessions, follow-ups", _v6_petitions),
    Migration(
        7, "archive: the village's key; the township's registered keys and imported packages", _v7_archive
    ),
    Migration(
        8, "notices: index of short words (one or two characters), published office numbers", _v8_notices
    ),
    Migration(9, "ceremonies: the days a report comes ahead, per kind, in the standard", _v9_report_days),
    # 10 is another branch's; the numbers meet when they are merged.
    Migration(11, "notices: whether papers kept on file mask ID-card and phone numbers", _v11_paper_settings),
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
