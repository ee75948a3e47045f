"""Version 9: the days a report must come ahead of the day, per kind of ceremony, in each version of
the standard (696e251, 2026-11-29). Versions adopted before it set no such rule: the column is
empty (NULL) in their rows.
"""

from __future__ import annotations

import peewee

from villagegov.migrations.steps import columns, has_table

VERSION = 9
NAME = "ceremonies: the days a report comes ahead, per kind, in the standard"

ADD_COLUMN = "ALTER TABLE ceremony_caps ADD COLUMN report_days INTEGER"


def apply(db: peewee.Database) -> None:
    # The earlier program built each migration's tables from its models of the day, so a database it
    # left at version 5 to 8 (a later migration having failed) may have the column already. One made
    # in the numbering gap (see model_drift) has no ceremonies' tables yet: version 10 makes them.
    if has_table(db, "ceremony_caps") and "report_days" not in columns(db, "ceremony_caps"):
        db.execute_sql(ADD_COLUMN)
