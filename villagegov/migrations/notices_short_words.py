"""Version 8: the index of short words in notices and the village's published office numbers, as
they reached main in 3967ad1 (2026-11-29), and the index filled for the notices already written.

Words of one or two characters are shorter than a trigram: each notice's characters and pairs of
adjacent characters are kept as numbers (a code point; a pair's first << 21 | second), in SQLite a
contentless FTS5 table of tokens "g" + hex, in PostgreSQL an array under a GIN index. SQL cannot
split text into characters with Python's lower-casing on both engines, so the data step reads and
writes with plain SQL and splits with its own copy of the notices service's `search_grams` of that
day (`_grams` below). The service must keep making the same tokens (SQLite's contentless index
deletes a notice by its tokens): tests/test_schema.py holds the two together, and a change to the
service's splitting needs a migration of its own that indexes every notice again.
"""

from __future__ import annotations

import peewee

from villagegov.migrations.steps import is_postgres, run

VERSION = 8
NAME = "notices: index of short words (one or two characters), published office numbers"

SQLITE = (
    """CREATE TABLE "public_phone" (
        "id" INTEGER NOT NULL PRIMARY KEY,
        "village_id" INTEGER NOT NULL,
        "phone" VARCHAR(255) NOT NULL,
        "label" VARCHAR(255) NOT NULL,
        FOREIGN KEY ("village_id") REFERENCES "village" ("id") ON DELETE RESTRICT
    )""",
    'CREATE INDEX "public_phone_village_id" ON "public_phone" ("village_id")',
    'CREATE UNIQUE INDEX "public_phone_village_id_phone" ON "public_phone" ("village_id", "phone")',
    "CREATE VIRTUAL TABLE notice_grams USING fts5(grams, content='', detail='none', tokenize='ascii')",
)

POSTGRES = (
    """CREATE TABLE "public_phone" (
        "id" SERIAL NOT NULL PRIMARY KEY,
        "village_id" INTEGER NOT NULL,
        "phone" VARCHAR(255) NOT NULL,
        "label" VARCHAR(255) NOT NULL,
        FOREIGN KEY ("village_id") REFERENCES "village" ("id") ON DELETE RESTRICT
    )""",
    'CREATE INDEX "public_phone_village_id" ON "public_phone" ("village_id")',
    'CREATE UNIQUE INDEX "public_phone_village_id_phone" ON "public_phone" ("village_id", "phone")',
    """CREATE TABLE notice_grams (notice_id integer PRIMARY KEY REFERENCES notice (id), grams bigint[] NOT
        NULL)""",
    "CREATE INDEX notice_grams_gin ON notice_grams USING gin (grams)",
)

_BATCH = 500  # notices read at a time: a township's database may hold 100,000


def _fold(text: str) -> str:
    """Lower case, character by character (a few characters lower to two; those stay)."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _grams(*texts: str) -> set[int]:
    """Every character and every pair of adjacent characters of each text (a pair never spans a
    space or two texts), as codes."""
    found: set[int] = set()
    for text in texts:
        folded = _fold(text)
        for i, char in enumerate(folded):
            if char.isspace():
                continue
            found.add(ord(char))
            if i + 1 < len(folded) and not folded[i + 1].isspace():
                found.add(ord(char) << 21 | ord(folded[i + 1]))
    return found


def apply(db: peewee.Database) -> None:
    run(db, SQLITE, POSTGRES)
    p = db.param
    if is_postgres(db):
        insert = f"INSERT INTO notice_grams (notice_id, grams) VALUES ({p}, {p})"
    else:
        insert = f"INSERT INTO notice_grams (rowid, grams) VALUES ({p}, {p})"
    last = 0
    while True:
        rows = db.execute_sql(
            f"SELECT id, title, body FROM notice WHERE id > {p} ORDER BY id LIMIT {_BATCH}", (last,)
        ).fetchall()
        for notice_id, title, body in rows:
            codes = sorted(_grams(title, body))
            grams: object = codes if is_postgres(db) else " ".join(f"g{code:x}" for code in codes)
            db.execute_sql(insert, (notice_id, grams))
        if len(rows) < _BATCH:
            return
        last = rows[-1][0]
