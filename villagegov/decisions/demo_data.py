"""A year of 四议两公开 matters for the demo village, written through the services only.

`add_demo_decisions(village_id, today, actor, rng)` is called by demo.fill_demo after the roster, the
users and the notices are in place. Every step appears somewhere: a matter completed with both
disclosures (the irrigation canal), one not adopted at step 4 (a dividend plan the representatives
voted down), one sent back at step 2 and carried on as a revised proposal (solar street lamps, its
resolution now hanging on the board), one resolved by a villagers' meeting (land compensation, its
result waiting for the secretary's approval), and matters waiting at steps 1 to 4, one of them
stalled with a concern of the supervisory committee not yet answered; where the demo council has
voted on the fish pond, a matter whose step 4 is that council meeting's record. Matters are opened in
date order, so their dossier numbers follow the calendar; everything is dated up to `today`.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from villagegov.accounts import service as accounts
from villagegov.core import voting
from villagegov.core.actor import SECRETARY, SUPERVISOR, Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_
from villagegov.decisions import rules, service
from villagegov.decisions.rules import Observer, Participant, StepInput
from villagegov.notices import service as notices
from villagegov.roster import service as roster
from villagegov.roster.rules import FEMALE

SECRETARY_NAME = "王建国"  # the demo's party secretary, who also chairs the village committee (一肩挑)
RECORDER = "李文书"
COMMITTEE = (
    "赵海涛（村委会副主任）",
    "刘秀芳（村委会委员、妇联主席）",
    "陈卫东（村委会委员）",
    "孙丽（村委会委员）",
    "张志强（村会计）",
)
BRANCH = (
    SECRETARY_NAME,
    "周永强（支部副书记）",
    "刘秀芳（支部委员）",
    "赵海涛（支部委员）",
    "马振华（支部委员）",
)
OFFICE = "村委会会议室"


@dataclass(frozen=True)
class DemoDecisions:
    decisions: int
    steps: int
    states: dict[str, int]
    notices: int  # the disclosures' 公示, in the 村务公开 room
    objections: int


def _user(clerk: Actor, village_id: int, role: str) -> Actor:
    for user in accounts.list_users(clerk):
        if user.role == role and user.active:
            return Actor(user.id, user.username, user.display_name, user.role, village_id)
    raise VillagegovError(
        N_("The demo matters need a secretary and a supervisory committee member; add them first.")
    )


def _people(names: tuple[str, ...], absent: int = 0) -> tuple[Participant, ...]:
    out = []
    for i, text in enumerate(names):
        name, _sep, note = text.partition("（")
        out.append(Participant(name, i >= absent, note=note.rstrip("）")))
    return tuple(out)


class _Writer:
    def __init__(
        self, clerk: Actor, secretary: Actor, supervisor: Actor, today: date, rng: random.Random
    ) -> None:
        self.clerk, self.secretary, self.supervisor = clerk, secretary, supervisor
        self.today, self.rng = today, rng
        self.watcher = (Observer(supervisor.display_name, rules.SUPERVISORY, "监委会主任"),)
        self.steps = 0
        self.notices = 0
        self.objections = 0

    def at(self, day: date, hour: int = 9) -> datetime:
        return datetime.combine(day, time(hour, self.rng.randrange(60)))

    def open(self, title: str, kind: str, amount: str, background: str, day: date) -> int:
        data = service.DecisionInput(title, kind, amount, background)
        return service.open_decision(self.clerk, data, day, today=self.today, now=self.at(day, 8)).id

    def meeting(self, step: str, day: date, summary: str, text: str, **changes: object) -> StepInput:
        if step == rules.PROPOSE:
            base = StepInput(
                day,
                OFFICE,
                SECRETARY_NAME,
                RECORDER,
                participants=_people(BRANCH),
                observers=self.watcher,
                agreed=True,
            )
        elif step == rules.DISCUSS:
            base = StepInput(
                day,
                OFFICE,
                SECRETARY_NAME,
                RECORDER,
                participants=_people(BRANCH[:1] + COMMITTEE),
                observers=self.watcher,
                agreed=True,
            )
        elif step == rules.REVIEW:
            members = service.party_members(self.clerk, day)
            away = set(self.rng.sample(range(len(members)), k=max(1, len(members) // 6)))
            people = tuple(replace(p, present=i not in away) for i, p in enumerate(members))
            present = len(members) - len(away)
            against = self.rng.randint(1, 4)
            base = StepInput(
                day,
                "村党员活动室",
                SECRETARY_NAME,
                RECORDER,
                participants=people,
                observers=self.watcher,
                for_=present - against - 1,
                against=against,
                abstain=1,
            )
        else:
            reps = service.representatives_on(self.clerk, day)
            committee = _committee(self.clerk, day)
            away = set(self.rng.sample(range(len(reps)), k=min(3, len(reps) // 10)))
            people = (
                *(replace(p, present=i not in away) for i, p in enumerate(reps)),
                *(Participant(n, kind=rules.COMMITTEE_MEMBER, note=note) for n, note in committee),
            )
            present = sum(1 for p in people if p.present)
            base = StepInput(
                day,
                OFFICE,
                SECRETARY_NAME,
                RECORDER,
                body=rules.REPRESENTATIVES,
                participants=people,
                observers=self.watcher,
                for_=present - 3,
                against=2,
                abstain=1,
            )
        return replace(base, summary=summary, text=text, **changes)  # type: ignore[arg-type]

    def record(self, decision_id: int, step: str, data: StepInput) -> None:
        service.record_step(
            self.clerk, decision_id, step, data, today=self.today, now=self.at(data.held_on, 16)
        )
        self.steps += 1

    def sign(self, decision_id: int, step: str, day: date, remark: str = "程序合规，记录完整。") -> None:
        row = service.get_decision(self.clerk, decision_id, self.today).current(step)
        assert row is not None
        service.sign_off(self.supervisor, row.id, remark, day, today=self.today)

    def disclose(self, decision_id: int, drafted: date, posted: date | None, approve: bool = True) -> int:
        """Draft the disclosure's 公示; the secretary approves it and the clerk posts it, when asked."""
        detail = service.start_disclosure(self.clerk, decision_id, today=self.today, now=self.at(drafted, 10))
        row = detail.current(detail.progress.step)
        assert row is not None and row.notice_id is not None
        self.steps += 1
        self.notices += 1
        if approve:
            approved = posted if posted is not None and posted <= drafted + timedelta(days=1) else drafted
            notices.approve(self.secretary, row.notice_id, now=self.at(approved, 8))
        if posted is not None:
            notices.post(self.clerk, row.notice_id, posted, "张组长", today=self.today)
        return row.notice_id

    def complete(self, decision_id: int, day: date) -> None:
        service.complete_disclosure(self.clerk, decision_id, today=day)


def _committee(clerk: Actor, day: date) -> list[tuple[str, str]]:
    """As many village committee members (up to five) as keep the meeting lawful: representatives make
    up at least 4/5 of it and women representatives at least 1/3 (Art. 26), with the roster's
    representatives of that day."""
    reps = roster.list_villagers(clerk, roster.VillagerFilter(representative=True))
    in_term = [
        v
        for v in reps
        if (v.representative_term_start is None or v.representative_term_start <= day)
        and (v.representative_term_end is None or day <= v.representative_term_end)
    ]
    women = sum(1 for v in in_term if v.gender == FEMALE)
    for seats in range(len(COMMITTEE), -1, -1):
        members = len(in_term) + seats
        if rules.REPRESENTATIVES_SHARE.met(len(in_term), members) and rules.WOMEN_SHARE.met(women, members):
            break
    return [(n.partition("（")[0], n.partition("（")[2].rstrip("）")) for n in COMMITTEE[:seats]]


def _council_item(clerk: Actor, word: str, latest: date) -> service.CouncilItem | None:
    """A finalised council item that passed, about `word`, held by `latest` (None without a council)."""
    for item in service.council_items(clerk):
        if item.finalised and item.outcome == voting.PASSED and word in item.title and item.date <= latest:
            return item
    return None


def add_demo_decisions(village_id: int, today: date, actor: Actor, rng: random.Random) -> DemoDecisions:
    """Fill the demo village with a year of major matters up to `today` (inside the caller's transaction)."""
    clerk = actor
    w = _Writer(clerk, _user(clerk, village_id, SECRETARY), _user(clerk, village_id, SUPERVISOR), today, rng)

    def day(n: int) -> date:
        """`n` days before today."""
        return today - timedelta(days=n)

    matters = [
        (
            "canal",
            day(340),
            "村东水渠修缮工程",
            rules.PUBLIC_WORKS,
            "120,000",
            "村东水渠建于上世纪七十年代，渠体多处渗漏，影响三、四组约300亩农田灌溉。",
        ),
        (
            "dividend",
            day(280),
            f"{day(280).year}年度村集体经营性收入分红方案",
            rules.COLLECTIVE_INCOME,
            "480,000",
            "村集体经营性收入扣除必要支出后，拟按每人300元标准分红。",
        ),
        (
            "lamps",
            day(120),
            "村内主干道安装太阳能路灯",
            rules.PUBLIC_WORKS,
            "96,000",
            "群众反映夜间出行不便，建议在村内主干道安装太阳能路灯。",
        ),
        (
            "compensation",
            day(230),
            "县道拓宽征地补偿费分配方案",
            rules.COMPENSATION,
            "860,000",
            "县道拓宽工程征用本村二组、三组土地共21.5亩，补偿费86万元。",
        ),
        (
            "lease",
            day(75),
            "村民服务中心闲置房屋出租",
            rules.ASSET_DISPOSAL,
            "36,000",
            "村民服务中心二楼三间房屋闲置，拟公开出租，租期三年，年租金不低于1.2万元。",
        ),
        (
            "cleaners",
            day(45),
            "村保洁员误工补贴标准",
            rules.LOST_WORK_PAY,
            "57,600",
            "拟聘请保洁员4名，每人每月误工补贴1200元。",
        ),
        (
            "orchard",
            day(14),
            "村集体果园承包方案",
            rules.COLLECTIVE_PROJECT,
            "",
            "村集体果园120亩承包期满，拟重新公开发包。",
        ),
        (
            "homestead",
            day(6),
            f"{today.year}年度宅基地使用方案",
            rules.HOMESTEAD,
            "",
            "本年度有9户村民申请新建住房，拟统一规划宅基地。",
        ),
        (
            "fitness",
            day(1),
            "村文化广场健身器材更新",
            rules.PUBLIC_WORKS,
            "28,000",
            "广场健身器材老化，存在安全隐患。",
        ),
    ]
    pond = _council_item(clerk, "鱼塘", day(25))
    if pond is not None:  # step 4 held by the council, where that is the village's practice
        matters.append(
            (
                "pond",
                pond.date - timedelta(days=20),
                "集体鱼塘重新发包方案",
                rules.COLLECTIVE_PROJECT,
                "",
                "集体鱼塘约15亩承包合同到期，拟公开竞价重新发包，底价每年8000元，承包期五年。",
            ),
        )
    ids = {}
    for key, opened, title, kind, amount, background in sorted(matters, key=lambda m: m[1]):
        ids[key] = w.open(title, kind, amount, background, opened)

    # 1. Completed with both disclosures.
    w.record(
        ids["canal"],
        rules.PROPOSE,
        w.meeting(
            rules.PROPOSE, day(338), "支委会研究村东水渠渗漏问题。", "提议对村东水渠进行混凝土衬砌修缮。"
        ),
    )
    w.sign(ids["canal"], rules.PROPOSE, day(338))
    w.record(
        ids["canal"],
        rules.DISCUSS,
        w.meeting(
            rules.DISCUSS,
            day(333),
            "两委会议商议修缮方案和资金来源。",
            "修缮方案：混凝土衬砌1.2公里，预算12万元，使用村集体收入。",
        ),
    )
    w.record(
        ids["canal"],
        rules.REVIEW,
        w.meeting(rules.REVIEW, day(326), "党员大会审议修缮方案。", "同意将修缮方案提交村民代表会议表决。"),
    )
    w.record(
        ids["canal"],
        rules.RESOLVE,
        w.meeting(
            rules.RESOLVE,
            day(318),
            "村民代表会议讨论修缮方案。",
            "同意村东水渠修缮方案，预算12万元，由村民委员会组织实施，村务监督委员会全程监督资金使用。",
        ),
    )
    w.sign(ids["canal"], rules.RESOLVE, day(318))
    w.disclose(ids["canal"], day(317), day(315))
    w.complete(ids["canal"], day(307))
    service.record_implementation(
        clerk,
        ids["canal"],
        service.ImplementationInput(
            day(290), day(200), "完成村东水渠混凝土衬砌1.2公里，新建分水闸2座，已通过验收。", "118,650"
        ),
        today=today,
    )
    w.disclose(ids["canal"], day(195), day(193))
    w.complete(ids["canal"], day(185))
    w.sign(ids["canal"], rules.DISCLOSE_RESULT, day(184), "资金使用与公示一致。")

    # 2. Not adopted at step 4: the representatives vote a dividend plan down.
    w.record(
        ids["dividend"],
        rules.PROPOSE,
        w.meeting(rules.PROPOSE, day(278), "支委会研究分红方案。", "提议按每人300元分红。"),
    )
    w.record(
        ids["dividend"],
        rules.DISCUSS,
        w.meeting(rules.DISCUSS, day(274), "两委会议商议。", "分红方案：每人300元。"),
    )
    w.record(
        ids["dividend"],
        rules.REVIEW,
        w.meeting(rules.REVIEW, day(268), "党员大会审议。", "同意提交村民代表会议表决。"),
    )
    no = w.meeting(
        rules.RESOLVE, day(259), "多数代表认为应先提取公积公益金用于村内道路。", "按每人300元标准分红。"
    )
    present = sum(1 for p in no.participants if p.present)
    no = replace(no, for_=present // 3, against=present // 2, abstain=present - present // 3 - present // 2)
    w.record(ids["dividend"], rules.RESOLVE, no)
    service.end_not_adopted(
        clerk,
        ids["dividend"],
        day(258),
        "村民代表会议表决未通过，本年度不分红，收益转入公积公益金。",
        today=today,
    )

    # 3. Sent back at step 2, revised, resolved; its resolution now hangs on the board.
    w.record(
        ids["lamps"],
        rules.PROPOSE,
        w.meeting(rules.PROPOSE, day(118), "支委会研究路灯安装。", "提议安装太阳能路灯80盏。"),
    )
    w.record(
        ids["lamps"],
        rules.DISCUSS,
        w.meeting(
            rules.DISCUSS, day(112), "两委会议认为80盏预算过高。", "预算过高，暂不提交。", agreed=False
        ),
    )
    service.revise(
        clerk,
        ids["lamps"],
        day(110),
        "路灯数量减为60盏，优先覆盖学校和卫生室周边，预算9.6万元。",
        today=today,
    )
    w.record(
        ids["lamps"],
        rules.PROPOSE,
        w.meeting(
            rules.PROPOSE, day(100), "支委会研究修改后的方案。", "提议安装太阳能路灯60盏，预算9.6万元。"
        ),
    )
    w.record(
        ids["lamps"],
        rules.DISCUSS,
        w.meeting(
            rules.DISCUSS,
            day(100),
            "支委会后随即召开两委联席会议。",
            "同意安装60盏，申请一事一议财政奖补。",
            joint=True,
        ),
    )
    w.record(
        ids["lamps"],
        rules.REVIEW,
        w.meeting(rules.REVIEW, day(20), "党员大会审议路灯方案。", "同意提交表决。"),
    )
    w.record(
        ids["lamps"],
        rules.RESOLVE,
        w.meeting(
            rules.RESOLVE, day(10), "村民代表会议表决。", "同意在村内主干道安装太阳能路灯60盏，预算9.6万元。"
        ),
    )
    w.disclose(ids["lamps"], day(6), day(4))

    # 4. Resolved by a villagers' meeting; the work is done and its result awaits approval.
    w.record(
        ids["compensation"],
        rules.PROPOSE,
        w.meeting(
            rules.PROPOSE,
            day(228),
            "支委会研究补偿费分配。",
            "提议补偿费的80%分配给被征地农户，20%留作集体公积金。",
        ),
    )
    w.record(
        ids["compensation"],
        rules.DISCUSS,
        w.meeting(
            rules.DISCUSS, day(224), "两委会议商议分配比例。", "被征地农户按面积分配80%，集体留存20%。"
        ),
    )
    w.record(
        ids["compensation"],
        rules.REVIEW,
        w.meeting(rules.REVIEW, day(219), "党员大会审议。", "同意提交村民会议表决。"),
    )
    adults, households = service.villagers_meeting_base(clerk, day(205))
    present = adults * 3 // 5
    w.record(
        ids["compensation"],
        rules.RESOLVE,
        StepInput(
            day(205),
            "村小学操场",
            SECRETARY_NAME,
            RECORDER,
            body=rules.VILLAGERS,
            observers=w.watcher,
            adults_present=present,
            households_present=households * 3 // 4,
            for_=present * 4 // 5,
            against=present // 10,
            abstain=present // 20,
            notified_on=day(217),
            summary="村民会议讨论补偿费分配方案，与会村民逐项发表意见。",
            text="同意征地补偿费86万元的80%按被征地面积分配给被征地农户，20%留作村集体公积金。",
        ),
    )
    notice_id = w.disclose(ids["compensation"], day(204), day(203))
    w.objections += 1
    objection = notices.record_objection(
        clerk, notice_id, "李长顺", "我家被征面积应为1.3亩，名单中为1.1亩。", day(200), today=today
    )
    notices.update_objection(
        clerk,
        objection.id,
        "村务监督委员会会同测量人员复核。",
        "经复核，被征面积为1.3亩，分配时按1.3亩计算。",
        day(198),
        today=today,
    )
    w.complete(ids["compensation"], day(195))
    service.record_implementation(
        clerk,
        ids["compensation"],
        service.ImplementationInput(
            day(190), day(40), "已向47户被征地农户发放补偿款68.8万元，集体公积金17.2万元入账。", "860,000"
        ),
        today=today,
    )
    w.disclose(ids["compensation"], day(1), None, approve=False)  # drafted, awaiting the secretary

    # 5. Waiting at step 4 for a month: stalled, with a concern of the supervisory committee.
    w.record(
        ids["lease"],
        rules.PROPOSE,
        w.meeting(rules.PROPOSE, day(72), "支委会研究房屋出租。", "提议公开招租。"),
    )
    w.record(
        ids["lease"],
        rules.DISCUSS,
        w.meeting(rules.DISCUSS, day(68), "两委会议商议招租方式。", "公开竞价招租，底价每年1.2万元。"),
    )
    w.record(
        ids["lease"],
        rules.REVIEW,
        w.meeting(rules.REVIEW, day(60), "党员大会审议。", "同意提交村民代表会议表决。"),
    )
    row = service.get_decision(clerk, ids["lease"], today).current(rules.REVIEW)
    assert row is not None
    service.raise_concern(w.supervisor, row.id, "党员大会记录未附签到表，请补充。", day(58), today=today)

    # 6. Passed at step 4, waiting for its disclosure.
    w.record(
        ids["cleaners"],
        rules.PROPOSE,
        w.meeting(rules.PROPOSE, day(43), "支委会研究。", "提议聘请保洁员4名。"),
    )
    w.record(
        ids["cleaners"],
        rules.DISCUSS,
        w.meeting(rules.DISCUSS, day(40), "两委会议商议。", "每人每月1200元。"),
    )
    w.record(
        ids["cleaners"], rules.REVIEW, w.meeting(rules.REVIEW, day(30), "党员大会审议。", "同意提交表决。")
    )
    w.record(
        ids["cleaners"],
        rules.RESOLVE,
        w.meeting(
            rules.RESOLVE,
            day(3),
            "村民代表会议表决。",
            "同意聘请保洁员4名，每人每月误工补贴1200元，聘期一年。",
        ),
    )

    # 7 and 8. Recent matters at steps 2 and 3.
    w.record(
        ids["orchard"],
        rules.PROPOSE,
        w.meeting(rules.PROPOSE, day(12), "支委会研究果园发包。", "提议公开发包，期限五年。"),
    )
    w.record(
        ids["orchard"],
        rules.DISCUSS,
        w.meeting(rules.DISCUSS, day(8), "两委会议商议发包方式。", "公开竞价发包，期限五年。"),
    )
    w.record(
        ids["homestead"],
        rules.PROPOSE,
        w.meeting(rules.PROPOSE, day(5), "支委会研究宅基地方案。", "提议在五组统一规划9处宅基地。"),
    )

    # 9. Just opened.

    # 10. Step 4 held by the council (its finalised record), the resolution disclosed, the work to come.
    if pond is not None:
        key, held = ids["pond"], pond.date
        w.record(
            key,
            rules.PROPOSE,
            w.meeting(
                rules.PROPOSE, held - timedelta(days=18), "支委会研究鱼塘发包。", "提议公开竞价重新发包。"
            ),
        )
        w.record(
            key,
            rules.DISCUSS,
            w.meeting(
                rules.DISCUSS,
                held - timedelta(days=14),
                "两委会议商议发包方案。",
                "底价每年8000元，承包期五年，交村民议事会议定。",
            ),
        )
        w.record(
            key,
            rules.REVIEW,
            w.meeting(rules.REVIEW, held - timedelta(days=7), "党员大会审议。", "同意交村民议事会表决。"),
        )
        w.record(
            key,
            rules.RESOLVE,
            StepInput(held, body=rules.COUNCIL, agenda_item_id=pond.item_id, observers=w.watcher),
        )
        w.sign(key, rules.RESOLVE, held + timedelta(days=1), "议事会会议记录已签字定稿。")
        if held + timedelta(days=12) <= today:
            w.disclose(key, held + timedelta(days=1), held + timedelta(days=2))
            w.complete(key, held + timedelta(days=12))

    rows = service.list_decisions(clerk, today=today)
    return DemoDecisions(len(rows), w.steps, dict(Counter(r.state for r in rows)), w.notices, w.objections)
