"""Version 11: what `check` must see (issue 17): wrong passwords' counters, the township's seal of each
imported package's content, and — entered into the audit log once, as they stand at the upgrade —
each user's password-hash commitment and each imported package's content seal (docs/CHECK.md). An
upgrade vouches for nothing it did not see: a row that already disagreed with the log still does.

The tables and column are SQL of their own. The data step appends to the audit chain through the
chain's own writer (`core.audit.reseal`): an entry must hash exactly as the chain does, so a frozen
copy could only be the same code; the seal is computed by the archive's own function, and only where
a township database already holds packages (a village's database, or a new one, imports no room).
"""

from __future__ import annotations

import peewee

from villagegov.migrations.steps import columns, is_postgres, run

VERSION = 11
NAME = "check: sign-in failures; password commitments and imported packages' seals audited"

SQLITE = (
    'CREATE TABLE IF NOT EXISTS "sign_in_failure" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"username" VARCHAR(255) NOT NULL, "failures" INTEGER NOT NULL, "not_before" VARCHAR(255) NOT NULL)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "sign_in_failure_username" ON "sign_in_failure" ("username")',
)
POSTGRES = (
    'CREATE TABLE IF NOT EXISTS "sign_in_failure" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"username" VARCHAR(255) NOT NULL, "failures" INTEGER NOT NULL, "not_before" VARCHAR(255) NOT NULL)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "sign_in_failure_username" ON "sign_in_failure" ("username")',
)
SEAL_COLUMN = 'ALTER TABLE "archive_package" ADD COLUMN "content_seal" TEXT'


def apply(db: peewee.Database) -> None:
    run(db, SQLITE, POSTGRES)
    if "content_seal" not in columns(db, "archive_package"):
        db.execute_sql(SEAL_COLUMN)
    users = db.execute_sql('SELECT "id", "password_hash" FROM "user" ORDER BY "id"').fetchall()
    packages = db.execute_sql(
        'SELECT "id" FROM "archive_package" WHERE "content_seal" IS NULL ORDER BY "id"'
    ).fetchall()
    if users or packages:  # a new database has neither, and imports nothing more
        _enter_into_the_log(db, users, [package_id for (package_id,) in packages])


def _enter_into_the_log(db: peewee.Database, users: list[tuple[int, str]], packages: list[int]) -> None:
    import villagegov.core.audit as audit
    from villagegov.core.db import database

    previous = database.obj
    database.initialize(db)  # the audit log's writer goes through the proxy
    try:
        for user_id, password_hash in users:
            sealed = {"password_hash": audit.commitment(password_hash)}
            audit.reseal("user", user_id, sealed, "commit_password")
        if packages:
            _seal(db, packages)
    finally:
        database.initialize(previous)


def _seal(db: peewee.Database, package_ids: list[int]) -> None:
    import villagegov.archive.seal as seal
    import villagegov.core.audit as audit

    placeholder = "%s" if is_postgres(db) else "?"
    for package_id in package_ids:
        content = seal.stored_seal(package_id)
        if audit.reseal("archive_package", package_id, {"content_seal": content}, "seal_content"):
            db.execute_sql(
                f'UPDATE "archive_package" SET "content_seal" = {placeholder} WHERE "id" = {placeholder}',
                (content, package_id),
            )
