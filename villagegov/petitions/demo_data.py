"""A year of 民情三本账 and 矛盾纠纷调处 for the demo village, written through the services only.

`add_demo_petitions` is called by demo.fill_demo after the roster (and the notices, whose settings
hold the working-day calendar) are in place. Every ledger and every step appears: petitions closed
on time and late, some reopened after a dissatisfied answer, anonymous complaints, and open ones
at each step — a few stalled past their deadlines, a few due in the coming days. Disputes end in
each outcome (agreements with their follow-up visits, no agreement, referred on), and two are
still being mediated, one of them past its month (mediation_demo_data.py).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from villagegov.accounts import service as accounts
from villagegov.core.actor import SECRETARY, Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_
from villagegov.notices import service as notices
from villagegov.petitions import petition_rules as rules
from villagegov.petitions import petition_service, service
from villagegov.petitions.mediation_demo_data import add_demo_mediations
from villagegov.petitions.petition_records import PetitionDetail
from villagegov.roster import service as roster
from villagegov.roster.service import VillagerRow


@dataclass(frozen=True)
class DemoPetitions:
    petitions: int
    closed: int
    reopened: int
    overdue: int
    mediations: int
    agreements: int


SUGGESTIONS = (
    (
        "建议在村小学门口设置减速带",
        "村小学门口过往车辆多、车速快，学生上下学不安全，建议设置减速带和警示牌。",
    ),
    ("建议增设垃圾分类投放点", "三组、四组之间只有一个垃圾投放点，距离较远，建议增设一处并标明分类。"),
    ("建议文化广场增加健身器材", "晚上到广场锻炼的村民多，现有器材老旧，建议增加几件健身器材。"),
    ("建议组织果树修剪技术培训", "今年柑橘挂果少，村民希望请镇农技站来村里讲一次修剪和病虫害防治。"),
    ("建议村卫生室延长开诊时间", "外出务工人员晚上回村看病不便，建议卫生室每周两天开到晚上七点。"),
    ("建议在河边加装防护栏", "河堤一段没有护栏，小孩常在附近玩耍，存在安全隐患。"),
    ("建议公开村集体经济收益分配方案", "希望村里把今年合作社收益怎么分配早点公示，让大家心里有数。"),
    ("建议修缮村史馆", "村史馆屋顶漏雨，老照片受潮，建议修缮并增加展柜。"),
    ("建议开设老年人助餐点", "村里留守老人多，建议利用闲置村小开设助餐点。"),
)
CLAIMS = (
    ("申请修缮门前排水沟", "雨季门前排水沟堵塞，雨水倒灌进院子，请求村里协调疏通修缮。"),
    ("土地流转租金未按时发放", "本户流转给合作社的4亩耕地，今年租金至今未发放，请求协调。"),
    ("申请危房改造补助", "家中老房墙体开裂，属C级危房，申请纳入危房改造。"),
    ("灌溉用水不足", "五组东片农田灌渠年久失修，灌溉用水不足，影响秋播。"),
    ("宅基地审批进度咨询", "今年三月提交宅基地申请，至今未有答复，请求告知审批进度。"),
    ("申请临时救助", "家人住院花费较大，生活困难，申请临时救助。"),
    ("自来水水压低", "二组地势较高的几户自来水水压低，早晚几乎无水。"),
    ("道路硬化后门口积水", "村道硬化后路面高于院门，下雨积水进院，请求处理。"),
    ("申请更正承包地面积", "确权证上承包地面积比实际少0.8亩，请求核实更正。"),
    ("残疾人补贴未到账", "本人二级肢体残疾，今年下半年残疾人补贴未到账。"),
)
COMPLAINTS = (
    ("反映有人在河道倾倒建筑垃圾", "近期有车辆夜间在村东河道倾倒建筑垃圾，影响行洪。"),
    ("反映养殖场异味扰民", "村北养猪场粪污处理不到位，夏季异味大，影响周边住户。"),
    ("举报违规占用耕地建房", "六组有农户在承包耕地上建房，未见审批手续。"),
    ("反映工程施工噪音扰民", "村道施工队晚上十点后仍在作业，噪音大。"),
    ("投诉保洁员未按时清运垃圾", "一组垃圾池三天未清运，苍蝇多、气味大。"),
    ("反映村道路灯长期不亮", "从村委会到三组的路灯有七盏不亮，晚上出行不便。"),
)
ASSIGNEES = (
    "村委会委员张明", "村委会委员刘芳", "第三村民小组组长赵刚", "村会计孙丽", "镇农业农村办",
    "镇自然资源所", "村妇联主席周红", "村水管员吴勇",
)  # fmt: skip
RESULTS = {
    rules.SUGGESTION: (
        "建议已采纳，相关事项已落实。", "已列入村年度工作计划，明年春季实施。",
        "已研究，暂不具备条件，已向村民说明。",
    ),
    rules.CLAIM: ("已协调解决，村民诉求已落实。", "已会同镇有关部门办理完毕。", "经核实，已按政策办理。"),
    rules.COMPLAINT: (
        "经现场核查属实，已责令整改到位。", "已报镇综合执法队依法处理。", "经核查，已督促责任人整改。",
    ),
}  # fmt: skip
CHANNEL_WEIGHTS = (
    (rules.VISIT, 40), (rules.PHONE, 20), (rules.LIAISON, 15), (rules.ONLINE, 8), (rules.LETTER, 5),
    (rules.MEETING, 12),
)  # fmt: skip


def _secretary(clerk: Actor, village_id: int) -> Actor:
    for user in accounts.list_users(clerk):
        if user.role == SECRETARY and user.active:
            return Actor(user.id, user.username, user.display_name, user.role, village_id)
    raise VillagegovError(N_("The demo petitions need a secretary to review them; add one first."))


class _Steps:
    """Carries one petition through its steps on working days, never past `today`."""

    def __init__(self, clerk: Actor, secretary: Actor, today: date, rng: random.Random) -> None:
        self.clerk, self.secretary, self.today, self.rng = clerk, secretary, today, rng
        self.calendar = notices.working_calendar(clerk)

    def after(self, day: date, working_days: int) -> date:
        return rules.deadline(day, working_days, 0, self.calendar).due_on

    def late(self) -> bool:
        return self.rng.random() < 0.08

    def record(self, petition: PetitionDetail, step: str, on: date, **fields: str) -> bool:
        """Record `step` on day `on`; False (nothing written) when that day has not come yet."""
        if on > self.today:
            return False
        actor = self.secretary if step in rules.SECRETARY_STEPS else self.clerk
        data = rules.StepInput(step, on, **fields)
        now = datetime.combine(on, time(9 + self.rng.randrange(8), self.rng.randrange(60)))
        petition_service.record_step(actor, petition.id, data, today=self.today, now=now)
        return True


def add_demo_petitions(village_id: int, today: date, actor: Actor, rng: random.Random) -> DemoPetitions:
    """Fill the demo village with a year of petitions and disputes up to `today` (inside the caller's
    transaction)."""
    clerk = actor
    secretary = _secretary(clerk, village_id)
    service.update_settings(secretary, service.Settings(committee_name=""))
    w = _Steps(clerk, secretary, today, rng)
    villagers = [v for v in roster.list_villagers(clerk) if 25 <= today.year - v.birth_date.year <= 80]
    start = today - timedelta(days=364)
    channels = [c for c, _w in CHANNEL_WEIGHTS]
    weights = [wt for _c, wt in CHANNEL_WEIGHTS]
    plan: list[tuple[str, tuple[str, str]]] = (
        [(rules.SUGGESTION, s) for s in SUGGESTIONS] * 2
        + [(rules.CLAIM, c) for c in CLAIMS] * 2
        + [(rules.COMPLAINT, c) for c in COMPLAINTS] * 2
    )
    rng.shuffle(plan)
    count = len(plan)
    stalled = set(rng.sample(range(count // 2, count - 6), 5))  # stuck past a deadline
    closed = reopened = 0
    for index, (ledger, (subject, content)) in enumerate(plan):
        # Spread over the year, the last few in the past week (early steps, due soon).
        offset = (index * 364) // count + rng.randrange(0, 4)
        received = min(start + timedelta(days=offset), today)
        anonymous = ledger == rules.COMPLAINT and rng.random() < 0.25
        person: VillagerRow = rng.choice(villagers)
        departments = ledger == rules.CLAIM and rng.random() < 0.3
        data = rules.PetitionInput(
            ledger=ledger, channel=rng.choices(channels, weights)[0], received_on=received, subject=subject,
            content=content, villager_id=None if anonymous else person.id, anonymous=anonymous,
            contact="" if anonymous else person.phone, departments=departments,
        )  # fmt: skip
        registered = w.after(received, 1) if rng.random() < 0.2 else received
        registered = min(registered, today)
        petition = petition_service.create_petition(
            clerk, data, registered_on=registered, today=today,
            now=datetime.combine(registered, time(8 + rng.randrange(9), rng.randrange(60))),
        )  # fmt: skip
        stop_after = rng.choice(rules.STEPS[1:6]) if index in stalled else None
        outcome = _carry(w, petition, ledger, data.departments, registered, stop_after)
        closed += outcome == "closed"
        reopened += outcome == "reopened"
    count += _cover_every_step(w, villagers, today)
    overdue = len(
        petition_service.list_petitions(clerk, petition_service.PetitionFilter(overdue=True), today)
    )
    mediations, agreements = add_demo_mediations(clerk, villagers, start, today, rng)
    return DemoPetitions(count, closed, reopened, overdue, mediations, agreements)


def _cover_every_step(w: _Steps, villagers: list[VillagerRow], today: date) -> int:
    """One recent petition waiting at each step no open petition waits at yet, each step done a working
    day after the one before, so the clerk sees every step's button at work. Returns how many."""
    waiting = {
        r.next_step
        for r in petition_service.list_petitions(w.clerk, petition_service.PetitionFilter(state=rules.OPEN))
    }
    added = 0
    pool = (SUGGESTIONS, CLAIMS, COMPLAINTS)
    for index, step in enumerate(rules.STEPS[1:], start=1):
        if step in waiting:
            continue
        ledger = rules.LEDGERS[index % 3]
        subject, content = pool[index % 3][index % len(pool[index % 3])]
        # Go back as many working days as there are steps to take, so the last one falls today.
        received = today
        while rules.deadline(received, index - 1, 0, w.calendar).due_on > today:
            received -= timedelta(days=1)
        person = w.rng.choice(villagers)
        petition = petition_service.create_petition(
            w.clerk,
            rules.PetitionInput(ledger, rules.VISIT, received, subject, content, villager_id=person.id),
            registered_on=received, today=today, now=datetime.combine(received, time(9)),
        )  # fmt: skip
        day = received
        for before in rules.STEPS[1:index]:
            day = w.after(day, 1) if before != rules.REVIEW else day
            fields = {
                rules.REVIEW: {"note": "同意受理，抓紧落实。"},
                rules.ACKNOWLEDGE: {"note": "当面告知"},
                rules.ASSIGN: {"assignee": w.rng.choice(ASSIGNEES), "note": "请于时限内办结并反馈。"},
                rules.SUPERVISE: {"note": "已到现场查看，正在办理。", "done_by": "陈淑芬"},
                rules.FEEDBACK: {"note": w.rng.choice(RESULTS[ledger])},
                rules.CHECK: {"note": "办理结果属实，同意反馈。"},
                rules.CONSULT: {"satisfaction": rules.SATISFIED, "note": "电话回访，已告知办理结果。"},
            }[before]
            w.record(petition, before, min(day, today), **fields)
        added += 1
    return added


def _carry(
    w: _Steps,
    petition: PetitionDetail,
    ledger: str,
    departments: bool,
    registered: date,
    stop_after: str | None,
) -> str:
    """Walk the steps with realistic delays; returns "closed", "reopened" (and closed later or not) or
    "open"."""
    rng = w.rng
    reopened = False
    day = registered
    rounds = 0
    step = rules.REVIEW
    while True:
        if step == rules.REVIEW:
            day = w.after(day, 3 if w.late() else rng.randrange(0, 2))
            fields = {
                "note": rng.choice(("请村委会尽快核实办理。", "同意受理，抓紧落实。", "请相关人员限时办结。"))
            }
        elif step == rules.ACKNOWLEDGE:
            # Told within a working day of the review (the deadline counts 3 from receipt).
            day = w.after(day, 4 if w.late() else rng.randrange(0, 2))
            fields = {"note": rng.choice(("当面告知", "电话告知", "书面送达受理告知书"))}
            if petition.anonymous:
                fields = {"note": "匿名投诉，无需告知"}
        elif step == rules.ASSIGN:
            # Assigned the day the villager is told (due 1 working day after the review).
            day = w.after(day, 2 if w.late() else 0)
            fields = {"assignee": rng.choice(ASSIGNEES), "note": "请于时限内办结并反馈。"}
        elif step == rules.SUPERVISE:
            day = w.after(day, rng.randrange(3, 10))
            fields = {"note": rng.choice(("已到现场查看，正在办理。", "承办人已联系反映人，进展正常。")),
                      "done_by": "陈淑芬"}  # fmt: skip
        elif step == rules.FEEDBACK:
            limit = 30 if departments else 15
            day = max(day, w.after(day, limit + 3 if w.late() else rng.randrange(2, limit - 8)))
            fields = {"note": rng.choice(RESULTS[ledger])}
        elif step == rules.CHECK:
            day = w.after(day, rng.randrange(0, 2))
            fields = {"note": "办理结果属实，同意反馈。"}
        elif step == rules.CONSULT:
            day = w.after(day, 6 if w.late() else rng.randrange(1, 4))
            if petition.anonymous:
                answer = rules.NOT_ASKED
            elif rounds == 0 and rng.random() < 0.15:
                answer = rules.DISSATISFIED
            else:
                answer = rng.choices((rules.SATISFIED, rules.BASIC), (4, 1))[0]
            reply = rng.choice(("电话回访，已告知办理结果。", "入户回访，当面告知办理结果。"))
            if petition.anonymous:
                reply = "匿名投诉，办理结果已在村务公开栏公示。"
            fields = {"satisfaction": answer, "note": reply}
        else:  # close
            day = w.after(day, rng.randrange(0, 3))
            fields = {"note": "办结销号，资料归档。"}
        if not w.record(petition, step, day, **fields):
            return "reopened" if reopened else "open"
        if step == stop_after:
            return "open"
        if step == rules.CLOSE:
            return "reopened" if reopened else "closed"
        if step == rules.CONSULT and fields.get("satisfaction") == rules.DISSATISFIED:
            reopened, rounds = True, rounds + 1
            step = rules.ASSIGN
            continue
        step = rules.STEPS[rules.STEPS.index(step) + 1]
