"""What `check` sees that it did not: password hashes and roles, attachments' bytes, the signing key, and a
head record written down outside the database. Each test edits the file behind the app's back, as
someone with the file (and sqlite3) would."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import peewee
import pytest

from tests.conftest import set_up_village
from tests.notices.samples import png
from villagegov import schema
from villagegov.accounts import service as accounts
from villagegov.accounts.models import User
from villagegov.accounts.passwords import hash_password
from villagegov.archive import service as archive
from villagegov.core import audit, i18n, maintenance
from villagegov.core.actor import Actor
from villagegov.core.db import schema_version
from villagegov.core.errors import AuthenticationFailed
from villagegov.decisions import rules as decision_rules
from villagegov.decisions import service as decisions
from villagegov.notices import rules as notice_rules
from villagegov.notices import service as notices
from villagegov.roster import service as roster
from villagegov.schema import close_store, open_store

PNG = png(colour=(200, 50, 50))
OTHER_PNG = png(colour=(50, 50, 200))


def behind_the_back(db: peewee.Database, *statements: tuple[str, tuple[object, ...]]) -> None:
    """Edit the file with sqlite3, as anyone holding it could; the app's own connection is closed first."""
    path = Path(db.database)
    db.close()
    conn = sqlite3.connect(path)
    try:
        for sql, params in statements:
            conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()
    db.connect()


def found(db: peewee.Database) -> list[str]:
    i18n.set_language("en")
    report = maintenance.check(db)
    return [p.message() for p in report.problems]


# --- users: the password hash and the role ------------------------------------------------------------------


def test_a_password_hash_replaced_behind_the_apps_back_is_found_and_does_not_sign_in(
    store: peewee.Database, clerk: Actor
) -> None:
    assert maintenance.check(store).ok
    forged = hash_password("evil-password-1")
    behind_the_back(store, ("UPDATE user SET password_hash = ? WHERE username = 'wenshu'", (forged,)))

    problems = found(store)
    assert len(problems) == 1
    assert problems[0].startswith("user account record 1: its password hash is not the one the audit log")
    # Before: signing in with the forged password worked. Now the hash must be the committed one.
    with pytest.raises(AuthenticationFailed) as refused:
        accounts.sign_in("wenshu", "evil-password-1")
    assert "changed outside villagegov" in refused.value.message()


def test_a_role_raised_behind_the_apps_back_is_found(store: peewee.Database, clerk: Actor) -> None:
    accounts.create_user(clerk, "jianwei", "赵监委", "supervisor", "mima-5678")
    behind_the_back(store, ("UPDATE user SET role = 'secretary' WHERE username = 'jianwei'", ()))
    problems = found(store)
    assert problems == ["user account record 2: differs from its last audited state (audit entry 1-3)"]


def test_password_changes_and_resets_are_audited_without_any_secret(
    any_store: peewee.Database,
) -> None:
    clerk = set_up_village()
    accounts.create_user(clerk, "jianwei", "赵监委", "supervisor", "mima-5678")
    supervisor = accounts.sign_in("jianwei", "mima-5678")
    accounts.change_password(supervisor, "mima-5678", "neue-mima-1", "neue-mima-1")
    first_hash = User.get(User.username == "jianwei").password_hash
    accounts.set_password(clerk, supervisor.user_id, "neue-mima-2", "neue-mima-2")  # a reset
    hashes = [first_hash, User.get(User.username == "jianwei").password_hash]

    entries = list(
        audit.AuditEntry.select().where(audit.AuditEntry.entity == "user").order_by(audit.AuditEntry.seq)
    )
    assert [e.action for e in entries][-2:] == ["set_password", "reset_password"]
    assert [e.actor for e in entries][-2:] == ["jianwei", "wenshu"]
    log = "".join(f"{e.before}{e.after}" for e in audit.AuditEntry.select())
    for secret in (*hashes, "neue-mima-1", "neue-mima-2", "mima-5678"):
        assert secret not in log
    for h in hashes:  # each hash's salt stays in the database: the log holds only a commitment to it
        assert h.split("$")[4] not in log
    reset = json.loads(entries[-1].after)
    assert (
        reset["password_hash"]
        == audit.commitment(hashes[1])
        != json.loads(entries[-1].before)["password_hash"]
    )
    assert maintenance.check(any_store).ok
    assert accounts.sign_in("jianwei", "neue-mima-2").user_id == supervisor.user_id


# --- attachments and the signing key ------------------------------------------------------------------------


def _notice_with_attachment(clerk: Actor) -> int:
    draft = notices.create_draft(
        clerk,
        notice_rules.NoticeInput(
            category=notice_rules.VILLAGE, kind=notice_rules.ANNOUNCEMENT, title="关于修缮村东水渠的通知",
            body="现予公告。",
        ),
    )  # fmt: skip
    return notices.add_attachment(clerk, draft.id, "现场.png", PNG).id


def _decision_with_attachment(clerk: Actor) -> int:
    data = decisions.DecisionInput("村东水渠修缮工程", decision_rules.PUBLIC_WORKS, "120,000", "渗漏严重。")
    matter = decisions.open_decision(clerk, data, date(2026, 3, 1))
    return decisions.add_attachment(clerk, matter.id, "预算.png", PNG).id


@pytest.mark.parametrize(
    ("table", "make"),
    [("notice_attachment", _notice_with_attachment), ("decision_attachment", _decision_with_attachment)],
)
def test_attachment_bytes_replaced_keeping_the_stored_sha256_are_found(
    store: peewee.Database, clerk: Actor, table: str, make: Callable[[Actor], int]
) -> None:
    attachment = make(clerk)
    assert maintenance.check(store).ok
    behind_the_back(store, (f"UPDATE {table} SET content = ? WHERE id = ?", (OTHER_PNG, attachment)))
    problems = found(store)
    assert (
        len(problems) == 1
        and f"record {attachment}: its file's bytes are not those the audit log" in problems[0]
    )
    assert hashlib.sha256(PNG).hexdigest()[:16] in problems[0]
    # And with the row's own sha256 changed to match the new bytes, both the row and its bytes are named.
    behind_the_back(
        store,
        (f"UPDATE {table} SET sha256 = ? WHERE id = ?", (hashlib.sha256(OTHER_PNG).hexdigest(), attachment)),
    )
    problems = found(store)
    assert any("differs from its last audited state" in p for p in problems)


def test_a_replaced_private_key_is_found(store: peewee.Database, clerk: Actor) -> None:
    from villagegov.archive import signing

    key = archive.make_village_key(clerk)
    assert maintenance.check(store).ok
    other_pem, _public = signing.new_private_key()
    behind_the_back(store, ("UPDATE archive_village_key SET private_key = ?", (other_pem.decode("ascii"),)))
    problems = found(store)
    assert len(problems) == 1 and problems[0].endswith(
        f"record 1: its private key is not the one whose public half {key.fingerprint} the audit log "
        "recorded: the signing key was replaced"
    )
    behind_the_back(store, ("UPDATE archive_village_key SET private_key = 'garbage'", ()))
    assert any("cannot be read" in p for p in found(store))


# --- the head: printed whole, and held against a head record -----------------------------------------------


def test_check_prints_the_whole_head_hash(store: peewee.Database, clerk: Actor) -> None:
    head = audit.head(clerk.audit_chain)
    assert head is not None and len(head.hash) == 64
    lines = maintenance.check(store).lines()
    assert any(head.hash in line for line in lines)


def test_a_head_record_finds_a_deleted_last_entry_and_a_rewritten_tail(
    store: peewee.Database, clerk: Actor, tmp_path: Path
) -> None:
    group = roster.add_group(clerk, "第一村民小组")
    record = archive.head_record(clerk)
    paper, file, saved = archive.save_head_record(clerk, tmp_path / "链头记录.pdf")
    assert file == tmp_path / "链头记录.json" and paper.exists()
    assert maintenance.read_head_record(file) == saved
    assert (saved.chain, saved.seq, saved.hash) == (record.chain, record.seq, record.hash)

    # The chain grows after the record: it still holds the head written down.
    roster.add_household(clerk, group.id, "01-001")
    i18n.set_language("en")
    report = maintenance.check(store, head=saved)
    assert report.ok
    assert (
        f"The chain holds the head record of {i18n.format_date(saved.day)} (entry {saved.seq})."
        in report.lines()
    )

    # Delete the entries from the recorded head on, and the group and household they wrote: the chain alone
    # is whole again, and every record is explained; only the head record tells.
    behind_the_back(
        store,
        ("DROP TRIGGER audit_entry_no_delete", ()),
        ("DELETE FROM audit_entry WHERE seq >= ?", (saved.seq,)),
        ("DELETE FROM household", ()),
        ("DELETE FROM villager_group", ()),
        (audit.SQLITE_TRIGGERS[1], ()),  # and the guard put back
    )
    assert maintenance.check(store).ok  # what the chain alone sees
    report = maintenance.check(store, head=saved)
    assert [p.message() for p in report.problems] == [
        f"audit chain 1: the chain ends at entry {saved.seq - 1}, before entry {saved.seq} of the head "
        f"record of {i18n.format_date(saved.day)}: entries were deleted"
    ]


def test_a_rewritten_and_rehashed_tail_is_found_by_the_head_record(
    store: peewee.Database, clerk: Actor, tmp_path: Path
) -> None:
    group = roster.add_group(clerk, "第一村民小组")
    _paper, _file, saved = archive.save_head_record(clerk, tmp_path / "head.pdf")
    # Rewrite the group's name, its audit entry, and rehash the chain from there on: a clean chain.
    entry = audit.head(clerk.audit_chain)
    assert entry is not None and entry.entity == "villager_group"
    after = json.loads(entry.after)
    after["name"] = "第九村民小组"
    fields = {**audit.hashed_fields(entry), "after": audit.canonical(after)}
    digest = audit._entry_hash(fields)
    behind_the_back(
        store,
        ("DROP TRIGGER audit_entry_no_update", ()),
        ("UPDATE villager_group SET name = '第九村民小组' WHERE id = ?", (group.id,)),
        ("UPDATE audit_entry SET after = ?, hash = ? WHERE id = ?", (fields["after"], digest, entry.id)),
        (audit.SQLITE_TRIGGERS[0], ()),
    )
    i18n.set_language("en")
    assert maintenance.check(store).ok  # what the chain alone sees
    report = maintenance.check(store, head=saved)
    assert any(p.msgid == audit.HEAD_REWRITTEN for p in report.problems)
    assert any(f"audit entry 1-{saved.seq}" in p.message() for p in report.problems)


def test_a_file_that_is_not_a_head_record_is_refused_with_a_message(tmp_path: Path) -> None:
    bad = tmp_path / "head.json"
    bad.write_text('{"format": "something else"}', "utf-8")
    i18n.set_language("en")
    with pytest.raises(Exception) as refused:
        maintenance.read_head_record(bad)
    assert "is not a head record" in str(refused.value)


# --- the upgrade: what was not committed before version 10 --------------------------------------------------


def test_an_older_database_checks_clean_and_its_upgrade_commits_the_hashes_it_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database from before the commitments (users audited without their hash) is sound as it is; the
    upgrade enters each hash's commitment once (by villagegov), and vouches for nothing it did not see: a
    role raised before the upgrade is still found after it."""
    path = tmp_path / "old.sqlite3"
    db = open_store(path)
    with monkeypatch.context() as old_code:
        old_code.setattr(User, "audit_commit", ())
        old_code.setattr(User, "audit_exclude", ("password_hash",), raising=False)
        clerk = set_up_village()
        accounts.create_user(clerk, "jianwei", "赵监委", "supervisor", "mima-5678")
    db.execute_sql("DELETE FROM schema_version WHERE version >= ?", (schema.COMMITMENTS_VERSION,))
    db.execute_sql("DROP TABLE sign_in_failure")
    close_store(db)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE user SET role = 'secretary' WHERE username = 'jianwei'")
    conn.commit()
    conn.close()

    i18n.set_language("en")
    old = maintenance.check_file(path)
    assert old.schema_version == schema.COMMITMENTS_VERSION - 1
    assert [p.message() for p in old.problems] == [
        "user account record 2: differs from its last audited state (audit entry 1-3)"
    ]
    db = open_store(path)  # the upgrade
    assert schema_version(db) == len(schema.MIGRATIONS)
    sealed = list(audit.AuditEntry.select().where(audit.AuditEntry.action == "commit_password"))
    assert [(e.entity_id, e.actor, e.actor_role) for e in sealed] == [("1", "villagegov", "system")] * 1 + [
        ("2", "villagegov", "system")
    ]
    assert json.loads(sealed[1].after)["role"] == "supervisor"  # the audited role, not the row's
    assert [p.message() for p in maintenance.check(db).problems] == [
        f"user account record 2: differs from its last audited state (audit entry 1-{sealed[1].seq})"
    ]
    assert accounts.sign_in("wenshu", "mima-1234").username == "wenshu"
    close_store(db)
