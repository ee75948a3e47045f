"""Version 12: whether the village's papers kept on file (minutes, report forms, ledgers, the 一事一档)
mask ID-card and phone numbers as public paper does (issue 17). A table of its own, so that the
audited notice settings written before it keep matching their audit entries; no row: masked.
"""

from __future__ import annotations

from villagegov.migrations.steps import statements

VERSION = 12
NAME = "papers: whether papers kept on file mask ID-card and phone numbers"

SQLITE = (
    'CREATE TABLE IF NOT EXISTS "paper_settings" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"village_id" INTEGER NOT NULL, "mask_on_file" INTEGER NOT NULL, '
    'FOREIGN KEY ("village_id") REFERENCES "village" ("id") ON DELETE RESTRICT)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "paper_settings_village_id" ON "paper_settings" ("village_id")',
)
POSTGRES = (
    'CREATE TABLE IF NOT EXISTS "paper_settings" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"village_id" INTEGER NOT NULL, "mask_on_file" BOOLEAN NOT NULL, '
    'FOREIGN KEY ("village_id") REFERENCES "village" ("id") ON DELETE RESTRICT)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "paper_settings_village_id" ON "paper_settings" ("village_id")',
)

apply = statements(SQLITE, POSTGRES)
