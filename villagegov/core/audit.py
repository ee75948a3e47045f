"""The append-only, hash-chained audit log, and its verification.

Each village has its own chain (`chain` = village id; 0 for township-level entries), so a
village's yearly archive can carry its own head. An entry's hash covers its content and
the previous entry's hash: an edited or deleted entry in the middle breaks the chain at
that point. A deleted *last* entry is caught only against an outside copy of the head
(the archive's, or a head record the village printed and signed: `HeadRecord`), see RELIABILITY.md.

What a table keeps out of the log is still answerable to it: a secret (a password hash) enters its
snapshot as a commitment (`commitment`), and a row whose hidden bytes must agree with what the log
holds (an attachment and its sha256, a private key and its public half) says so through
`hidden_problems()`, which `verify_records` asks of every row (docs/CHECK.md).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import peewee

from villagegov.core import changes, clock
from villagegov.core.actor import Actor
from villagegov.core.db import BaseModel, database, is_postgres
from villagegov.core.i18n import N_, _, message

GENESIS = "0" * 64
# Every write passes through append(): the log says what was done, by whom, to which record (never the
# record's content). It is written inside the transaction, so a write refused after its entry (rare:
# services check before they write) is in the log though rolled back.
log = logging.getLogger(__name__)


class AuditEntry(BaseModel):
    chain = peewee.IntegerField()
    seq = peewee.IntegerField()
    at = peewee.CharField()  # ISO 8601 UTC text: identical bytes back from SQLite and PostgreSQL
    actor = peewee.CharField()
    actor_role = peewee.CharField()
    action = peewee.CharField()
    entity = peewee.CharField()
    entity_id = peewee.CharField(null=True)
    before = peewee.TextField(null=True)
    after = peewee.TextField(null=True)
    prev_hash = peewee.CharField(max_length=64)
    hash = peewee.CharField(max_length=64)

    class Meta:
        table_name = "audit_entry"
        indexes = ((("chain", "seq"), True), (("entity", "entity_id"), False))


def to_jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def canonical(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=to_jsonable)


_COMMITMENT_PREFIX = b"villagegov commitment\x00"


def commitment(value: str | None) -> str | None:
    """What the log keeps of a secret: a sha256 that binds the value without revealing it.

    The secrets committed are salted scrypt hashes: without the salt (which stays in the database) no
    password can be tried against the commitment, so the log may travel to the township.
    """
    if value is None:
        return None
    return "sha256:" + hashlib.sha256(_COMMITMENT_PREFIX + value.encode("utf-8")).hexdigest()


def snapshot(instance: peewee.Model, commit: bool = True) -> dict[str, Any]:
    """A record as plain JSON values (foreign keys as ids), leaving out what the model hides.

    Fields a model names in `audit_commit` enter as their `commitment`; `commit=False` leaves them out,
    as a database from before they were committed recorded them (maintenance.check of an old backup).
    """
    hidden: set[str] = set(getattr(instance, "audit_exclude", ()))
    committed: set[str] = set(getattr(instance, "audit_commit", ()))
    data: dict[str, Any] = {}
    for fld in instance._meta.sorted_fields:
        if fld.name in hidden:
            continue
        value = instance.__data__.get(fld.name)
        if fld.name in committed:
            if commit:
                data[fld.name] = commitment(value)
            continue
        data[fld.name] = to_jsonable(value)
    return data


def entity_name(model: type[peewee.Model] | peewee.Model) -> str:
    name: str = model._meta.table_name
    return name


def _entry_hash(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(fields).encode("utf-8")).hexdigest()


def hashed_fields(entry: AuditEntry) -> dict[str, Any]:
    return {
        "chain": entry.chain,
        "seq": entry.seq,
        "at": entry.at,
        "actor": entry.actor,
        "actor_role": entry.actor_role,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "before": entry.before,
        "after": entry.after,
        "prev_hash": entry.prev_hash,
    }


def head(chain: int) -> AuditEntry | None:
    last: AuditEntry | None = (
        AuditEntry.select().where(AuditEntry.chain == chain).order_by(AuditEntry.seq.desc()).first()
    )
    return last


def append(
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. Must run inside the caller's write transaction."""
    if not database.in_transaction():
        raise RuntimeError("audit.append outside a transaction")
    chain = actor.audit_chain
    if is_postgres():
        # Serialise appenders of one chain; SQLite's IMMEDIATE transactions already do.
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (chain,))
    last = head(chain)
    entry = AuditEntry(
        chain=chain,
        seq=(last.seq + 1) if last else 1,
        at=clock.utc_now().isoformat(timespec="microseconds"),
        actor=actor.username,
        actor_role=actor.role,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        before=None if before is None else canonical(before),
        after=None if after is None else canonical(after),
        prev_hash=last.hash if last else GENESIS,
    )
    entry.hash = _entry_hash(hashed_fields(entry))
    entry.save(force_insert=True)
    changes.note(entity, entity_id, action)  # so that every screen showing such records reloads
    log.info("%s %s %s by %s", action, entity, entry.entity_id or "-", actor.username)
    return entry


SYSTEM = "system"  # the role of entries villagegov writes itself (an upgrade), not a user


def reseal(entity: str, entity_id: object, extra: dict[str, Any], action: str) -> bool:
    """Add fields to what the log last said of a record (an upgrade that starts auditing them).

    The new entry's state is the last audited state plus `extra`, never the row as it stands: a row
    changed behind the app's back before the upgrade still differs after it. False if the record was
    never audited (or is deleted), or the log already says so.
    """
    entry = (
        AuditEntry.select()
        .where((AuditEntry.entity == entity) & (AuditEntry.entity_id == str(entity_id)))
        .order_by(AuditEntry.chain.desc(), AuditEntry.seq.desc())
        .first()
    )
    if entry is None or entry.after is None:
        return False
    before = json.loads(entry.after)
    after = {**before, **extra}
    if after == before:
        return False
    system = Actor(None, "villagegov", "villagegov", SYSTEM, entry.chain or None)
    append(system, action, entity, entity_id, before, after)
    return True


def record_create(actor: Actor, instance: peewee.Model, action: str = "create") -> None:
    instance.save(force_insert=True)
    append(actor, action, entity_name(instance), instance.get_id(), None, snapshot(instance))


def record_update(
    actor: Actor, instance: peewee.Model, before: dict[str, Any], action: str = "update"
) -> bool:
    """Save and audit a change; a save that changes nothing writes nothing."""
    after = snapshot(instance)
    if after == before:
        return False
    instance.save()
    append(actor, action, entity_name(instance), instance.get_id(), before, after)
    return True


def record_delete(actor: Actor, instance: peewee.Model, action: str = "delete") -> None:
    before = snapshot(instance)
    instance.delete_instance()
    append(actor, action, entity_name(instance), instance.get_id(), before, None)


# --- append-only guard -------------------------------------------------------------------
# Migration 1 carries its own copy of these (villagegov/migrations/house.py): a change here changes no
# database; it needs a migration of its own (tests/test_schema.py compares the two).

SQLITE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON audit_entry "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
)
POSTGRES_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_entry "
    "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()",
)


def install_guards(db: peewee.Database) -> None:
    """Triggers that refuse UPDATE and DELETE: they stop mistakes, not attackers."""
    for sql in POSTGRES_TRIGGERS if is_postgres(db) else SQLITE_TRIGGERS:
        db.execute_sql(sql)


def guards_present(db: peewee.Database) -> bool:
    if is_postgres(db):
        sql = "SELECT count(*) FROM pg_trigger WHERE tgname = 'audit_entry_no_change'"
        return bool(db.execute_sql(sql).fetchone()[0] == 1)
    sql = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_entry_no_%'"
    return bool(db.execute_sql(sql).fetchone()[0] == 2)


# --- verification ------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One finding; `where` names the entry or record, `msgid`/`params` say what is wrong."""

    where: str
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        return f"{self.where}: " + message(self.msgid, self.params)


def entry_label(chain: int, seq: int) -> str:
    return _("audit entry {chain}-{seq}").format(chain=chain, seq=seq)


def verify_chain(entries: Iterable[AuditEntry | dict[str, Any]]) -> list[Problem]:
    """Check sequence, links and hashes of entries given in (chain, seq) order.

    Takes model rows or plain dicts (the archive's audit.jsonl) alike.
    """
    problems: list[Problem] = []
    expected: dict[int, tuple[int, str]] = {}
    for item in entries:
        data = item if isinstance(item, dict) else {**hashed_fields(item), "hash": item.hash}
        chain, seq = int(data["chain"]), int(data["seq"])
        want_seq, want_prev = expected.get(chain, (1, GENESIS))
        label = entry_label(chain, seq)
        if seq != want_seq:
            problems.append(
                Problem(
                    entry_label(chain, want_seq),
                    N_("missing: the chain jumps from entry {before} to entry {after}"),
                    {"before": want_seq - 1, "after": seq},
                )
            )
        elif data["prev_hash"] != want_prev:
            problems.append(Problem(label, N_("does not link to the entry before it")))
        fields = {k: data[k] for k in hashed_fields_keys()}
        if _entry_hash(fields) != data["hash"]:
            problems.append(Problem(label, N_("its content was changed after it was written")))
        expected[chain] = (seq + 1, data["hash"])
    return problems


def hashed_fields_keys() -> tuple[str, ...]:
    return (
        "chain", "seq", "at", "actor", "actor_role", "action", "entity",
        "entity_id", "before", "after", "prev_hash",
    )  # fmt: skip


def verify_database_chain() -> list[Problem]:
    query = AuditEntry.select().order_by(AuditEntry.chain, AuditEntry.seq)
    return verify_chain(query.iterator())


def same_state(now: str, audited: str) -> bool:
    """Whether a record (canonical JSON) is in the state its last audit entry gave it.

    A column that a migration added after the entry was written is NULL in the record and absent from
    the entry; one that a migration dropped since is in the entry, NULL, and absent from the record.
    Neither is a change: a key missing on one side stands for NULL.
    """
    if now == audited:
        return True
    current, then = json.loads(now), json.loads(audited)
    return all(current.get(key) == then.get(key) for key in current.keys() | then.keys())


def last_after(entity: str, entity_id: object) -> dict[str, Any] | None:
    """The state the log last gave a record (None: never written, or deleted)."""
    entry = (
        AuditEntry.select(AuditEntry.after)
        .where((AuditEntry.entity == entity) & (AuditEntry.entity_id == str(entity_id)))
        .order_by(AuditEntry.chain.desc(), AuditEntry.seq.desc())
        .first()
    )
    if entry is None or entry.after is None:
        return None
    data: dict[str, Any] = json.loads(entry.after)
    return data


def _difference(model: type[peewee.Model], state: dict[str, Any], after: str | None) -> str:
    """The message for a row that differs from its audited state: a committed secret (a password hash)
    replaced is named as such, anything else as a difference."""
    committed = set(getattr(model, "audit_commit", ()))
    if committed and after is not None:
        audited = json.loads(after)
        changed = {k for k in state.keys() | audited.keys() if state.get(k) != audited.get(k)}
        if changed and changed <= committed:
            return str(getattr(model, "audit_commit_problem", COMMITTED_CHANGED))
    return N_("differs from its last audited state ({entry})")


COMMITTED_CHANGED = N_("a secret of it is not the one the audit log committed to ({entry})")


def verify_records(models: Iterable[type[peewee.Model]], commit: bool = True) -> list[Problem]:
    """Compare every audited table with the last state its audit entries describe.

    Catches rows edited, inserted or deleted behind the app's back, which the chain
    alone cannot see; and asks each row whose model has `hidden_problems()` whether what it keeps
    out of the log still agrees with what the log holds (an attachment's bytes, a private key).
    `commit=False`: a database from before secrets were committed (see `snapshot`).
    """
    problems: list[Problem] = []
    for model in models:
        name = entity_name(model)
        last: dict[str, tuple[AuditEntry, str | None]] = {}
        query = (
            AuditEntry.select(AuditEntry.chain, AuditEntry.seq, AuditEntry.entity_id, AuditEntry.after)
            .where(AuditEntry.entity == name)
            .order_by(AuditEntry.chain, AuditEntry.seq)
        )
        for entry in query.iterator():
            last[entry.entity_id] = (entry, entry.after)
        seen: set[str] = set()
        for row in model.select().order_by(model._meta.primary_key).iterator():
            key = str(row.get_id())
            seen.add(key)
            record = _("{table} record {id}").format(table=name, id=key)
            if key not in last or last[key][1] is None:
                problems.append(Problem(record, N_("exists but was never written through villagegov")))
                continue
            entry, after = last[key]
            state = snapshot(row, commit)
            if after is None or not same_state(canonical(state), after):
                problems.append(
                    Problem(
                        record,
                        _difference(model, state, after),
                        {"entry": entry_label(entry.chain, entry.seq)},
                    )
                )
            hidden = getattr(row, "hidden_problems", None)
            if hidden is not None:
                problems.extend(Problem(record, msgid, params) for msgid, params in hidden())
        for key, (entry, after) in last.items():
            if after is not None and key not in seen:
                problems.append(
                    Problem(
                        _("{table} record {id}").format(table=name, id=key),
                        N_("was deleted without an audit entry (last: {entry})"),
                        {"entry": entry_label(entry.chain, entry.seq)},
                    )
                )
    return problems


# --- head records: the chain's head on paper, outside the database -----------------------------

HEAD_RECORD_FORMAT = "villagegov-head-record"


@dataclass(frozen=True)
class HeadRecord:
    """A chain's head (sequence number and hash) as the village wrote it down on a day.

    Kept outside the database (a signed paper, a small file), it catches what the chain alone cannot:
    a deleted last entry, or a tail rewritten and rehashed (RELIABILITY.md).
    """

    chain: int
    seq: int
    hash: str
    made_at: str  # ISO time with offset
    made_by: str
    village: str = ""
    township: str = ""
    county: str = ""

    def to_json(self) -> str:
        data = {
            "format": HEAD_RECORD_FORMAT,
            "version": 1,
            "county": self.county,
            "township": self.township,
            "village": self.village,
            "chain": self.chain,
            "seq": self.seq,
            "hash": self.hash,
            "made_at": self.made_at,
            "made_by": self.made_by,
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    @property
    def day(self) -> date:
        return datetime.fromisoformat(self.made_at).date()


def parse_head_record(text: str) -> HeadRecord:
    """A head record file; ValueError (with no detail worth showing) for anything else."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != HEAD_RECORD_FORMAT or data.get("version") != 1:
        raise ValueError("not a head record")
    digest = str(data["hash"]).strip().lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise ValueError("hash")
    chain, seq = data["chain"], data["seq"]
    if not isinstance(chain, int) or not isinstance(seq, int) or chain < 0 or seq < 0:
        raise ValueError("seq")
    datetime.fromisoformat(str(data["made_at"]))
    return HeadRecord(
        chain, seq, digest, str(data["made_at"]), str(data.get("made_by", "")),
        str(data.get("village", "")), str(data.get("township", "")), str(data.get("county", "")),
    )  # fmt: skip


def current_head_record(
    chain: int, made_by: str, village: str = "", township: str = "", county: str = ""
) -> HeadRecord:
    entry = head(chain)
    seq, digest = (entry.seq, entry.hash) if entry is not None else (0, GENESIS)
    made_at = clock.utc_now().astimezone().isoformat(timespec="seconds")
    return HeadRecord(chain, seq, digest, made_at, made_by, village, township, county)


HEAD_DELETED = N_(
    "the chain ends at entry {last}, before entry {seq} of the head record of {date}: entries were deleted"
)
HEAD_REWRITTEN = N_(
    "is not the entry the head record of {date} holds (its hash differs): the chain was rewritten from "
    "there on"
)


def compare_head(record: HeadRecord) -> list[Problem]:
    """Whether this database's chain still holds the head a head record wrote down (nothing if it does)."""
    on = record.day  # shown as the screens show dates
    if record.seq == 0:
        return []  # an empty chain was written down: anything grown from it holds it
    entry = AuditEntry.get_or_none((AuditEntry.chain == record.chain) & (AuditEntry.seq == record.seq))
    if entry is None:
        last = head(record.chain)
        return [
            Problem(
                _("audit chain {chain}").format(chain=record.chain),
                HEAD_DELETED,
                {"last": last.seq if last else 0, "seq": record.seq, "date": on},
            )
        ]
    if entry.hash != record.hash:
        return [Problem(entry_label(record.chain, record.seq), HEAD_REWRITTEN, {"date": on})]
    return []
