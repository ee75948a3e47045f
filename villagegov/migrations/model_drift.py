"""Version 10: what the models changed without a migration, and what the numbering gap skipped,
brought to every database whatever program made it.

Until this version each migration built its tables from the models of the program that ran it, so
a database's shape depended on the program that made it. Each step is conditional for that reason:
the same version can hold either shape.

- `agenda_item.decision_step` (and its index): made by version 3 (43557c2); the model dropped it in
  cf0666a, when the link to a 四议两公开 step moved to the decisions side (`decision_step.agenda_item`).
  Only `council.service.link_decision_step`, which no screen or command called, ever wrote it.
- `decision_step.notice_created_at`: the model gained it in bfcdb92, one commit after version 4
  (7e76e1e) made the table; a database made at 7e76e1e lacks it. NULL in its rows, as for a step
  that holds no notice.
- The numbering gap: main had migrations 1-4 and 7 from 2914d83, 5 from cee1856, 8 from 3967ad1 and
  6 only from 24c76a5. A database made in between was at version 7 or 8 without 5 or 6, and never
  got them (a database applies only versions above its own). Their tables are made here, as
  versions 5 (with version 9's column) and 6 made them.
"""

from __future__ import annotations

import peewee

from villagegov.migrations import ceremonies, ceremonies_report_days, petitions
from villagegov.migrations.steps import columns, has_table, is_postgres, run

VERSION = 10
NAME = "council, decisions, ceremonies, petitions: the models' changes without a migration, the gap"


def apply(db: peewee.Database) -> None:
    if "decision_step" in columns(db, "agenda_item"):
        # SQLite (3.35 or later) refuses to drop an indexed column: the index goes first.
        db.execute_sql('DROP INDEX IF EXISTS "agenda_item_decision_step"')
        db.execute_sql('ALTER TABLE "agenda_item" DROP COLUMN "decision_step"')
    if "notice_created_at" not in columns(db, "decision_step"):
        kind = "TIMESTAMP" if is_postgres(db) else "DATETIME"
        db.execute_sql(f'ALTER TABLE "decision_step" ADD COLUMN "notice_created_at" {kind}')
    if not has_table(db, "ceremony"):
        run(db, ceremonies.SQLITE, ceremonies.POSTGRES)
        db.execute_sql(ceremonies_report_days.ADD_COLUMN)
    if not has_table(db, "petition"):
        run(db, petitions.SQLITE, petitions.POSTGRES)
