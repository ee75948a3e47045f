"""Fixtures of the 四议两公开 room: a small village with representatives and party members on its roster,
the secretary who approves the disclosures, the supervisory committee, and a walk through the steps."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time

import pytest

from villagegov.accounts import service as accounts
from villagegov.core.actor import Actor
from villagegov.decisions import rules, service
from villagegov.decisions.rules import Observer, Participant, StepInput
from villagegov.notices import service as notices
from villagegov.roster import service as roster
from villagegov.roster.rules import FEMALE, MALE, VillagerInput

TERM_START, TERM_END = date(2024, 1, 1), date(2028, 12, 31)
OPENED = date(2026, 3, 1)
DAYS = {
    rules.PROPOSE: date(2026, 3, 2),
    rules.DISCUSS: date(2026, 3, 5),
    rules.REVIEW: date(2026, 3, 10),
    rules.RESOLVE: date(2026, 3, 20),
}
TODAY = date(2026, 12, 31)
# Ten representatives (four women), six party members, and children who are not of age.
REPRESENTATIVES = (
    ("王建国", MALE), ("李秀英", FEMALE), ("张志刚", MALE), ("刘桂兰", FEMALE), ("陈卫东", MALE),
    ("杨春燕", FEMALE), ("赵德福", MALE), ("黄丽华", FEMALE), ("周海涛", MALE), ("吴长顺", MALE),
)  # fmt: skip
PARTY = ("孙立新", "郑国强", "马振华", "朱建民", "胡永强", "郭学军")
CHILDREN = ("王浩", "李婷", "张宇")
COMMITTEE = ("何主任", "罗委员")
SUPERVISOR = "陈淑芬"


@dataclass
class Village:
    clerk: Actor
    secretary: Actor
    supervisor: Actor

    def today(self) -> date:
        return TODAY


def _roster(clerk: Actor) -> None:
    group = roster.add_group(clerk, "第一村民小组")
    n = 0

    def person(name: str, gender: str, born: date, **flags: object) -> None:
        nonlocal n
        n += 1
        household = roster.add_household(clerk, group.id, f"01-{n:03d}")
        roster.add_villager(
            clerk, VillagerInput(name, household, "head", gender=gender, birth_date=born, **flags), TODAY
        )  # type: ignore[arg-type]

    for i, (name, gender) in enumerate(REPRESENTATIVES):
        person(name, gender, date(1965 + i, 5, 1), representative=True,
               representative_term_start=TERM_START, representative_term_end=TERM_END)  # fmt: skip
    for i, name in enumerate(PARTY):
        person(name, MALE, date(1955 + i, 7, 1), party_member=True)
    for i, name in enumerate(CHILDREN):
        person(name, MALE if i % 2 == 0 else FEMALE, date(2012 + i, 1, 1))


@pytest.fixture
def village(any_clerk: Actor) -> Village:
    _roster(any_clerk)
    accounts.create_user(any_clerk, "shuji", "王书记", "secretary", "mima-5678")
    accounts.create_user(any_clerk, "jianwei", SUPERVISOR, "supervisor", "mima-5678")
    return Village(
        any_clerk, accounts.sign_in("shuji", "mima-5678"), accounts.sign_in("jianwei", "mima-5678")
    )


def open_matter(
    v: Village, title: str = "村东水渠修缮工程", amount: str = "120,000"
) -> service.DecisionDetail:
    data = service.DecisionInput(title, rules.PUBLIC_WORKS, amount, "村东水渠渗漏严重，影响三百亩农田灌溉。")
    return service.open_decision(v.clerk, data, OPENED, today=TODAY)


def watcher() -> tuple[Observer, ...]:
    return (Observer(SUPERVISOR, rules.SUPERVISORY, "监委会主任"),)


def meeting(step: str, v: Village, held_on: date | None = None, **changes: object) -> StepInput:
    """A sound record of each meeting step, passing, held on its day."""
    day = held_on or DAYS[step]
    if step == rules.PROPOSE:
        people = tuple(Participant(n) for n in ("王书记", "何主任", "罗委员"))
        data = StepInput(
            day,
            "村委会会议室",
            "王书记",
            "李文书",
            participants=people,
            observers=watcher(),
            agreed=True,
            summary="支委会研究，提议修缮村东水渠。",
            text="提议修缮村东水渠。",
        )
    elif step == rules.DISCUSS:
        people = tuple(Participant(n) for n in ("王书记", "何主任", "罗委员", "马振华", "周海涛"))
        data = StepInput(
            day,
            "村委会会议室",
            "王书记",
            "李文书",
            participants=people,
            observers=watcher(),
            agreed=True,
            summary="两委会商议形成方案。",
            text="修缮方案：混凝土衬砌1.2公里。",
        )
    elif step == rules.REVIEW:
        people = tuple(service.party_members(v.clerk, day))
        data = StepInput(
            day,
            "村党员活动室",
            "王书记",
            "李文书",
            participants=people,
            observers=watcher(),
            for_=5,
            against=1,
            summary="党员大会审议方案。",
            text="同意提交村民代表会议表决。",
        )
    else:
        people = (
            *service.representatives_on(v.clerk, day),
            *(Participant(n, kind=rules.COMMITTEE_MEMBER) for n in COMMITTEE),
        )
        data = StepInput(
            day,
            "村委会会议室",
            "王书记",
            "李文书",
            body=rules.REPRESENTATIVES,
            participants=people,
            observers=watcher(),
            for_=10,
            against=1,
            abstain=1,
            summary="村民代表会议表决。",
            text="同意村东水渠修缮方案，预算12万元。",
        )
    return replace(data, **changes)  # type: ignore[arg-type]


def through(v: Village, decision_id: int, last: str) -> service.DecisionDetail:
    """Record the meeting steps 1 up to `last`, each passing."""
    detail = service.get_decision(v.clerk, decision_id, TODAY)
    for step in rules.MEETING_STEPS[: rules.MEETING_STEPS.index(last) + 1]:
        detail = service.record_step(v.clerk, decision_id, step, meeting(step, v), today=TODAY)
    return detail


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour))


def post_disclosure(v: Village, decision_id: int, drafted: date, posted: date) -> service.DecisionDetail:
    """Start the disclosure the decision is at, the secretary approves its notice, the clerk posts it."""
    detail = service.start_disclosure(v.clerk, decision_id, today=drafted, now=at(drafted))
    row = detail.current(detail.progress.step)
    assert row is not None and row.notice_id is not None
    notices.approve(v.secretary, row.notice_id, now=at(drafted, 15))
    notices.post(v.clerk, row.notice_id, posted, "张组长", today=posted)
    return service.get_decision(v.clerk, decision_id, posted)


RESOLUTION_POSTED = date(2026, 3, 22)  # hangs to 3-28
WORK = service.ImplementationInput(
    date(2026, 4, 1), date(2026, 5, 31), "完成村东水渠衬砌1.2公里。", "118,500"
)
RESULT_POSTED = date(2026, 6, 2)  # hangs to 6-8


def complete(v: Village, decision_id: int) -> service.DecisionDetail:
    """Every step of a passing matter, to its completion on 2026-06-09."""
    through(v, decision_id, rules.RESOLVE)
    post_disclosure(v, decision_id, date(2026, 3, 21), RESOLUTION_POSTED)
    service.complete_disclosure(v.clerk, decision_id, today=date(2026, 3, 29))
    service.record_implementation(v.clerk, decision_id, WORK, today=date(2026, 6, 1))
    post_disclosure(v, decision_id, date(2026, 6, 1), RESULT_POSTED)
    return service.complete_disclosure(v.clerk, decision_id, today=date(2026, 6, 9))


def council_item(v: Village, day: date, passed: bool = True, finalise: bool = True) -> int:
    """A council of five representatives whose meeting on `day` votes on the canal; the item's id."""
    from villagegov.council import rules as council_rules
    from villagegov.council import service as council

    clerk = v.clerk
    body = council.create_council(clerk, date(2025, 1, 1), date(2029, 12, 31))
    reps = service.representatives_on(clerk, day)[:5]
    seats = [
        council.add_member(clerk, body.id, r.villager_id, council_rules.MEMBER, date(2025, 1, 1))
        for r in reps
    ]
    chair = council_rules.Person("王书记")
    m = council.create_meeting(
        clerk, body.id, council_rules.MeetingInput(day, "村委会", "", chair, chair, chair)
    )
    item = council.add_item(clerk, m.id, council_rules.ItemInput("村东水渠修缮方案"))
    attendance = [council_rules.AttendanceInput(s.id, True) for s in seats]
    council.record_attendance(clerk, m.id, attendance, today=TODAY)
    council.record_votes(clerk, item.id, 4 if passed else 1, 1 if passed else 4, 0)
    if finalise:
        council.sign_off(clerk, m.id, "chair", day, today=TODAY)
        council.sign_off(clerk, m.id, "recorder", day, today=TODAY)
    return item.id
