"""Version 1: the house's tables (the audit log, the village, its roster, the users) and the audit
log's append-only guards, as written in e3a4c94 (2026-11-23).

The guards are `core/audit.py`'s SQLITE_TRIGGERS / POSTGRES_TRIGGERS of that day, copied here.
"""

from __future__ import annotations

from villagegov.migrations.steps import statements

VERSION = 1
NAME = "house: audit log, village, roster, users"

SQLITE = (
    """CREATE TABLE "audit_entry" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "chain" INTEGER NOT NULL,
        "seq" INTEGER NOT NULL,
        "at" VARCHAR(255) NOT NULL,
        "actor" VARCHAR(255) NOT NULL,
        "actor_role" VARCHAR(255) NOT NULL,
        "action" VARCHAR(255) NOT NULL,
        "entity" VARCHAR(255) NOT NULL,
        "entity_id" VARCHAR(255),
        "before" TEXT,
        "after" TEXT,
        "prev_hash" VARCHAR(64) NOT NULL,
        "hash" VARCHAR(64) NOT NULL
    )""",
    'CREATE UNIQUE INDEX "audit_entry_chain_seq" ON "audit_entry" ("chain", "seq")',
    'CREATE INDEX "audit_entry_entity_entity_id" ON "audit_entry" ("entity", "entity_id")',
    """CREATE TABLE "village" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "name" VARCHAR(255) NOT NULL,
        "township" VARCHAR(255) NOT NULL,
        "county" VARCHAR(255) NOT NULL,
        "created_at" DATETIME NOT NULL
    )""",
    'CREATE UNIQUE INDEX "village_county_township_name" ON "village" ("county", "township", "name")',
    """CREATE TABLE "villager_group" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "village_id" INTEGER NOT NULL,
        "name" VARCHAR(255) NOT NULL,
        "sort_order" INTEGER NOT NULL,
        FOREIGN KEY ("village_id") REFERENCES "village" ("id") ON DELETE RESTRICT
    )""",
    'CREATE INDEX "villager_group_village_id" ON "villager_group" ("village_id")',
    'CREATE UNIQUE INDEX "villager_group_village_id_name" ON "villager_group" ("village_id", "name")',
    """CREATE TABLE "household" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "village_id" INTEGER NOT NULL,
        "group_id" INTEGER NOT NULL,
        "number" VARCHAR(255) NOT NULL,
        "address" VARCHAR(255) NOT NULL,
        FOREIGN KEY ("village_id") REFERENCES "village" ("id") ON DELETE RESTRICT,
        FOREIGN KEY ("group_id") REFERENCES "villager_group" ("id") ON DELETE RESTRICT
    )""",
    'CREATE INDEX "household_village_id" ON "household" ("village_id")',
    'CREATE INDEX "household_group_id" ON "household" ("group_id")',
    'CREATE UNIQUE INDEX "household_village_id_number" ON "household" ("village_id", "number")',
    """CREATE TABLE "user" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "village_id" INTEGER,
        "username" VARCHAR(255) NOT NULL,
        "display_name" VARCHAR(255) NOT NULL,
        "role" VARCHAR(255) NOT NULL,
        "password_hash" VARCHAR(255) NOT NULL,
        "active" INTEGER NOT NULL,
        "created_at" DATETIME NOT NULL,
        FOREIGN KEY ("village_id") REFERENCES "village" ("id") ON DELETE RESTRICT
    )""",
    'CREATE INDEX "user_village_id" ON "user" ("village_id")',
    'CREATE UNIQUE INDEX "user_username" ON "user" ("username")',
    """CREATE TABLE "villager" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "village_id" INTEGER NOT NULL,
        "household_id" INTEGER NOT NULL,
        "relation" VARCHAR(255) NOT NULL,
        "name" VARCHAR(255) NOT NULL,
        "gender" VARCHAR(255) NOT NULL,
        "birth_date" DATE NOT NULL,
        "id_number" VARCHAR(255),
        "phone" VARCHAR(255) NOT NULL,
        "party_member" INTEGER NOT NULL,
        "representative" INTEGER NOT NULL,
        "representative_term_start" DATE,
        "representative_term_end" DATE,
        "notes" TEXT NOT NULL,
        FOREIGN KEY ("village_id") REFERENCES "village" ("id") ON DELETE RESTRICT,
        FOREIGN KEY ("household_id") REFERENCES "household" ("id") ON DELETE RESTRICT
    )""",
    'CREATE INDEX "villager_village_id" ON "villager" ("village_id")',
    'CREATE INDEX "villager_household_id" ON "villager" ("household_id")',
    'CREATE UNIQUE INDEX "villager_village_id_id_number" ON "villager" ("village_id", "id_number")',
    'CREATE INDEX "villager_village_id_name" ON "villager" ("village_id", "name")',
    """CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON audit_entry BEGIN SELECT
        RAISE(ABORT, 'the audit log is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON audit_entry BEGIN SELECT
        RAISE(ABORT, 'the audit log is append-only'); END""",
)

POSTGRES = (
    """CREATE TABLE "audit_entry" (
        "id" SERIAL NOT NULL PRIMARY KEY,
        "chain" INTEGER NOT NULL,
        "seq" INTEGER NOT NULL,
        "at" VARCHAR(255) NOT NULL,
        "actor" VARCHAR(255) NOT NULL,
        "actor_role" VARCHAR(255) NOT NULL,
        "action" VARCHAR(255) NOT NULL,
        "entity" VARCHAR(255) NOT NULL,
        "entity_id" VARCHAR(255),
        "before" TEXT,
        "after" TEXT,
        "prev_hash" VARCHAR(64) NOT NULL,
        "hash" VARCHAR(64) NOT NULL
    )""",
    'CREATE UNIQUE INDEX "audit_entry_chain_seq" ON "audit_entry" ("chain", "seq")',
    'CREATE INDEX "audit_entry_entity_entity_id" ON "audit_entry" ("entity", "entity_id")',
    """CREATE TABLE "village" (
        "id" SERIAL NOT NULL PRIMARY KEY,
        "name" VARCHAR(255) NOT NULL,
        "township" VARCHAR(255) NOT NULL,
        "county" VARCHAR(255) NOT NULL,
        "created_at" TIMESTAMP NOT NULL
    )""",
    'CREATE UNIQUE INDEX "village_county_township_name" ON "village" ("county", "township", "name")',
    """CREATE TABLE "villager_group" (
        "id" SERIAL NOT NULL PRIMARY KEY,
        "village_id" INTEGER NOT NULL,
        "name" VARCHAR(255) NOT NULL,
        "sort_order" INTEGER NOT NULL,
        FOREIGN KEY ("village_id") REFERENCES "village" ("id") ON DELETE RESTRICT
    )""",
    'CREATE INDEX "villager_group_village_id" ON "villager_group" ("village_id")',
    'CREATE UNIQUE INDEX "villager_group_village_id_name" ON "villager_group" ("village_id", "name")',
    """CREATE TABLE "household" (
        "id" SERIAL NOT NULL PRIMARY KEY,
        "village_id" INTEGER NOT NULL,
        "group_id" INTEGER NOT NULL,
        "number" VARCHAR(255) NOT NULL,
        "address" VARCHAR(255) NOT NULL,
        FOREIGN KEY ("village_id") REFERENCES "village" ("id") ON DELETE RESTRICT,
        FOREIGN KEY ("group_id") REFERENCES "villager_group" ("id") ON DELETE RESTRICT
    )""",
    'CREATE INDEX "household_village_id" ON "household" ("village_id")',
    'CREATE INDEX "household_group_id" ON "household" ("group_id")',
    'CREATE UNIQUE INDEX "household_village_id_number" ON "household" ("village_id", "number")',
    """CREATE TABLE "user" (
        "id" SERIAL NOT NULL PRIMARY KEY,
        "village_id" INTEGER,
        "username" VARCHAR(255) NOT NULL,
        "display_name" VARCHAR(255) NOT NULL,
        "role" VARCHAR(255) NOT NULL,
        "password_hash" VARCHAR(255) NOT NULL,
        "active" BOOLEAN NOT NULL,
        "created_at" TIMESTAMP NOT NULL,
        FOREIGN KEY ("village_id") REFERENCES "village" ("id") ON DELETE RESTRICT
    )""",
    'CREATE INDEX "user_village_id" ON "user" ("village_id")',
    'CREATE UNIQUE INDEX "user_username" ON "user" ("username")',
    """CREATE TABLE "villager" (
        "id" SERIAL NOT NULL PRIMARY KEY,
        "village_id" INTEGER NOT NULL,
        "household_id" INTEGER NOT NULL,
        "relation" VARCHAR(255) NOT NULL,
        "name" VARCHAR(255) NOT NULL,
        "gender" VARCHAR(255) NOT NULL,
        "birth_date" DATE NOT NULL,
        "id_number" VARCHAR(255),
        "phone" VARCHAR(255) NOT NULL,
        "party_member" BOOLEAN NOT NULL,
        "representative" BOOLEAN NOT NULL,
        "representative_term_start" DATE,
        "representative_term_end" DATE,
        "notes" TEXT NOT NULL,
        FOREIGN KEY ("village_id") REFERENCES "village" ("id") ON DELETE RESTRICT,
        FOREIGN KEY ("household_id") REFERENCES "household" ("id") ON DELETE RESTRICT
    )""",
    'CREATE INDEX "villager_village_id" ON "villager" ("village_id")',
    'CREATE INDEX "villager_household_id" ON "villager" ("household_id")',
    'CREATE UNIQUE INDEX "villager_village_id_id_number" ON "villager" ("village_id", "id_number")',
    'CREATE INDEX "villager_village_id_name" ON "villager" ("village_id", "name")',
    """CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION
        'the audit log is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_entry FOR EACH ROW EXECUTE
        FUNCTION audit_entry_append_only()""",
)

apply = statements(SQLITE, POSTGRES)
