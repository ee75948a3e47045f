"""Version 7: the archive room's tables and the guards that keep imported content read-only, as
they reached main in 2914d83 (2026-11-29). The guards are `archive/models.py`'s SQLITE_GUARDS /
POSTGRES_GUARDS of that day, copied here.
"""

from __future__ import annotations

from villagegov.migrations.steps import statements

VERSION = 7
NAME = "archive: the village's key; the township's registered keys and imported packages"

SQLITE = (
    """CREATE TABLE "archive_village" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "county" VARCHAR(255) NOT NULL,
        "township" VARCHAR(255) NOT NULL,
        "name" VARCHAR(255) NOT NULL,
        "registered_at" DATETIME NOT NULL,
        "registered_by" VARCHAR(255) NOT NULL
    )""",
    """CREATE UNIQUE INDEX "archive_village_county_township_name" ON "archive_village" ("county",
        "township", "name")""",
    """CREATE TABLE "archive_package" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "village_id" INTEGER NOT NULL,
        "package_id" VARCHAR(64) NOT NULL,
        "file_name" VARCHAR(255) NOT NULL,
        "file_sha256" VARCHAR(64) NOT NULL,
        "period_start" DATE NOT NULL,
        "period_end" DATE NOT NULL,
        "exported_at" VARCHAR(255) NOT NULL,
        "exporter" VARCHAR(255) NOT NULL,
        "fingerprint" VARCHAR(255) NOT NULL,
        "format_version" INTEGER NOT NULL,
        "first_seq" INTEGER NOT NULL,
        "prev_hash" VARCHAR(64) NOT NULL,
        "head_seq" INTEGER NOT NULL,
        "head_hash" VARCHAR(64) NOT NULL,
        "entries" INTEGER NOT NULL,
        "documents" INTEGER NOT NULL,
        "record_counts" TEXT NOT NULL,
        "personal_data" TEXT NOT NULL,
        "imported_at" DATETIME NOT NULL,
        "imported_by" VARCHAR(255) NOT NULL,
        "superseded_by_id" INTEGER,
        FOREIGN KEY ("village_id") REFERENCES "archive_village" ("id") ON DELETE RESTRICT,
        FOREIGN KEY ("superseded_by_id") REFERENCES "archive_package" ("id") ON DELETE RESTRICT
    )""",
    'CREATE INDEX "archive_package_village_id" ON "archive_package" ("village_id")',
    'CREATE UNIQUE INDEX "archive_package_package_id" ON "archive_package" ("package_id")',
    'CREATE INDEX "archive_package_superseded_by_id" ON "archive_package" ("superseded_by_id")',
    """CREATE INDEX "archive_package_village_id_period_start_period_end" ON "archive_package"
        ("village_id", "period_start", "period_end")""",
    """CREATE TABLE "archive_audit" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "package_id" INTEGER NOT NULL,
        "content" TEXT NOT NULL,
        FOREIGN KEY ("package_id") REFERENCES "archive_package" ("id") ON DELETE RESTRICT
    )""",
    'CREATE UNIQUE INDEX "archive_audit_package_id" ON "archive_audit" ("package_id")',
    """CREATE TABLE "archive_document" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "package_id" INTEGER NOT NULL,
        "number" INTEGER NOT NULL,
        "file" VARCHAR(255) NOT NULL,
        "room" VARCHAR(255) NOT NULL,
        "title" TEXT NOT NULL,
        "record_kind" VARCHAR(255) NOT NULL,
        "record_id" INTEGER NOT NULL,
        "on" DATE NOT NULL,
        "pages" INTEGER NOT NULL,
        "personal_data" INTEGER NOT NULL,
        "sha256" VARCHAR(64) NOT NULL,
        "content" BLOB NOT NULL,
        FOREIGN KEY ("package_id") REFERENCES "archive_package" ("id") ON DELETE RESTRICT
    )""",
    'CREATE INDEX "archive_document_package_id" ON "archive_document" ("package_id")',
    """CREATE UNIQUE INDEX "archive_document_package_id_number" ON "archive_document" ("package_id",
        "number")""",
    """CREATE TABLE "archive_record_set" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "package_id" INTEGER NOT NULL,
        "kind" VARCHAR(255) NOT NULL,
        "schema_version" INTEGER NOT NULL,
        "personal_data" INTEGER NOT NULL,
        "count" INTEGER NOT NULL,
        "records" TEXT NOT NULL,
        FOREIGN KEY ("package_id") REFERENCES "archive_package" ("id") ON DELETE RESTRICT
    )""",
    'CREATE INDEX "archive_record_set_package_id" ON "archive_record_set" ("package_id")',
    """CREATE UNIQUE INDEX "archive_record_set_package_id_kind" ON "archive_record_set" ("package_id",
        "kind")""",
    """CREATE TABLE "archive_registered_key" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "village_id" INTEGER NOT NULL,
        "public_key" VARCHAR(255) NOT NULL,
        "fingerprint" VARCHAR(255) NOT NULL,
        "registered_at" DATETIME NOT NULL,
        "registered_by" VARCHAR(255) NOT NULL,
        "retired_at" DATETIME,
        FOREIGN KEY ("village_id") REFERENCES "archive_village" ("id") ON DELETE RESTRICT
    )""",
    'CREATE INDEX "archive_registered_key_village_id" ON "archive_registered_key" ("village_id")',
    """CREATE UNIQUE INDEX "archive_registered_key_village_id_fingerprint" ON "archive_registered_key"
        ("village_id", "fingerprint")""",
    """CREATE TABLE "archive_village_key" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "village_id" INTEGER NOT NULL,
        "public_key" VARCHAR(255) NOT NULL,
        "fingerprint" VARCHAR(255) NOT NULL,
        "private_key" TEXT NOT NULL,
        "created_at" DATETIME NOT NULL,
        "created_by" VARCHAR(255) NOT NULL,
        FOREIGN KEY ("village_id") REFERENCES "village" ("id") ON DELETE RESTRICT
    )""",
    'CREATE UNIQUE INDEX "archive_village_key_village_id" ON "archive_village_key" ("village_id")',
    """CREATE TRIGGER IF NOT EXISTS archive_record_set_no_update BEFORE UPDATE ON archive_record_set BEGIN
        SELECT RAISE(ABORT, 'imported archive content is read-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS archive_record_set_no_delete BEFORE DELETE ON archive_record_set BEGIN
        SELECT RAISE(ABORT, 'imported archive content is read-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS archive_document_no_update BEFORE UPDATE ON archive_document BEGIN
        SELECT RAISE(ABORT, 'imported archive content is read-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS archive_document_no_delete BEFORE DELETE ON archive_document BEGIN
        SELECT RAISE(ABORT, 'imported archive content is read-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS archive_audit_no_update BEFORE UPDATE ON archive_audit BEGIN SELECT
        RAISE(ABORT, 'imported archive content is read-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS archive_audit_no_delete BEFORE DELETE ON archive_audit BEGIN SELECT
        RAISE(ABORT, 'imported archive content is read-only'); END""",
)

POSTGRES = (
    """CREATE TABLE "archive_village" (
        "id" SERIAL NOT NULL PRIMARY KEY,
        "county" VARCHAR(255) NOT NULL,
        "township" VARCHAR(255) NOT NULL,
        "name" VARCHAR(255) NOT NULL,
        "registered_at" TIMESTAMP NOT NULL,
        "registered_by" VARCHAR(255) NOT NULL
    )""",
    """CREATE UNIQUE INDEX "archive_village_county_township_name" ON "archive_village" ("county",
        "township", "name")""",
    """CREATE TABLE "archive_package" (
        "id" SERIAL NOT NULL PRIMARY KEY,
        "village_id" INTEGER NOT NULL,
        "package_id" VARCHAR(64) NOT NULL,
        "file_name" VARCHAR(255) NOT NULL,
        "file_sha256" VARCHAR(64) NOT NULL,
        "period_start" DATE NOT NULL,
        "period_end" DATE NOT NULL,
        "exported_at" VARCHAR(255) NOT NULL,
        "exporter" VARCHAR(255) NOT NULL,
        "fingerprint" VARCHAR(255) NOT NULL,
        "format_version" INTEGER NOT NULL,
        "first_seq" INTEGER NOT NULL,
        "prev_hash" VARCHAR(64) NOT NULL,
        "head_seq" INTEGER NOT NULL,
        "head_hash" VARCHAR(64) NOT NULL,
        "entries" INTEGER NOT NULL,
        "documents" INTEGER NOT NULL,
        "record_counts" TEXT NOT NULL,
        "personal_data" TEXT NOT NULL,
        "imported_at" TIMESTAMP NOT NULL,
        "imported_by" VARCHAR(255) NOT NULL,
        "superseded_by_id" INTEGER,
        FOREIGN KEY ("village_id") REFERENCES "archive_village" ("id") ON DELETE RESTRICT,
        FOREIGN KEY ("superseded_by_id") REFERENCES "archive_package" ("id") ON DELETE RESTRICT
    )""",
    'CREATE INDEX "archive_package_village_id" ON "archive_package" ("village_id")',
    'CREATE UNIQUE INDEX "archive_package_package_id" ON "archive_package" ("package_id")',
    'CREATE INDEX "archive_package_superseded_by_id" ON "archive_package" ("superseded_by_id")',
    """CREATE INDEX "archive_package_village_id_period_start_period_end" ON "archive_package"
        ("village_id", "period_start", "period_end")""",
    """CREATE TABLE "archive_audit" (
        "id" SERIAL NOT NULL PRIMARY KEY,
        "package_id" INTEGER NOT NULL,
        "content" TEXT NOT NULL,
        FOREIGN KEY ("package_id") REFERENCES "archive_package" ("id") ON DELETE RESTRICT
    )""",
    'CREATE UNIQUE INDEX "archive_audit_package_id" ON "archive_audit" ("package_id")',
    """CREATE TABLE "archive_document" (
        "id" SERIAL NOT NULL PRIMARY KEY,
        "package_id" INTEGER NOT NULL,
        "number" INTEGER NOT NULL,
        "file" VARCHAR(255) NOT NULL,
        "room" VARCHAR(255) NOT NULL,
        "title" TEXT NOT NULL,
        "record_kind" VARCHAR(255) NOT NULL,
        "record_id" INTEGER NOT NULL,
        "on" DATE NOT NULL,
        "pages" INTEGER NOT NULL,
        "personal_data" BOOLEAN NOT NULL,
        "sha256" VARCHAR(64) NOT NULL,
        "content" BYTEA NOT NULL,
        FOREIGN KEY ("package_id") REFERENCES "archive_package" ("id") ON DELETE RESTRICT
    )""",
    'CREATE INDEX "archive_document_package_id" ON "archive_document" ("package_id")',
    """CREATE UNIQUE INDEX "archive_document_package_id_number" ON "archive_document" ("package_id",
        "number")""",
    """CREATE TABLE "archive_record_set" (
        "id" SERIAL NOT NULL PRIMARY KEY,
        "package_id" INTEGER NOT NULL,
        "kind" VARCHAR(255) NOT NULL,
        "schema_version" INTEGER NOT NULL,
        "personal_data" BOOLEAN NOT NULL,
        "count" INTEGER NOT NULL,
        "records" TEXT NOT NULL,
        FOREIGN KEY ("package_id") REFERENCES "archive_package" ("id") ON DELETE RESTRICT
    )""",
    'CREATE INDEX "archive_record_set_package_id" ON "archive_record_set" ("package_id")',
    """CREATE UNIQUE INDEX "archive_record_set_package_id_kind" ON "archive_record_set" ("package_id",
        "kind")""",
    """CREATE TABLE "archive_registered_key" (
        "id" SERIAL NOT NULL PRIMARY KEY,
        "village_id" INTEGER NOT NULL,
        "public_key" VARCHAR(255) NOT NULL,
        "fingerprint" VARCHAR(255) NOT NULL,
        "registered_at" TIMESTAMP NOT NULL,
        "registered_by" VARCHAR(255) NOT NULL,
        "retired_at" TIMESTAMP,
        FOREIGN KEY ("village_id") REFERENCES "archive_village" ("id") ON DELETE RESTRICT
    )""",
    'CREATE INDEX "archive_registered_key_village_id" ON "archive_registered_key" ("village_id")',
    """CREATE UNIQUE INDEX "archive_registered_key_village_id_fingerprint" ON "archive_registered_key"
        ("village_id", "fingerprint")""",
    """CREATE TABLE "archive_village_key" (
        "id" SERIAL NOT NULL PRIMARY KEY,
        "village_id" INTEGER NOT NULL,
        "public_key" VARCHAR(255) NOT NULL,
        "fingerprint" VARCHAR(255) NOT NULL,
        "private_key" TEXT NOT NULL,
        "created_at" TIMESTAMP NOT NULL,
        "created_by" VARCHAR(255) NOT NULL,
        FOREIGN KEY ("village_id") REFERENCES "village" ("id") ON DELETE RESTRICT
    )""",
    'CREATE UNIQUE INDEX "archive_village_key_village_id" ON "archive_village_key" ("village_id")',
    """CREATE OR REPLACE FUNCTION archive_content_read_only() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION
        'imported archive content is read-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER archive_record_set_no_change BEFORE UPDATE OR DELETE ON archive_record_set FOR EACH
        ROW EXECUTE FUNCTION archive_content_read_only()""",
    """CREATE TRIGGER archive_document_no_change BEFORE UPDATE OR DELETE ON archive_document FOR EACH ROW
        EXECUTE FUNCTION archive_content_read_only()""",
    """CREATE TRIGGER archive_audit_no_change BEFORE UPDATE OR DELETE ON archive_audit FOR EACH ROW EXECUTE
        FUNCTION archive_content_read_only()""",
)

apply = statements(SQLITE, POSTGRES)
