"""Fixtures of the 红白理事会 room: a village with households, a ceremony council, a secretary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from villagegov.accounts import service as accounts
from villagegov.ceremonies import rules, service
from villagegov.ceremonies.rules import FiguresInput, ReportInput
from villagegov.core import clock
from villagegov.core.actor import Actor
from villagegov.core.privacy import make_id_number
from villagegov.roster import service as roster
from villagegov.roster.rules import VillagerInput

TODAY = date(2026, 11, 20)
HEAD_PHONE = "13912345678"


@dataclass(frozen=True)
class Village:
    clerk: Actor
    wang: int  # 王德福's household (he heads it)
    li: int  # 李桂兰's household
    chair: int  # council seats
    member: int
    council: int


def _villager(
    clerk: Actor, household: int, name: str, relation: str, born: date, seq: int, phone: str = ""
) -> int:
    return roster.add_villager(
        clerk,
        VillagerInput(name, household, relation, id_number=make_id_number("411421", born, seq), phone=phone),
        TODAY,
    ).id


def make_village(clerk: Actor) -> Village:
    """The room's village, whose records are written on TODAY (their audit entries too, which the
    archive's period goes by), whatever day the suite runs on (tests/conftest.py unpins it after)."""
    clock.pin(TODAY)
    group = roster.add_group(clerk, "第一村民小组").id
    wang = roster.add_household(clerk, group, "01-001", "青石村一组1号")
    li = roster.add_household(clerk, group, "01-002", "青石村一组2号")
    _villager(clerk, wang, "王德福", "head", date(1960, 3, 1), 11, HEAD_PHONE)
    _villager(clerk, li, "李桂兰", "head", date(1952, 6, 1), 22)
    chair = _villager(clerk, li, "李长顺", "child", date(1975, 1, 9), 31)
    member = _villager(clerk, wang, "王秀英", "child", date(1985, 2, 2), 42)
    council = service.create_council(clerk, date(2024, 1, 1), date(2028, 12, 31))
    chair_seat = service.add_member(clerk, council.id, chair, rules.CHAIR, date(2024, 1, 1)).id
    member_seat = service.add_member(clerk, council.id, member, rules.MEMBER, date(2024, 1, 1)).id
    return Village(clerk, wang, li, chair_seat, member_seat, council.id)


@pytest.fixture
def village(any_clerk: Actor) -> Village:
    return make_village(any_clerk)


@pytest.fixture
def secretary(any_clerk: Actor) -> Actor:
    accounts.create_user(any_clerk, "shuji", "王建国", "secretary", "mima-5678")
    return accounts.sign_in("shuji", "mima-5678")


def wedding_plan(**changes: object) -> FiguresInput:
    base: dict[str, object] = {
        "tables": "28", "cost_per_table": "680", "gift_per_guest": "200", "vehicles": "8", "days": "1",
        "bride_price": "88000", "spending": "120,000",
    }  # fmt: skip
    base.update(changes)
    return FiguresInput(**base)  # type: ignore[arg-type]


def wedding(household: int, day: date = date(2026, 10, 2), **plan: object) -> ReportInput:
    return ReportInput(
        household_id=household, kind=rules.WEDDING, day=day, place="王德福家院内",
        plan=wedding_plan(**plan), subject="新郎王小明、新娘李小红", reported_on=date(2026, 9, 20),
    )  # fmt: skip
