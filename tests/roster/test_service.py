from datetime import date

import peewee
import pytest

from tests.conftest import set_up_village
from villagegov.accounts import service as accounts
from villagegov.core import audit
from villagegov.core.actor import Actor
from villagegov.core.errors import PermissionDenied, ValidationError
from villagegov.core.privacy import make_id_number
from villagegov.roster import rules, service
from villagegov.roster.rules import VillagerInput

ID_MAN = make_id_number("411421", date(1970, 3, 7), 11)
ID_WOMAN = make_id_number("411421", date(1972, 5, 9), 22)


def _household(actor: Actor) -> int:
    group = service.add_group(actor, "第一村民小组")
    return service.add_household(actor, group.id, "01-001", "青石村1号")


def test_villager_is_saved_and_listed(any_clerk: Actor) -> None:
    hh = _household(any_clerk)
    row = service.add_villager(
        any_clerk, VillagerInput("王大山", hh, "head", id_number=ID_MAN, phone="13812345678")
    )
    assert row.gender == "male" and row.group == "第一村民小组"
    assert [r.name for r in service.list_villagers(any_clerk)] == ["王大山"]
    assert service.list_households(any_clerk)[0].head == "王大山"
    found = service.list_villagers(any_clerk, service.VillagerFilter(text="5678"))
    assert [r.name for r in found] == ["王大山"]
    assert service.list_villagers(any_clerk, service.VillagerFilter(party_member=True)) == []


def test_every_write_leaves_an_audit_entry_in_the_same_chain(any_clerk: Actor) -> None:
    hh = _household(any_clerk)
    row = service.add_villager(any_clerk, VillagerInput("王大山", hh, "head", id_number=ID_MAN))
    service.update_villager(
        any_clerk, row.id, VillagerInput("王大山", hh, "head", id_number=ID_MAN, party_member=True)
    )
    entries = list(
        audit.AuditEntry.select().where(audit.AuditEntry.entity == "villager").order_by(audit.AuditEntry.seq)
    )
    assert [e.action for e in entries] == ["create", "update"]
    assert '"party_member":false' in entries[1].before and '"party_member":true' in entries[1].after
    assert entries[1].actor == "wenshu"
    assert audit.verify_database_chain() == []


def test_a_household_has_one_head(any_clerk: Actor) -> None:
    hh = _household(any_clerk)
    service.add_villager(any_clerk, VillagerInput("王大山", hh, "head", id_number=ID_MAN))
    with pytest.raises(ValidationError) as err:
        service.add_villager(any_clerk, VillagerInput("李秀英", hh, "head", id_number=ID_WOMAN))
    assert "王大山" in err.value.message()


def test_duplicate_id_number_is_refused_and_nothing_half_written(any_clerk: Actor) -> None:
    hh = _household(any_clerk)
    service.add_villager(any_clerk, VillagerInput("王大山", hh, "head", id_number=ID_MAN))
    before = audit.AuditEntry.select().count()
    with pytest.raises(ValidationError):
        service.add_villager(any_clerk, VillagerInput("王小山", hh, "child", id_number=ID_MAN))
    assert audit.AuditEntry.select().count() == before
    assert len(service.list_villagers(any_clerk)) == 1


def test_group_names_are_unique_and_busy_groups_stay(any_clerk: Actor) -> None:
    _household(any_clerk)
    with pytest.raises(ValidationError):
        service.add_group(any_clerk, " 第一村民小组 ")
    group = service.list_groups(any_clerk)[0]
    with pytest.raises(ValidationError):
        service.delete_group(any_clerk, group.id)
    assert group.households == 1


def test_supervisor_and_reviewer_cannot_change_the_roster(store: peewee.Database) -> None:
    clerk = set_up_village()
    hh = _household(clerk)
    accounts.create_user(clerk, "jianwei", "赵监委", "supervisor", "mima-5678")
    supervisor = accounts.sign_in("jianwei", "mima-5678")
    with pytest.raises(PermissionDenied) as err:
        service.add_villager(supervisor, VillagerInput("王大山", hh, "head", id_number=ID_MAN))
    assert "监委会" in err.value.message()
    assert service.list_groups(supervisor)[0].households == 1  # reading is allowed
    reviewer = Actor(None, "xiangzhen", "乡镇", "reviewer", None)
    with pytest.raises(PermissionDenied):
        service.add_group(reviewer, "第九组")


def test_staff_of_another_village_cannot_read() -> None:
    outsider = Actor(99, "x", "x", "clerk", 99)
    with pytest.raises(PermissionDenied):
        service.list_villagers(outsider, village_id=1)


def test_a_villager_other_records_name_is_refused_in_words_not_by_the_database(
    any_clerk: Actor,
) -> None:
    """A seat on the weddings and funerals council names the villager (a foreign key): deleting them is
    refused by the rules, in words, before the database would refuse it."""
    from villagegov.ceremonies import rules as ceremony_rules
    from villagegov.ceremonies import service as ceremonies

    hh = _household(any_clerk)
    head = service.add_villager(any_clerk, VillagerInput("王大山", hh, "head", id_number=ID_MAN))
    council = ceremonies.create_council(any_clerk, date(2024, 1, 1), date(2028, 12, 31))
    ceremonies.add_member(any_clerk, council.id, head.id, ceremony_rules.CHAIR, date(2024, 1, 1))
    allowed = service.villager_actions(any_clerk, head.id)
    assert allowed.why_not(rules.DELETE_VILLAGER) == (
        "红白理事会成员名单中有王大山，不能从花名册删除；村民迁出或去世的，请在备注中注明。"
    )
    with pytest.raises(ValidationError) as err:
        service.delete_villager(any_clerk, head.id)
    assert err.value.message() == allowed.why_not(rules.DELETE_VILLAGER)
    assert [v.name for v in service.list_villagers(any_clerk)] == ["王大山"]


def test_a_head_of_household_leaves_last(any_clerk: Actor) -> None:
    hh = _household(any_clerk)
    head = service.add_villager(any_clerk, VillagerInput("王大山", hh, "head", id_number=ID_MAN))
    wife = service.add_villager(any_clerk, VillagerInput("李秀英", hh, "spouse", id_number=ID_WOMAN))
    with pytest.raises(ValidationError, match="户主"):
        service.delete_villager(any_clerk, head.id)
    service.delete_villager(any_clerk, wife.id)
    service.delete_villager(any_clerk, head.id)
    assert service.list_villagers(any_clerk) == []


def test_a_supervisor_is_refused_every_write_with_the_rules_words(clerk: Actor) -> None:
    from villagegov.accounts import service as accounts

    hh = _household(clerk)
    row = service.add_villager(clerk, VillagerInput("王大山", hh, "head", id_number=ID_MAN))
    accounts.create_user(clerk, "jianwei", "赵监委", "supervisor", "mima-5678")
    supervisor = accounts.sign_in("jianwei", "mima-5678")
    group = service.list_groups(clerk)[0].id
    for write in (
        lambda: service.add_group(supervisor, "第二村民小组"),
        lambda: service.rename_group(supervisor, group, "一组"),
        lambda: service.add_household(supervisor, group, "01-002"),
        lambda: service.delete_household(supervisor, hh),
        lambda: service.delete_villager(supervisor, row.id),
    ):
        with pytest.raises(PermissionDenied) as err:
            write()
        assert err.value.message() == "只有文书或书记可以修改记录；您当前的登录身份是监委会。"
