"""A year of 村民议事会 meetings for the demo village, written through the service only.

`add_demo_council(village_id, today, actor, rng)` is called by demo.fill_demo after the roster (and
the secretary) are in place. It adds a council of nine for a five-year term and about a year of
meetings up to `today`, in every state: finalised meetings (one with a recusal, one with a failed
vote, one with a roll call on a two-thirds item, one amended after finalisation), a 流会 (not held,
quorum not met), a meeting held last week awaiting the recorder's signature, and one planned with
its agenda. Midway the secretary tightens the two-thirds threshold (rules versioned by date) and a
member leaves and is replaced.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from fractions import Fraction

from villagegov.accounts import service as accounts
from villagegov.core import voting
from villagegov.core.actor import SECRETARY, SUPERVISOR, Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_
from villagegov.council import rules, service
from villagegov.roster import service as roster
from villagegov.roster.rules import FEMALE, MALE
from villagegov.roster.service import VillagerRow


@dataclass(frozen=True)
class DemoCouncil:
    council_id: int
    members: int
    meetings: int
    resolutions: int
    states: dict[str, int]


@dataclass(frozen=True)
class _Item:
    title: str
    background: str
    minutes: str
    resolution_title: str = ""
    resolution_text: str = ""
    proposer: str = ""  # "" → a member of the council
    two_thirds: bool = False
    for_vote: bool = True


CANAL = _Item(
    "关于村东水渠修缮方案的议题",
    "村东水渠建于上世纪七十年代，渠体多处渗漏，影响三、四组约300亩农田灌溉。拟采用混凝土衬砌修缮，预算约12万元。",
    "与会成员认为水渠修缮关系灌溉用水，应尽快实施；建议施工安排在秋收之后，并请村务监督委员会全程监督资金使用。",
    "关于村东水渠修缮方案的决议",
    "同意村东水渠修缮方案，预算12万元，由村民委员会组织实施，村务监督委员会全程监督资金使用。",
    proposer="村民委员会",
)
LAMPS = _Item(
    "关于村内主干道安装太阳能路灯的建议",
    "群众反映夜间出行不便，建议在村内主干道安装太阳能路灯60盏，所需资金申请一事一议财政奖补。",
    "成员一致认为安装路灯是群众急需的实事，建议优先覆盖学校和卫生室周边路段。",
    "关于村内主干道安装太阳能路灯的决议",
    "同意在村内主干道安装太阳能路灯60盏，由村民委员会申请一事一议财政奖补资金。",
)
DIVIDEND = _Item(
    "关于{year}年度村集体经营性收入分配方案的议题",
    "村集体经营性收入扣除必要支出后，拟按每人120元标准分红，其余部分提取为公积公益金。",
    "成员对分红标准和公积公益金提取比例进行了讨论，认为方案兼顾了当前收益和长远发展。",
    "关于{year}年度村集体经营性收入分配方案的决议",
    "同意按每人120元标准进行分红，其余部分提取为公积公益金，分配方案报镇农经站备案后实施。",
    proposer="村党支部",
    two_thirds=True,
)
CLEANERS = _Item(
    "关于聘请村内环境卫生保洁员的议题",
    "为巩固人居环境整治成果，拟从本村低收入家庭中聘请保洁员4名，每人每月报酬1200元。",
    "成员建议聘用人员名单经村务公开公示后确定，并明确保洁责任区域。",
    "关于聘请村内环境卫生保洁员的决议",
    "同意聘请保洁员4名，每人每月报酬1200元，聘用名单公示无异议后确定。",
    proposer="村民委员会",
)
POND = _Item(
    "关于集体鱼塘承包到期重新发包的议题",
    "村集体鱼塘（约15亩）承包合同将于年底到期，拟通过公开竞价方式重新发包，底价每年8000元，承包期五年。",
    "该成员因近亲属为鱼塘现承包人，依规回避，未参加本议题的讨论和表决。其余成员同意公开竞价发包。",
    "关于集体鱼塘重新发包的决议",
    "同意集体鱼塘以公开竞价方式重新发包，底价每年8000元，承包期五年，竞价结果公示后签订合同。",
    proposer="村民委员会",
)
CLINIC = _Item(
    "关于新建村卫生室选址的议题",
    "拟在二组村民活动中心旁新建村卫生室，占地约200平方米。",
    "部分成员认为选址距一组、六组较远，群众就医不便，建议另行比选后再议。",
)
PLAZA = _Item(
    "关于村文化广场管理办法（草案）的议题",
    "村文化广场建成后使用频繁，拟制定管理办法，明确开放时间、卫生责任和设施维护。",
    "成员对开放时间提出修改意见，同意按修改后的办法执行。",
    "关于村文化广场管理办法的决议",
    "通过《村文化广场管理办法》，自公布之日起施行。",
)
REPORT = _Item(
    "听取村务监督委员会上半年工作情况通报",
    "村务监督委员会通报上半年财务审核和村务公开监督情况。",
    "村务监督委员会主任通报了上半年财务审核和村务公开监督情况，与会成员无异议。",
    for_vote=False,
)
CUSTOMS = _Item(
    "关于修订《村规民约》红白事办理标准的议题",
    "根据县移风易俗工作要求，拟将婚事宴席控制在20桌以内，每桌标准不超过500元，丧事不超过3天。",
    "成员逐人表态。多数成员赞成收紧标准，个别成员担心执行难度，建议由红白理事会做好宣传解释。",
    "关于修订《村规民约》红白事办理标准的决议",
    "同意修订《村规民约》红白事办理标准，提请村民代表会议审议。",
    two_thirds=True,
)
RANKING = _Item(
    "关于开展人居环境整治“红黑榜”评比的建议",
    "建议每季度对各户庭院卫生进行评比，结果在村务公开栏张榜。",
    "成员同意开展评比，建议评比结果以表扬为主，不点名批评。",
    "关于开展人居环境整治“红黑榜”评比的决议",
    "同意每季度开展一次庭院卫生评比，评比结果在村务公开栏公布。",
)
LAND_RENT = _Item(
    "关于村集体机动地租金调整的议题",
    "村集体机动地20亩租金多年未调整，拟参照周边行情由每亩500元调整为每亩600元。",
    "成员认为调整幅度合理，建议新租金自下一承包年度起执行。",
    "关于村集体机动地租金调整的决议",
    "同意村集体机动地租金自下一承包年度起调整为每亩每年600元。",
    proposer="村民委员会",
)
FIRE_WATCH = _Item(
    "关于冬季森林防火巡查安排的议题",
    "冬春季节森林火险等级高，拟组织巡查队每日巡山，并在进山路口设置检查点。",
    "",
    proposer="村民委员会",
)
PROJECT = _Item(
    "关于申报一事一议财政奖补项目的议题",
    "拟申报村内道路硬化二期工程，全长800米，预算约25万元。",
    "",
)

ABSENCE_REASONS = ("外出务工", "请假（身体不适）", "家中有事请假", "外出学习", "在县城陪护老人")
OBSERVER_NOTES = {rules.TWO_COMMITTEES: "村党支部书记", rules.SUPERVISORY: "村务监督委员会主任"}


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _user(clerk: Actor, role: str) -> Actor:
    for user in accounts.list_users(clerk):
        if user.role == role and user.active:
            return Actor(user.id, user.username, user.display_name, user.role, clerk.village_id)
    raise VillagegovError(
        N_("The demo council needs a secretary and a supervisory committee member; add them.")
    )


def _choose_members(rng: random.Random, villagers: list[VillagerRow], today: date) -> list[VillagerRow]:
    """Ten adults: a chair (a party member in his fifties or sixties), two vice-chairs, six members with
    women among them, and one more who joins midway."""
    adults = [v for v in villagers if 32 <= _age(v.birth_date, today) <= 68]
    if len(adults) < 10:
        raise VillagegovError(N_("The demo council needs at least ten adult villagers on the roster."))
    chosen: list[VillagerRow] = []

    def pick(pool: list[VillagerRow]) -> VillagerRow:
        left = [v for v in pool if v not in chosen] or [v for v in adults if v not in chosen]
        person = rng.choice(sorted(left, key=lambda v: v.id))
        chosen.append(person)
        return person

    pick([v for v in adults if v.party_member and v.gender == MALE and _age(v.birth_date, today) >= 50])
    pick([v for v in adults if v.party_member and v.gender == FEMALE])
    pick([v for v in adults if v.representative])
    for n in range(7):
        pick([v for v in adults if v.gender == (FEMALE if n % 3 == 0 else MALE)])
    return chosen


class _Writer:
    def __init__(self, clerk: Actor, council_id: int, today: date, rng: random.Random) -> None:
        self.clerk, self.council_id, self.today, self.rng = clerk, council_id, today, rng

    def at(self, day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour, self.rng.randrange(60)))

    def plan(
        self, day: date, chair: service.MemberRow, items: list[_Item], observers: list[tuple[Actor, str]]
    ) -> service.MeetingDetail:
        person = rules.Person(villager_id=chair.villager_id)
        data = rules.MeetingInput(
            day, "村委会二楼会议室", self.rng.choice(("09:00", "14:30", "19:30")), person, person,
            rules.Person(self.clerk.display_name),
        )  # fmt: skip
        created = self.at(min(day - timedelta(days=7), self.today), 10)
        meeting = service.create_meeting(self.clerk, self.council_id, data, now=created)
        members = service.list_members(self.clerk, self.council_id, on=day)
        for item in items:
            proposer = item.proposer or self.rng.choice(members).name
            service.add_item(
                self.clerk,
                meeting.id,
                rules.ItemInput(
                    item.title.format(year=day.year - 1 if day.month <= 3 else day.year), proposer,
                    item.background, item.two_thirds, item.for_vote,
                ),
            )  # fmt: skip
        for who, kind in observers:
            service.add_observer(self.clerk, meeting.id, who.display_name, kind, OBSERVER_NOTES[kind])
        return service.get_meeting(self.clerk, meeting.id)

    def hold(self, meeting: service.MeetingDetail, absent: int) -> service.MeetingDetail:
        seats = [a.member_id for a in meeting.attendance]
        away = set(self.rng.sample(seats[1:], absent))  # the chair is there
        entries = [
            rules.AttendanceInput(s, s not in away, self.rng.choice(ABSENCE_REASONS) if s in away else "")
            for s in seats
        ]
        return service.record_attendance(self.clerk, meeting.id, entries, today=self.today)

    def vote(
        self, meeting: service.MeetingDetail, order: int, item: _Item, passes: bool, roll_call: bool = False
    ) -> service.ItemRow:
        row = meeting.items[order - 1]
        present = [a.member_id for a in meeting.attendance if a.status == rules.PRESENT]
        recused = {r.member_id for r in row.recusals}
        eligible = [m for m in present if m not in recused]
        rule = meeting.rules_version.version().rule(item.two_thirds)
        needed = rule.pass_threshold.minimum(len(eligible))
        rng = self.rng
        for_ = rng.randint(needed, len(eligible)) if passes else rng.randint(max(0, needed - 3), needed - 1)
        against = rng.randint(0, len(eligible) - for_)
        abstain = rng.randint(0, len(eligible) - for_ - against)
        when = self.at(meeting.date, 11)
        if roll_call:
            order_ = rng.sample(eligible, len(eligible))
            choices = {m: rules.FOR for m in order_[:for_]}
            choices |= {m: rules.AGAINST for m in order_[for_ : for_ + against]}
            choices |= {m: rules.ABSTAIN for m in order_[for_ + against : for_ + against + abstain]}
            result = service.record_roll_call(self.clerk, row.id, choices, now=when)
        else:
            result = service.record_votes(self.clerk, row.id, for_, against, abstain, now=when)
        if result.resolution is not None:
            year = meeting.date.year - 1 if meeting.date.month <= 3 else meeting.date.year
            service.update_resolution(
                self.clerk,
                result.resolution.id,
                item.resolution_title.format(year=year),
                item.resolution_text,
            )
        return result

    def minutes(self, meeting: service.MeetingDetail, items: list[_Item], opening: str) -> None:
        service.set_minutes(self.clerk, meeting.id, opening)
        for row, item in zip(meeting.items, items, strict=True):
            if item.minutes:
                service.set_minutes(self.clerk, meeting.id, item.minutes, row.id)

    def sign(self, meeting: service.MeetingDetail, both: bool = True) -> service.MeetingDetail:
        chair_day = min(meeting.date + timedelta(days=1), self.today)
        detail = service.sign_off(self.clerk, meeting.id, "chair", chair_day, today=self.today)
        if both:
            recorder_day = min(meeting.date + timedelta(days=2), self.today)
            detail = service.sign_off(
                self.clerk,
                meeting.id,
                "recorder",
                recorder_day,
                today=self.today,
                now=self.at(recorder_day, 16),
            )
        return detail


def _opening(meeting: service.MeetingDetail, chair: str) -> str:
    return (
        f"会议由{chair}主持。应到成员{meeting.expected}人，实到{meeting.present}人，"
        f"{'符合' if meeting.quorum_met else '不足'}议事规则规定的人数。"
    )


def add_demo_council(village_id: int, today: date, actor: Actor, rng: random.Random) -> DemoCouncil:
    """Fill the demo village with its council and a year of meetings up to `today` (in the caller's
    transaction, through the service only)."""
    clerk = actor
    if clerk.village_id != village_id:
        raise VillagegovError(N_("This record belongs to another village."))
    secretary, supervisor = _user(clerk, SECRETARY), _user(clerk, SUPERVISOR)
    start = today - timedelta(days=360)
    term_start, term_end = date(today.year - 1, 1, 1), date(today.year + 3, 12, 31)
    council = service.create_council(clerk, term_start, term_end, now=datetime.combine(term_start, time(9)))
    people = _choose_members(rng, roster.list_villagers(clerk), today)
    roles = (rules.CHAIR, rules.VICE_CHAIR, rules.VICE_CHAIR, *[rules.MEMBER] * 6)
    seats = [
        service.add_member(clerk, council.id, person.id, role, term_start)
        for person, role in zip(people[:9], roles, strict=True)
    ]
    chair = seats[0]
    w = _Writer(clerk, council.id, today, rng)
    two = [(secretary, rules.TWO_COMMITTEES)]
    both = [(secretary, rules.TWO_COMMITTEES), (supervisor, rules.SUPERVISORY)]

    def day(offset: int) -> date:
        return start + timedelta(days=offset)

    # 1. Two items, both passed; finalised.
    m = w.hold(w.plan(day(0), chair, [CANAL, LAMPS], two), absent=1)
    w.vote(m, 1, CANAL, True)
    w.vote(m, 2, LAMPS, True)
    w.minutes(m, [CANAL, LAMPS], _opening(m, chair.name))
    w.sign(m)

    # 2. A two-thirds item (the yearly distribution), everyone present.
    m = w.hold(w.plan(day(45), chair, [DIVIDEND], both), absent=0)
    w.vote(m, 1, DIVIDEND, True)
    w.minutes(m, [DIVIDEND], _opening(m, chair.name))
    w.sign(m)

    # 3. A member steps aside (回避) for the fish pond: a relative holds the lease.
    m = w.hold(w.plan(day(90), chair, [CLEANERS, POND], two), absent=2)
    pond = m.items[1]
    present = [a for a in m.attendance if a.status == rules.PRESENT and a.member_id != chair.id]
    conflicted = rng.choice(present)
    service.set_recusals(clerk, pond.id, [rules.RecusalInput(conflicted.member_id, "近亲属为鱼塘现承包人")])
    m = service.get_meeting(clerk, m.id)
    w.vote(m, 1, CLEANERS, True)
    w.vote(m, 2, POND, True)
    w.minutes(m, [CLEANERS, POND], _opening(m, chair.name))
    w.sign(m)

    # 4. A vote that fails: the clinic's site goes back for another look.
    m = w.hold(w.plan(day(140), chair, [CLINIC, PLAZA], both), absent=1)
    w.vote(m, 1, CLINIC, False)
    w.vote(m, 2, PLAZA, True)
    w.minutes(m, [CLINIC, PLAZA], _opening(m, chair.name))
    w.sign(m)

    # 5. A report heard without a vote, and a roll call on a two-thirds item; amended after finalisation.
    m = w.hold(w.plan(day(190), chair, [REPORT, CUSTOMS], both), absent=1)
    w.vote(m, 2, CUSTOMS, True, roll_call=True)
    w.minutes(m, [REPORT, CUSTOMS], _opening(m, chair.name))
    m = w.sign(m)
    amended_on = min(m.date + timedelta(days=12), today)
    service.amend(
        clerk, m.id, "minutes.text", m.items[0].minutes_id or 0,
        "村务监督委员会主任通报了上半年财务审核、村务公开和工程项目监督情况，与会成员无异议。",
        "漏记工程项目监督情况，经主持人、记录人核对后更正", now=w.at(amended_on, 15),
    )  # fmt: skip

    # The secretary tightens the two-thirds threshold to three-quarters from the day after.
    service.set_council_rules(
        secretary, council.id, day(200), voting.COUNCIL_QUORUM, voting.COUNCIL_PASS,
        voting.Threshold(Fraction(3, 4)), now=w.at(day(196), 10),
    )  # fmt: skip
    # A member leaves (moved to the county town) and another villager takes the seat.
    leaving = seats[-1]
    service.update_member(clerk, leaving.id, leaving.role, leaving.joined_on, day(205))
    service.add_member(clerk, council.id, people[9].id, rules.MEMBER, day(210))

    # 6. Everyone present again.
    m = w.hold(w.plan(day(240), chair, [RANKING], two), absent=0)
    w.vote(m, 1, RANKING, True)
    w.minutes(m, [RANKING], _opening(m, chair.name))
    w.sign(m)

    # 7. 流会: busy season, only five of nine came; no votes, not signed yet.
    m = w.hold(w.plan(day(300), chair, [LAND_RENT], both), absent=4)
    service.set_minutes(clerk, m.id, _opening(m, chair.name) + "会议流会，议题改期审议。")

    # 8. Reconvened last week and held; the chair has signed, the recorder not yet.
    held_on = max(today - timedelta(days=5), day(310))
    m = w.hold(w.plan(held_on, chair, [LAND_RENT], two), absent=1)
    w.vote(m, 1, LAND_RENT, True)
    w.minutes(m, [LAND_RENT], _opening(m, chair.name))
    w.sign(m, both=False)

    # 9. Planned for next week, its agenda and the supervisory committee invited.
    w.plan(today + timedelta(days=9), chair, [FIRE_WATCH, PROJECT], both)

    meetings = service.list_meetings(clerk, council_id=council.id)
    return DemoCouncil(
        council_id=council.id,
        members=len(service.list_members(clerk, council.id)),
        meetings=len(meetings),
        resolutions=sum(r.resolutions for r in meetings),
        states=dict(Counter(r.state for r in meetings)),
    )
