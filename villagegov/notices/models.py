"""Tables of the 村务公开 room: notices, their tables, statement lines, attachments, objections.

The full-text index over title and body is not a model: SQLite keeps an FTS5 table
(`notice_fts`, trigram tokenizer) in step by triggers, PostgreSQL a pg_trgm GIN index
(`SEARCH_SQLITE`, `SEARCH_POSTGRES`). The migrations carry their own copies of these statements
(villagegov/migrations/); tests/test_schema.py holds what they make equal to what these say.
"""

from __future__ import annotations

import peewee

from villagegov.core.attachments import SealedContent
from villagegov.core.db import BaseModel
from villagegov.roster.models import Village


class Notice(BaseModel):
    village = peewee.ForeignKeyField(Village, backref="notices", on_delete="RESTRICT")
    category = peewee.CharField()  # party / village / finance
    kind = peewee.CharField()  # publicity / announcement / notification
    year = peewee.IntegerField()  # the year of its number (of its drafting while a draft)
    sequence = peewee.IntegerField(null=True)  # given on approval, never reused
    number = peewee.CharField(default="")  # 〔2026〕3号
    title = peewee.CharField(max_length=200)
    body = peewee.TextField(default="")
    places = peewee.TextField(default='["village"]')  # JSON list: "village", "group:<id>"
    major = peewee.BooleanField(default=False)  # touches villagers' interests: disclose at once
    state = peewee.CharField(default="draft")
    # The posting period (公示 only): its length, its unit, its first day (planned, then the day
    # posted) and its last day (computed on posting).
    period_days = peewee.IntegerField(null=True)
    period_unit = peewee.CharField(null=True)  # days / working_days
    period_start = peewee.DateField(null=True)
    period_end = peewee.DateField(null=True)
    # A finance statement's totals as the account books give them; the lines must add up to them.
    stated_income_fen = peewee.BigIntegerField(null=True)
    stated_expense_fen = peewee.BigIntegerField(null=True)
    opening_balance_fen = peewee.BigIntegerField(null=True)
    created_at = peewee.DateTimeField()
    created_by = peewee.CharField()
    approved_at = peewee.DateTimeField(null=True)
    approved_by = peewee.CharField(default="")
    withdrawn_at = peewee.DateTimeField(null=True)
    posted_at = peewee.DateField(null=True)
    posted_by = peewee.CharField(default="")  # who put it up (a name; not necessarily a user)
    posted_places = peewee.TextField(default="[]")  # where it was actually put up
    removed_at = peewee.DateField(null=True)
    removed_by = peewee.CharField(default="")
    superseded_at = peewee.DateField(null=True)
    supersedes = peewee.ForeignKeyField("self", null=True, backref="corrections", on_delete="RESTRICT")

    class Meta:
        indexes = (
            (("village", "year", "sequence"), True),
            (("village", "state"), False),
            (("village", "category", "posted_at"), False),
        )


class NoticeTable(BaseModel):
    notice = peewee.ForeignKeyField(Notice, backref="tables", on_delete="RESTRICT")
    sort_order = peewee.IntegerField()
    caption = peewee.CharField(default="")
    header = peewee.TextField()  # JSON list of column headings
    rows = peewee.TextField()  # JSON list of lists of cell text

    class Meta:
        indexes = ((("notice", "sort_order"), True),)


class FinanceLine(BaseModel):
    notice = peewee.ForeignKeyField(Notice, backref="finance_lines", on_delete="RESTRICT")
    sort_order = peewee.IntegerField()
    side = peewee.CharField()  # income / expense
    item = peewee.CharField(max_length=500)
    amount_fen = peewee.BigIntegerField()

    class Meta:
        indexes = ((("notice", "sort_order"), True),)


class NoticeAttachment(SealedContent, BaseModel):
    notice = peewee.ForeignKeyField(Notice, backref="attachments", on_delete="RESTRICT")
    purpose = peewee.CharField()  # attachment (part of the notice) / photo (of the posted sheet)
    file_name = peewee.CharField()
    media_type = peewee.CharField()
    size = peewee.IntegerField()
    sha256 = peewee.CharField(max_length=64)
    content = peewee.BlobField()
    added_at = peewee.DateTimeField()
    added_by = peewee.CharField()

    # The bytes stay out of the audit log; their sha256 is in it.
    audit_exclude = ("content",)


class Objection(BaseModel):
    notice = peewee.ForeignKeyField(Notice, backref="objections", on_delete="RESTRICT")
    objector = peewee.CharField()  # who raised it; never printed on public paper
    contact = peewee.CharField(default="")
    received_on = peewee.DateField()
    content = peewee.TextField()
    late = peewee.BooleanField()  # received after the period's last day
    handling = peewee.TextField(default="")  # how it was looked into
    answer = peewee.TextField(default="")
    answered_on = peewee.DateField(null=True)
    recorded_by = peewee.CharField()


class NoticeSettings(BaseModel):
    """The village's own choices for its notices (DOMAIN.md *defaults*)."""

    village = peewee.ForeignKeyField(Village, unique=True, on_delete="RESTRICT")
    period_days = peewee.IntegerField(default=7)
    period_unit = peewee.CharField(default="days")
    committee_name = peewee.CharField(default="")  # 青石村村民委员会; empty: from the village's name
    party_branch_name = peewee.CharField(default="")  # 中共青石村支部委员会
    supervisory_name = peewee.CharField(default="")  # 青石村村务监督委员会
    supervisory_phone = peewee.CharField(default="")
    finance_busy = peewee.BooleanField(default=False)  # then finance is disclosed every month
    id_keep_start = peewee.IntegerField(default=6)
    id_keep_end = peewee.IntegerField(default=4)
    phone_keep_start = peewee.IntegerField(default=3)
    phone_keep_end = peewee.IntegerField(default=4)


class CalendarOverride(BaseModel):
    """A day the village declares a day off or a working day (the State Council's yearly announcement).

    Kept here until a second room needs working days; core/calendar.py reads them as DayOverride.
    """

    village = peewee.ForeignKeyField(Village, on_delete="RESTRICT")
    day = peewee.DateField()
    working = peewee.BooleanField()
    note = peewee.CharField(default="")

    class Meta:
        indexes = ((("village", "day"), True),)


class PublicPhone(BaseModel):
    """A number of the village's own offices that notices may print in full (村委会办公室), where
    every other phone number on public paper is masked. The supervisory committee's phone, in the
    settings, is one too. (A table of its own, added by migration 8, so that the audited settings
    rows written before it keep matching their audit entries.)"""

    village = peewee.ForeignKeyField(Village, on_delete="RESTRICT")
    phone = peewee.CharField()  # as normalised: 0915-6321234, 13812345678
    label = peewee.CharField(default="")  # whose number it is

    class Meta:
        indexes = ((("village", "phone"), True),)


class PaperSettings(BaseModel):
    """Whether the village's papers kept on file (minutes, report forms, ledgers, the 一事一档) mask
    ID-card and phone numbers as public paper does: by default they do (`core/privacy.Audience`). A
    table of its own, added by migration 12, so that the audited settings rows written before it keep
    matching their audit entries; no row: the default."""

    village = peewee.ForeignKeyField(Village, unique=True, on_delete="RESTRICT")
    mask_on_file = peewee.BooleanField(default=True)


# The tables of migration 2, and those migrations 8 and 12 added.
MODELS: tuple[type[peewee.Model], ...] = (
    Notice, NoticeTable, FinanceLine, NoticeAttachment, Objection, NoticeSettings, CalendarOverride,
)  # fmt: skip
MODELS_8: tuple[type[peewee.Model], ...] = (PublicPhone,)
MODELS_12: tuple[type[peewee.Model], ...] = (PaperSettings,)

# SQLite: an external-content FTS5 index over title and body, trigram tokenizer (any language,
# Chinese included, for queries of 3 or more characters), kept in step with `notice` by triggers.
SEARCH_SQLITE = (
    "CREATE VIRTUAL TABLE notice_fts USING fts5("
    "title, body, content='notice', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER notice_fts_insert AFTER INSERT ON notice BEGIN "
    "INSERT INTO notice_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER notice_fts_delete AFTER DELETE ON notice BEGIN "
    "INSERT INTO notice_fts(notice_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    "END",
    "CREATE TRIGGER notice_fts_update AFTER UPDATE OF title, body ON notice BEGIN "
    "INSERT INTO notice_fts(notice_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO notice_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
)
# PostgreSQL: a trigram GIN index on the same text the search's ILIKE reads (title || ' ' || body).
SEARCH_POSTGRES = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX notice_search_trgm ON notice USING gin ((title || ' ' || body) gin_trgm_ops)",
)

# Words of one or two characters (低保, 党) are shorter than a trigram. For them the service keeps a
# second index of each notice's characters and pairs of adjacent characters (migration 8), each as
# one number (its code point; a pair's first << 21 | second): SQLite a contentless FTS5 table of
# them as tokens ("g" + hex) without positions, PostgreSQL an array of them under a GIN index. SQL
# cannot split text into characters, so no trigger can keep it: the service writes it with the
# notice (create, edit, delete a draft).
GRAMS_SQLITE = (
    "CREATE VIRTUAL TABLE notice_grams USING fts5(grams, content='', detail='none', tokenize='ascii')",
)
GRAMS_POSTGRES = (
    "CREATE TABLE notice_grams ("
    "notice_id integer PRIMARY KEY REFERENCES notice (id), grams bigint[] NOT NULL)",
    "CREATE INDEX notice_grams_gin ON notice_grams USING gin (grams)",
)
