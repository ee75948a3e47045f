"""The schema as a whole: every room's tables side by side in one database."""

from __future__ import annotations

import peewee

from villagegov import schema
from villagegov.core.db import schema_version


def _all_models() -> list[type[peewee.Model]]:
    found: dict[int, type[peewee.Model]] = {}
    stack = [peewee.Model]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("villagegov.") and sub._meta.table_name:
                found[id(sub)] = sub
    return list(found.values())


def test_no_two_models_share_a_table() -> None:
    """Two rooms with a `Supervision` once shared one table: the second room's rows had no column."""
    schema.audited_models()  # imports every room's models
    tables: dict[str, str] = {}
    for model in _all_models():
        name = model._meta.table_name
        where = f"{model.__module__}.{model.__name__}"
        assert name not in tables, f"{where} and {tables[name]} both use the table {name}"
        tables[name] = where


def test_migrations_are_numbered_one_to_n_without_gaps() -> None:
    """A database remembers only its last migration: a gap filled later would never be applied."""
    assert [m.version for m in schema.MIGRATIONS] == list(range(1, len(schema.MIGRATIONS) + 1))


def test_a_database_from_before_the_report_days_gets_them_empty(any_store: peewee.Database) -> None:
    """Version 9 adds the ceremonies' report_days to a database made before it (on both engines); its
    standards' versions then set no such rule (NULL), as they were adopted."""
    from villagegov.ceremonies.models import CeremonyCaps

    db = any_store
    table = CeremonyCaps._meta.table_name
    db.execute_sql(f"ALTER TABLE {table} DROP COLUMN report_days")  # as version 8 made it
    db.execute_sql("DELETE FROM schema_version WHERE version >= 9")
    assert "report_days" not in {c.name for c in db.get_columns(table)}
    assert schema.migrate(db, schema.MIGRATIONS) == schema.MIGRATIONS[-1].version
    assert "report_days" in {c.name for c in db.get_columns(table)}
    assert schema_version(db) == schema.MIGRATIONS[-1].version


def test_a_database_from_before_the_paper_settings_gets_their_table(any_store: peewee.Database) -> None:
    """Version 11 adds the village's choice for papers kept on file, on both engines: no row, the
    default (masked), and a row written later is audited like every setting."""
    from tests.conftest import set_up_village
    from villagegov.notices import service as notices
    from villagegov.notices.models import PaperSettings

    db = any_store
    db.execute_sql("DROP TABLE paper_settings")  # as version 9 left it
    db.execute_sql("DELETE FROM schema_version WHERE version >= 10")
    assert "paper_settings" not in db.get_tables()
    assert schema.migrate(db, schema.MIGRATIONS) == schema.MIGRATIONS[-1].version
    assert "paper_settings" in db.get_tables()
    clerk = set_up_village()
    assert notices.masking(clerk).on_file and PaperSettings.select().count() == 0
    notices.update_notice_settings(clerk, notices.NoticeSettingsData(mask_on_file=False))
    assert not notices.masking(clerk).on_file
