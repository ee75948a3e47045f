"""A year of 红白事 for the demo village, written through the service only.

`add_demo_ceremonies` is called by demo.fill_demo after the roster is in place. It seats the ceremony
council, adopts the village's standard in January and revises it half a year ago (fewer tables, a
bride price cap), then reports the weddings, funerals and birthday banquets of the twelve months up
to `today` and of the month beyond it: every stage appears (reported, supervised, followed up,
closed, cancelled), whatever the day of the year (on 1 January as on 31 December, the demo has a year
of ceremonies behind it); some first plans are over the caps and come down on the council's advice, a
few families keep to theirs and are flagged on the day, and one school-admission banquet is reported
although the village forbids it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from villagegov.accounts import service as accounts
from villagegov.ceremonies import rules, service
from villagegov.ceremonies.rules import DEFAULT_STANDARD, FiguresInput, ReportInput
from villagegov.core.actor import SECRETARY, Actor
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_
from villagegov.roster import service as roster
from villagegov.roster.service import VillagerRow

PLACES = ("家中院内", "村文化礼堂", "村红白喜事服务点", "自家新房", "老宅院内")
ADVICE = (
    "按村规民约压缩桌数和每桌标准，婚车不超过规定数量。",
    "建议少摆几桌，菜品实惠即可，不比排场。",
    "请按标准控制规模，礼金按村规民约收取。",
)
REMARKS = ("家里说简办省心又省钱。", "亲友都很理解，没有攀比。", "", "建议理事会多备几套桌椅餐具。", "")
GROOM_GIVEN = ("浩", "鹏", "杰", "宇", "俊杰", "志远", "博文", "晨阳", "鑫", "凯")
BRIDE_GIVEN = ("丽", "婷", "雪", "静", "欣怡", "梦瑶", "佳慧", "晓燕", "雨涵", "思琪")
SURNAMES = "王李张刘陈杨赵黄周吴"


@dataclass(frozen=True)
class DemoCeremonies:
    ceremonies: int
    stages: dict[str, int]


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _secretary(clerk: Actor, village_id: int) -> Actor:
    for user in accounts.list_users(clerk):
        if user.role == SECRETARY and user.active:
            return Actor(user.id, user.username, user.display_name, user.role, village_id)
    raise VillagegovError(N_("The demo ceremonies need a secretary to adopt the standard; add one first."))


def _yuan(fen: int) -> str:
    return rules.fen_to_yuan(fen)


class _Writer:
    def __init__(self, clerk: Actor, today: date, rng: random.Random, members: list[int]) -> None:
        self.clerk, self.today, self.rng, self.members = clerk, today, rng, members

    def plan(self, kind: str, over: bool, standard: rules.Standard) -> rules.Figures:
        """A family's first plan: within the caps of its day, or (over) above some of them."""
        caps = standard.caps_for(kind)
        rng = self.rng
        tables = rng.randint(max(4, (caps.tables or 20) - 8), caps.tables or 20)
        per_table = (caps.cost_per_table_fen or 500_00) - rng.choice((0, 0, 20_00, 50_00, 100_00))
        vehicles = rng.randint(2, caps.vehicles or 6) if kind == rules.WEDDING else None
        days = rng.randint(1, caps.days or 1)
        bride = rng.choice((30_000_00, 38_000_00, 50_000_00)) if kind == rules.WEDDING else None
        if over:
            tables += rng.randint(3, 12)
            per_table += rng.choice((0, 80_00, 180_00))
            if vehicles is not None and rng.random() < 0.5:
                vehicles += rng.randint(2, 6)
            if bride is not None and rng.random() < 0.4:
                bride = rng.choice((68_000_00, 88_000_00))
        banquet = tables * per_table
        extra = {rules.WEDDING: 40_000_00, rules.FUNERAL: 8_000_00, rules.OTHER: 2_000_00}[kind]
        spending = (banquet + extra + (bride or 0) // 4) // 100_00 * 100_00
        return rules.Figures(
            tables=tables, cost_per_table_fen=per_table, gift_per_guest_fen=caps.gift_per_guest_fen,
            vehicles=vehicles, days=days, bride_price_fen=bride, paid_performers=over and rng.random() < 0.2,
            cremation=True if kind == rules.FUNERAL else None, spending_fen=spending,
        )  # fmt: skip

    def member_on(self, day: date) -> int:
        return self.rng.choice(self.members)


def _within(figures: rules.Figures, kind: str, standard: rules.Standard) -> rules.Figures:
    """The plan after the council's advice: brought down to the caps of its day."""
    caps = standard.caps_for(kind)

    def down(value: int | None, cap: int | None) -> int | None:
        return value if value is None or cap is None else min(value, cap)

    tables = down(figures.tables, caps.tables)
    per_table = down(figures.cost_per_table_fen, caps.cost_per_table_fen)
    assert tables is not None and per_table is not None and figures.tables and figures.cost_per_table_fen
    saved = figures.tables * figures.cost_per_table_fen - tables * per_table
    return replace(
        figures, tables=tables, cost_per_table_fen=per_table, vehicles=down(figures.vehicles, caps.vehicles),
        days=down(figures.days, caps.days),
        bride_price_fen=down(figures.bride_price_fen, caps.bride_price_fen),
        paid_performers=False, spending_fen=(figures.spending_fen or 0) - saved // 100_00 * 100_00,
    )  # fmt: skip


def _input(figures: rules.Figures) -> FiguresInput:
    return rules.figures_input(figures)


def demo_span(today: date) -> tuple[date, date, date, date]:
    """The demo's first and last ceremony days (the twelve months up to `today`, and a month beyond),
    and the days its two versions of the standard take effect: the January before the first ceremony,
    and the first of a month about half a year ago, so that each version judges ceremonies held
    whatever the day of the year."""
    start = today - timedelta(days=365)
    middle = today - timedelta(days=183)
    revised = date(middle.year + middle.month // 12, middle.month % 12 + 1, 1)
    return start, today + timedelta(days=30), date(start.year, 1, 1), revised


def add_demo_ceremonies(village_id: int, today: date, clerk: Actor, rng: random.Random) -> DemoCeremonies:
    """Fill the demo village with the ceremonies of the twelve months up to `today` and a month beyond."""
    rng = random.Random(rng.getrandbits(32))
    secretary = _secretary(clerk, village_id)
    year = today.year
    first_day, last, adopted_on, revised_on = demo_span(today)
    meeting = revised_on - timedelta(days=1)  # the month before it took effect
    people = roster.list_villagers(clerk)
    households = roster.list_households(clerk)

    # The council: five respected villagers, for a five-year term.
    elders = [p for p in people if 45 <= _age(p.birth_date, today) <= 70]
    rng.shuffle(elders)
    council = service.create_council(clerk, date(year - 2, 1, 1), date(year + 2, 12, 31))
    roles = (rules.CHAIR, rules.VICE_CHAIR, rules.MEMBER, rules.MEMBER, rules.MEMBER)
    chosen: list[VillagerRow] = []
    for person in elders:
        if len(chosen) == len(roles):
            break
        if all(p.household_id != person.household_id for p in chosen):
            chosen.append(person)
    seats = [
        service.add_member(clerk, council.id, person.id, role, date(year - 2, 1, 1)).id
        for person, role in zip(chosen, roles, strict=True)
    ]

    # The standard: adopted in January, revised half a year ago by the representatives' meeting.
    adopted = replace(
        DEFAULT_STANDARD, effective_from=adopted_on, basis=f"{adopted_on.year}年1月村民代表会议通过"
    )
    revised = replace(
        adopted, effective_from=revised_on, basis=f"{meeting.year}年{meeting.month}月村民代表会议修订",
        wedding=replace(adopted.wedding, tables=18, bride_price_fen=60_000_00),
        funeral=replace(adopted.funeral, tables=15, days=3),
    )  # fmt: skip
    service.set_standard(secretary, adopted)
    service.set_standard(secretary, revised)
    versions = [adopted, revised]

    writer = _Writer(clerk, today, rng, seats)
    heads = {h.id: h for h in households if h.head}
    by_household: dict[int, list[VillagerRow]] = {}
    for p in people:
        by_household.setdefault(p.household_id, []).append(p)
    day = first_day + timedelta(days=2)
    stages: dict[str, int] = {}
    count = 0
    school_banquet_done = False
    while day <= last:
        household = rng.choice(list(heads))
        members = by_household[household]
        kind = rng.choices((rules.WEDDING, rules.FUNERAL, rules.OTHER), (5, 3, 2))[0]
        occasion, age, subject = "", None, ""
        if kind == rules.WEDDING:
            young = [p for p in members if 20 <= _age(p.birth_date, day) <= 35]
            if young:
                p = rng.choice(young)
                partner = rng.choice(SURNAMES) + rng.choice(
                    BRIDE_GIVEN if p.gender == "male" else GROOM_GIVEN
                )
                subject = (
                    f"新郎{p.name}、新娘{partner}" if p.gender == "male" else f"新郎{partner}、新娘{p.name}"
                )
            else:
                subject = f"新郎{heads[household].head[0]}{rng.choice(GROOM_GIVEN)}"
        elif kind == rules.FUNERAL:
            old = [p for p in members if _age(p.birth_date, day) >= 70]
            subject = f"逝者{rng.choice(old).name}" if old else f"逝者{heads[household].head}之父"
        else:
            old = [p for p in members if _age(p.birth_date, day) >= 60]
            if not school_banquet_done and day.month >= 8:
                occasion, subject, school_banquet_done = rules.SCHOOL_ADMISSION, "子女考取大学", True
            elif old:
                p = rng.choice(old)
                occasion, age, subject = rules.BIRTHDAY, _age(p.birth_date, day) // 10 * 10, f"寿星{p.name}"
            else:
                occasion, subject = rules.FULL_MONTH, "孙辈满月"
        standard = rules.standard_on(versions, day)
        over = rng.random() < 0.35
        first = writer.plan(kind, over, standard)
        ahead = rng.randint(7, 12) if kind != rules.FUNERAL else rng.randint(1, 2)
        if kind == rules.WEDDING and count % 7 == 3:
            ahead = 3  # now and then a family reports late: fewer days ahead than the standard asks
        reported_on = min(day - timedelta(days=ahead), today)
        c = service.report(
            clerk,
            ReportInput(
                household_id=household, kind=kind, day=day, place=rng.choice(PLACES), plan=_input(first),
                occasion=occasion, celebrant_age=age, subject=subject, reported_on=reported_on,
            ),
            today=today,
        )  # fmt: skip
        count += 1
        plan = first
        stubborn = over and rng.random() < 0.3  # keeps to its plan despite the advice
        if over and reported_on + timedelta(days=1) <= min(today, day):
            advised_on = reported_on + timedelta(days=1)
            plan = first if stubborn else _within(first, kind, standard)
            service.record_advice(
                clerk, c.id, rng.choice(ADVICE), advised_on, writer.member_on(advised_on),
                None if stubborn else _input(plan), today=today,
            )  # fmt: skip
        signed_on = min(reported_on + timedelta(days=1), day, today)
        if signed_on >= reported_on and rng.random() < 0.9:
            service.sign_commitment(clerk, c.id, signed_on, today=today)
        if day <= today:
            actual = replace(plan, spending_fen=None)
            if rng.random() < 0.3:  # more guests came than planned
                actual = replace(actual, tables=(actual.tables or 0) + rng.randint(1, 3))
            service.supervise(clerk, c.id, writer.member_on(day), day, _input(actual), today=today)
            visit = day + timedelta(days=rng.randint(5, 10))
            if visit <= today:
                spent = int((plan.spending_fen or 0) * rng.uniform(0.85, 1.05)) // 100_00 * 100_00
                service.follow_up(
                    clerk, c.id, writer.member_on(visit), visit, _yuan(spent),
                    rng.choices(rules.SATISFACTIONS, (8, 2, 1 if stubborn else 0))[0], rng.choice(REMARKS),
                    today=today,
                )  # fmt: skip
                closed_on = visit + timedelta(days=rng.randint(0, 3))
                if closed_on <= today and rng.random() < 0.85:
                    service.close(clerk, c.id, closed_on, today=today)
        final = service.get_ceremony(clerk, c.id).stage
        stages[final] = stages.get(final, 0) + 1
        following = day + timedelta(days=rng.randint(6, 14))
        recent = today - timedelta(days=3)  # held, supervised, its visit still to come: on any day
        day = recent if day < recent < following else following
    # A wedding called off: the report stays, marked cancelled.
    off = today + timedelta(days=10)
    household = rng.choice(list(heads))
    plan = writer.plan(rules.WEDDING, False, rules.standard_on(versions, off))
    c = service.report(
        clerk, ReportInput(household, rules.WEDDING, off, rng.choice(PLACES), _input(plan),
                           reported_on=today),
        today=today,
    )  # fmt: skip
    service.cancel(clerk, c.id, "婚期推迟到明年，届时另行报备", today=today)
    stages[rules.CANCELLED] = stages.get(rules.CANCELLED, 0) + 1
    return DemoCeremonies(count + 1, stages)
