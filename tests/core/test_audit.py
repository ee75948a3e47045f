"""The audit trail as `villagegov check` sees it: sound when untouched, and every kind of tampering named.

These run on SQLite and, where VILLAGEGOV_TEST_PG names a server, on PostgreSQL too.
"""

from __future__ import annotations

from datetime import date

import peewee
import pytest

from villagegov.core import audit, i18n, maintenance
from villagegov.core.actor import Actor
from villagegov.core.db import is_postgres
from villagegov.core.privacy import make_id_number
from villagegov.roster import service as roster
from villagegov.roster.rules import VillagerInput

AREA = "411421"


def fill_roster(actor: Actor) -> list[int]:
    """Audit entries 3…7 of the village's chain: a group, a household, three villagers."""
    group = roster.add_group(actor, "第一村民小组")
    hh = roster.add_household(actor, group.id, "01-001", "青石村一组1号")
    people = [
        VillagerInput("王大山", hh, "head", id_number=make_id_number(AREA, date(1970, 3, 7), 11)),
        VillagerInput("李秀英", hh, "spouse", id_number=make_id_number(AREA, date(1972, 5, 9), 22)),
        VillagerInput("王小川", hh, "child", id_number=make_id_number(AREA, date(1998, 1, 2), 31)),
    ]
    return [roster.add_villager(actor, p).id for p in people]


def drop_guards(db: peewee.Database) -> None:
    """What an attacker with the database file does first."""
    if is_postgres(db):
        db.execute_sql("DROP TRIGGER audit_entry_no_change ON audit_entry")
    else:
        db.execute_sql("DROP TRIGGER audit_entry_no_update")
        db.execute_sql("DROP TRIGGER audit_entry_no_delete")


def entry_id(chain: int, seq: int) -> int:
    return audit.AuditEntry.get((audit.AuditEntry.chain == chain) & (audit.AuditEntry.seq == seq)).id


def test_a_clean_database_checks_ok(any_store: peewee.Database, any_clerk: Actor) -> None:
    fill_roster(any_clerk)
    i18n.set_language("en")
    report = maintenance.check(any_store)
    assert report.ok, report.lines()
    assert report.entries == 7 and report.first_broken_entry is None
    assert report.heads[any_clerk.audit_chain][0] == 7
    assert report.lines()[-1].startswith("No problems")


@pytest.mark.parametrize("statement", ["UPDATE audit_entry SET actor = 'x'", "DELETE FROM audit_entry"])
def test_the_audit_log_refuses_changes_by_default(
    any_store: peewee.Database, any_clerk: Actor, statement: str
) -> None:
    fill_roster(any_clerk)
    with pytest.raises(peewee.DatabaseError, match="append-only"):
        any_store.execute_sql(statement)
    assert audit.AuditEntry.select().count() == 7
    assert audit.AuditEntry.select().where(audit.AuditEntry.actor == "x").count() == 0
    assert maintenance.check(any_store).ok


def test_an_edited_audit_entry_is_named(any_store: peewee.Database, any_clerk: Actor) -> None:
    fill_roster(any_clerk)
    chain = any_clerk.audit_chain
    drop_guards(any_store)
    any_store.execute_sql(f"UPDATE audit_entry SET actor = 'shuji' WHERE id = {entry_id(chain, 5)}")
    audit.install_guards(any_store)  # and puts the guards back, so only the chain can tell
    i18n.set_language("en")
    report = maintenance.check(any_store)
    assert not report.ok
    assert report.first_broken_entry == audit.entry_label(chain, 5) == f"audit entry {chain}-5"
    assert [p.where for p in report.problems] == [f"audit entry {chain}-5"]
    text = "\n".join(report.lines())
    assert f"first breaks at audit entry {chain}-5" in text and "changed after it was written" in text


def test_a_deleted_audit_entry_in_the_middle_is_named(any_store: peewee.Database, any_clerk: Actor) -> None:
    villagers = fill_roster(any_clerk)
    chain = any_clerk.audit_chain
    drop_guards(any_store)
    any_store.execute_sql(f"DELETE FROM audit_entry WHERE id = {entry_id(chain, 5)}")
    audit.install_guards(any_store)
    i18n.set_language("en")
    report = maintenance.check(any_store)
    assert report.first_broken_entry == f"audit entry {chain}-5"
    text = "\n".join(report.lines())
    assert "jumps from entry 4 to entry 6" in text
    # The villager that entry created is now unexplained, and named too.
    assert f"villager record {villagers[0]}: exists but was never written through villagegov" in text


def test_missing_guards_are_a_problem(any_store: peewee.Database, any_clerk: Actor) -> None:
    drop_guards(any_store)
    i18n.set_language("en")
    report = maintenance.check(any_store)
    assert not report.ok and report.first_broken_entry is None
    assert [p.msgid for p in report.problems] == [maintenance.GUARDS_MISSING]
    assert "append-only are missing" in "\n".join(report.lines())


def test_a_villager_edited_behind_the_apps_back_is_named(
    any_store: peewee.Database, any_clerk: Actor
) -> None:
    villagers = fill_roster(any_clerk)
    any_store.execute_sql(f"UPDATE villager SET phone = '13900000000' WHERE id = {villagers[1]}")
    i18n.set_language("en")
    report = maintenance.check(any_store)
    assert report.first_broken_entry is None  # the chain itself is intact
    assert [p.where for p in report.problems] == [f"villager record {villagers[1]}"]
    assert "differs from its last audited state" in report.lines()[-1]


def test_villagers_deleted_or_slipped_in_behind_the_apps_back_are_named(
    any_store: peewee.Database, any_clerk: Actor
) -> None:
    villagers = fill_roster(any_clerk)
    hh = roster.get_villager(any_clerk, villagers[0]).household_id
    any_store.execute_sql(f"DELETE FROM villager WHERE id = {villagers[1]}")
    Ghost = roster.Villager  # a row written with the model but without the service or the audit log
    ghost = Ghost.create(
        village=any_clerk.village_id, household=hh, relation="other", name="赵无名", gender="male",
        birth_date=date(1980, 1, 1), id_number=None,
    )  # fmt: skip
    i18n.set_language("en")
    report = maintenance.check(any_store)
    found = {p.where: p.msgid for p in report.problems}
    assert found == {
        f"villager record {villagers[1]}": "was deleted without an audit entry (last: {entry})",
        f"villager record {ghost.id}": "exists but was never written through villagegov",
    }


def test_rewriting_the_chain_after_an_edit_changes_the_head(
    any_store: peewee.Database, any_clerk: Actor
) -> None:
    """What the chain alone cannot catch (RELIABILITY.md): only the head kept elsewhere shows it."""
    villagers = fill_roster(any_clerk)
    chain = any_clerk.audit_chain
    anchor = maintenance.check(any_store).heads[chain]
    drop_guards(any_store)
    # The attacker edits a villager and its entry, then rehashes everything from there on.
    any_store.execute_sql(f"UPDATE villager SET name = '王大水' WHERE id = {villagers[0]}")
    prev = audit.AuditEntry.get((audit.AuditEntry.chain == chain) & (audit.AuditEntry.seq == 4)).hash
    for entry in audit.AuditEntry.select().where(audit.AuditEntry.seq >= 5).order_by(audit.AuditEntry.seq):
        if entry.seq == 5:
            entry.after = entry.after.replace("王大山", "王大水")
        entry.prev_hash = prev
        entry.hash = audit._entry_hash(audit.hashed_fields(entry))
        entry.save()
        prev = entry.hash
    audit.install_guards(any_store)
    report = maintenance.check(any_store)
    assert report.ok  # the forgery is self-consistent …
    assert report.heads[chain][0] == anchor[0] and report.heads[chain][1] != anchor[1]  # … but not the head


def test_a_key_missing_from_the_audited_state_stands_for_null() -> None:
    """A column a migration added after the entry (NULL in the row), or dropped since (NULL in the
    entry), is no change; any value in it is."""
    assert audit.same_state('{"a":1,"days":null}', '{"a":1}')
    assert audit.same_state('{"a":1}', '{"a":1,"step":null}')
    assert not audit.same_state('{"a":1,"days":5}', '{"a":1}')
    assert not audit.same_state('{"a":1}', '{"a":1,"step":7}')
    assert not audit.same_state('{"a":2,"days":null}', '{"a":1}')
