"""A realistic, fictitious demo village (青石村, 柳溪镇, 安平县), written through the services only.

Everything the demo writes goes through the same services and audit trail as a clerk's work,
so `villagegov check` is clean afterwards and the demo exercises the real code paths.
The data is drawn from a seeded random.Random: the same `today` and seed give the same village.
Later rooms add their own `_demo_…` step to `fill_demo`.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

import peewee

from villagegov.accounts import service as accounts
from villagegov.accounts.rules import role_label
from villagegov.ceremonies.demo_data import add_demo_ceremonies
from villagegov.core.actor import CLERK, SECRETARY, SUPERVISOR, Actor
from villagegov.core.db import bind, database, transaction, translated_errors
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_, _, ngettext
from villagegov.core.privacy import make_id_number
from villagegov.council.demo_data import add_demo_council
from villagegov.decisions.demo_data import add_demo_decisions
from villagegov.notices.demo_data import add_demo_notices
from villagegov.petitions.demo_data import add_demo_petitions
from villagegov.roster import service as roster
from villagegov.roster.models import Village
from villagegov.roster.rules import FEMALE, MALE, VillagerInput

SEED = 20240101
VILLAGE, TOWNSHIP, COUNTY = "青石村", "柳溪镇", "安平县"
PASSWORD = "demo1234"
USERS = (  # username, display name, role; the first one sets the village up
    ("wenshu", "李文书", CLERK),
    ("shuji", "王建国", SECRETARY),
    ("jianwei", "陈淑芬", SUPERVISOR),
)
# "41" is a real province prefix, "99" no real prefecture: the numbers are valid in form only.
DEMO_AREA = "419901"
TERM_START, TERM_END = date(2024, 1, 1), date(2028, 12, 31)
HOUSEHOLDS_PER_REPRESENTATIVE = 12  # the law allows one per 5–15 households
PARTY_SHARE = 0.08

GROUP_NAMES = ("第一村民小组", "第二村民小组", "第三村民小组", "第四村民小组", "第五村民小组", "第六村民小组")
GROUP_SHORT = ("一组", "二组", "三组", "四组", "五组", "六组")
GROUP_HOUSEHOLDS = (72, 64, 68, 61, 70, 65)  # 400 in all
# A hamlet is mostly one or two clans: the main surnames of each group, most common first.
GROUP_SURNAMES = (
    ("王", "李", "张"),
    ("李", "刘", "王"),
    ("张", "赵", "杨"),
    ("陈", "周", "黄"),
    ("刘", "孙", "吴"),
    ("赵", "马", "郭"),
)
CLAN_WEIGHTS = (55, 20, 10)  # the rest (15) from anywhere
COMMON_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
    "薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
# Given names follow the fashion of the years people were born in.
GIVEN_NAMES: tuple[tuple[int, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        1950,
        ("德福", "长顺", "有才", "福贵", "树林", "文山", "庆余", "宝山", "永福", "金山", "茂林", "长海"),
        ("秀英", "桂兰", "玉兰", "凤英", "秀兰", "桂英", "淑珍", "翠花", "玉珍", "素芬", "桂芝", "月英"),
    ),
    (
        1970,
        ("建国", "国强", "建华", "卫国", "建军", "志刚", "国庆", "振华", "卫东", "学军", "建民", "永强"),
        ("秀芳", "桂香", "红英", "淑华", "丽华", "玉芳", "秀梅", "美英", "春兰", "金凤", "玉霞", "彩霞"),
    ),
    (
        1990,
        ("志强", "海波", "伟", "勇", "军", "磊", "斌", "涛", "建平", "小龙", "海涛", "立新", "晓东"),
        ("丽", "红梅", "艳", "霞", "敏", "春燕", "海燕", "小红", "丽娟", "艳红", "晓燕", "芳", "娟"),
    ),
    (
        2005,
        ("浩", "鹏", "杰", "宇", "超", "俊杰", "家豪", "子豪", "志远", "博文", "晨阳", "文涛", "鑫", "凯"),
        ("婷", "静", "雪", "倩", "颖", "佳怡", "欣怡", "梦琪", "思雨", "雨婷", "晓雪", "丹", "蕾", "璐"),
    ),
    (
        9999,
        ("浩然", "宇轩", "子轩", "梓豪", "一鸣", "俊熙", "沐阳", "睿", "浩宇", "天佑", "子墨", "铭轩"),
        ("梓涵", "一诺", "欣妍", "可馨", "语桐", "子涵", "诗琪", "若曦", "雨涵", "紫萱", "思涵", "依诺"),
    ),
)
MOBILE_PREFIXES = ("134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159",
                   "182", "187", "188", "130", "131", "132", "155", "156", "185", "186", "133", "153",
                   "180", "189", "177", "199")  # fmt: skip


@dataclass
class DemoSummary:
    village: str
    groups: int
    households: int
    villagers: int
    representatives: int
    women_representatives: int
    party_members: int
    users: tuple[str, ...]
    seconds: float
    notices: int = 0
    objections: int = 0
    decisions: int = 0
    meetings: int = 0
    resolutions: int = 0
    ceremonies: int = 0
    petitions: int = 0
    reopened: int = 0
    overdue: int = 0
    mediations: int = 0

    def describe(self) -> str:
        """The summary the CLI prints: every word in the user's language, each count in its plural."""
        counts = {
            "groups": (ngettext("{n} villager group", "{n} villager groups", self.groups), self.groups),
            "households": (ngettext("{n} household", "{n} households", self.households), self.households),
            "villagers": (ngettext("{n} villager", "{n} villagers", self.villagers), self.villagers),
            "representatives": (
                ngettext(
                    "{n} villagers' representative", "{n} villagers' representatives", self.representatives
                ),
                self.representatives,
            ),
            "women": (
                ngettext("{n} of them a woman", "{n} of them women", self.women_representatives),
                self.women_representatives,
            ),
            "party": (
                ngettext("{n} party member", "{n} party members", self.party_members),
                self.party_members,
            ),
        }
        parts = {key: text.format(n=n) for key, (text, n) in counts.items()}
        # A user name is typed as it is; its role says in words who signs in with it.
        roles = {username: role for username, _display, role in USERS}
        users = " / ".join(
            _("{user} ({role})").format(user=u, role=role_label(roles[u])) if u in roles else u
            for u in self.users
        )
        village = _(
            "Demo village {village}: {groups}, {households}, {villagers}, {representatives} ({women}), "
            "{party}. Sign in as {users} with the password {password}."
        ).format(village=self.village, users=users, password=PASSWORD, **parts)
        records = _("Records: {notices} with {objections}.").format(
            notices=ngettext("{n} public notice", "{n} public notices", self.notices).format(n=self.notices),
            objections=ngettext("{n} objection", "{n} objections", self.objections).format(n=self.objections),
        )
        council = _("Villagers' council: {meetings} and {resolutions}.").format(
            meetings=ngettext("{n} meeting", "{n} meetings", self.meetings).format(n=self.meetings),
            resolutions=ngettext("{n} resolution", "{n} resolutions", self.resolutions).format(
                n=self.resolutions
            ),
        )
        lines = [village, records, council]
        if self.decisions:
            n = self.decisions
            matters = ngettext("{n} major matter", "{n} major matters", n).format(n=n)
            lines.append(_("Four deliberations, two disclosures: {matters}.").format(matters=matters))
        if self.ceremonies:
            lines.append(
                ngettext(
                    "{n} wedding, funeral or family banquet reported.",
                    "{n} weddings, funerals and family banquets reported.",
                    self.ceremonies,
                ).format(n=self.ceremonies)
            )
        petitions = _("Villagers' ledgers: {petitions} ({reopened}, {overdue}); {mediations}.").format(
            petitions=ngettext("{n} petition", "{n} petitions", self.petitions).format(n=self.petitions),
            reopened=ngettext("{n} reopened", "{n} reopened", self.reopened).format(n=self.reopened),
            overdue=ngettext("{n} overdue", "{n} overdue", self.overdue).format(n=self.overdue),
            mediations=ngettext("{n} dispute mediated", "{n} disputes mediated", self.mediations).format(
                n=self.mediations
            ),
        )
        lines.append(petitions)
        return "\n".join(lines)


# --- the plan: people drawn at random, before anything is written ----------------------------


@dataclass
class _Person:
    name: str
    gender: str
    born: date
    relation: str
    id_number: str = ""
    phone: str = ""
    party_member: bool = False
    representative: bool = False


@dataclass
class _Household:
    group: int  # index into GROUP_NAMES
    number: str
    address: str
    members: list[_Person] = field(default_factory=list)


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class _Drawer:
    """Draws plausible people; keeps ID numbers and mobile numbers unique."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.ids: set[str] = set()
        self.phones: set[str] = set()

    def born(self, age: int) -> date:
        """A birthday giving this age today: up to 364 days before the age-th anniversary."""
        year = self.today.year - age
        day = min(self.today.day, 28) if self.today.month == 2 else self.today.day  # no 29 February
        return date(year, self.today.month, day) - timedelta(days=self.rng.randint(0, 364))

    def surname(self, group: int) -> str:
        rng = self.rng
        clans = GROUP_SURNAMES[group]
        pick = rng.choices((*clans, ""), weights=(*CLAN_WEIGHTS, 100 - sum(CLAN_WEIGHTS)))[0]
        return pick or rng.choice(COMMON_SURNAMES)

    def outsider_surname(self, not_this: str) -> str:
        """A spouse who married in: any common surname, rarely the same clan."""
        while True:
            pick = self.rng.choice(COMMON_SURNAMES)
            if pick != not_this or self.rng.random() < 0.05:
                return pick

    def given(self, gender: str, born: date) -> str:
        for until, male, female in GIVEN_NAMES:
            if born.year < until:
                return self.rng.choice(male if gender == MALE else female)
        raise AssertionError(born)

    def person(self, household: _Household, surname: str, gender: str, age: int, relation: str) -> _Person:
        born = self.born(max(age, 0))
        taken = {m.name for m in household.members}
        name = surname + self.given(gender, born)
        for _attempt in range(20):
            if name not in taken:
                break
            name = surname + self.given(gender, born)
        else:
            name += "二"
        person = _Person(name, gender, born, relation)
        person.id_number = self._id_number(born, gender)
        person.phone = self._phone(_age(born, self.today))
        household.members.append(person)
        return person

    def _id_number(self, born: date, gender: str) -> str:
        while True:
            seq = self.rng.randrange(1, 999)
            if (seq % 2 == 1) != (gender == MALE):  # odd for men, even for women
                seq += 1
            number = make_id_number(DEMO_AREA, born, seq)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def _phone(self, age: int) -> str:
        chance = 0.0 if age < 16 else 0.4 if age < 18 else 0.93 if age <= 70 else 0.55 if age <= 80 else 0.15
        if self.rng.random() >= chance:
            return ""
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number


def _children(d: _Drawer, hh: _Household, surname: str, mother_age: int, count: int, relation: str) -> None:
    """Children (or grandchildren) of a mother of this age, born when she was 22 to 36."""
    latest = max(22, min(36, mother_age))  # a young mother's children are small, not unborn
    ages = sorted({mother_age - d.rng.randint(22, latest) for _ in range(count)}, reverse=True)
    for age in ages:
        if age >= 0:
            d.person(hh, surname, d.rng.choice((MALE, FEMALE)), age, relation)


def _fill_household(d: _Drawer, hh: _Household) -> None:
    rng = d.rng
    kind = rng.choices(
        ("single_elder", "elder_couple", "nuclear", "three_generations", "young_with_parents"),
        weights=(11, 12, 34, 29, 14),
    )[0]
    clan = d.surname(hh.group)
    if kind == "single_elder":
        # Mostly widows, who keep the surname they were born with.
        if rng.random() < 0.6:
            d.person(hh, d.outsider_surname(clan), FEMALE, rng.randint(68, 92), "head")
        else:
            d.person(hh, clan, MALE, rng.randint(66, 88), "head")
        return
    head_age = {
        "elder_couple": rng.randint(62, 84),
        "nuclear": rng.randint(28, 55),
        "three_generations": rng.randint(50, 68),
        "young_with_parents": rng.randint(30, 45),
    }[kind]
    female_head = kind in ("nuclear", "three_generations") and rng.random() < 0.06  # widowed or alone
    if female_head:
        d.person(hh, d.outsider_surname(clan), FEMALE, head_age, "head")
        wife_age = head_age
    else:
        d.person(hh, clan, MALE, head_age, "head")
        wife_age = max(head_age - rng.choice((0, 1, 2, 2, 3, 4, 5)), 20)
        d.person(hh, d.outsider_surname(clan), FEMALE, wife_age, "spouse")
    if kind == "nuclear":
        _children(d, hh, clan, wife_age, rng.choices((1, 2, 3), weights=(45, 45, 10))[0], "child")
    elif kind == "three_generations":
        son_age = wife_age - rng.randint(23, 30)
        if son_age >= 22:
            d.person(hh, clan, MALE, son_age, "child")
            daughter_in_law_age = max(son_age - rng.randint(0, 4), 20)
            d.person(hh, d.outsider_surname(clan), FEMALE, daughter_in_law_age, "child_in_law")
            _children(
                d, hh, clan, daughter_in_law_age, rng.choices((1, 2), weights=(50, 50))[0], "grandchild"
            )
        if rng.random() < 0.2:  # a younger child not yet married
            d.person(hh, clan, rng.choice((MALE, FEMALE)), max(wife_age - rng.randint(30, 34), 16), "child")
        if head_age <= 64 and rng.random() < 0.2:
            d.person(hh, d.outsider_surname(clan), FEMALE, min(head_age + rng.randint(22, 30), 94), "parent")
    elif kind == "young_with_parents":
        _children(d, hh, clan, wife_age, rng.choices((1, 2), weights=(50, 50))[0], "child")
        father_age = head_age + rng.randint(23, 32)
        if father_age <= 88 and rng.random() < 0.7:
            d.person(hh, clan, MALE, father_age, "parent")
        d.person(hh, d.outsider_surname(clan), FEMALE, min(father_age - rng.randint(0, 4), 92), "parent")


def _choose_party_members(rng: random.Random, people: list[_Person], today: date) -> None:
    """About 8% of villagers; in a village branch mostly older men, and some women."""

    def weight(p: _Person) -> float:
        age = _age(p.born, today)
        if age < 18:
            return 0.0
        if p.gender == MALE:
            return 10.0 if age >= 50 else 5.0 if age >= 35 else 2.0
        return 2.5 if age >= 40 else 1.5

    wanted = round(PARTY_SHARE * len(people))
    # Weighted sampling without replacement (Efraimidis–Spirakis): deterministic for the seed.
    keyed = [(rng.random() ** (1.0 / w), i) for i, p in enumerate(people) if (w := weight(p)) > 0]
    for _key, i in sorted(keyed, reverse=True)[:wanted]:
        people[i].party_member = True


def _choose_representatives(rng: random.Random, households: list[_Household]) -> None:
    """One per about 12 households of a group, two in five of them women."""
    count = 0
    for group in range(len(GROUP_NAMES)):
        mine = [h for h in households if h.group == group]
        seats = max(1, round(len(mine) / HOUSEHOLDS_PER_REPRESENTATIVE))
        for seat in range(seats):
            block = mine[seat * len(mine) // seats : (seat + 1) * len(mine) // seats]
            want = FEMALE if count % 5 in (1, 3) else MALE
            adults = [p for h in block for p in h.members if 28 <= _age(p.born, TERM_START) <= 66]
            pool = [p for p in adults if p.gender == want] or adults
            if pool:
                rng.choice(pool).representative = True
                count += 1


def _plan_roster(rng: random.Random, today: date) -> list[_Household]:
    drawer = _Drawer(rng, today)
    households: list[_Household] = []
    for group, count in enumerate(GROUP_HOUSEHOLDS):
        for n in range(1, count + 1):
            hh = _Household(group, f"{group + 1:02d}-{n:03d}", f"{VILLAGE}{GROUP_SHORT[group]}{n}号")
            _fill_household(drawer, hh)
            households.append(hh)
    people = [p for h in households for p in h.members]
    _choose_party_members(rng, people, today)
    _choose_representatives(rng, households)
    return households


# --- writing it through the services ---------------------------------------------------------


def _demo_accounts() -> Actor:
    username, display, role = USERS[0]
    clerk = accounts.set_up(VILLAGE, TOWNSHIP, COUNTY, username, display, PASSWORD, PASSWORD, role=role)
    for username, display, role in USERS[1:]:
        accounts.create_user(clerk, username, display, role, PASSWORD, PASSWORD)
    return clerk


def _demo_roster(clerk: Actor, rng: random.Random, today: date) -> list[_Household]:
    plan = _plan_roster(rng, today)
    group_ids = [roster.add_group(clerk, name).id for name in GROUP_NAMES]
    for hh in plan:
        household_id = roster.add_household(clerk, group_ids[hh.group], hh.number, hh.address)
        for p in hh.members:
            roster.add_villager(
                clerk,
                VillagerInput(
                    name=p.name, household_id=household_id, relation=p.relation, gender=p.gender,
                    birth_date=p.born, id_number=p.id_number, phone=p.phone, party_member=p.party_member,
                    representative=p.representative,
                    representative_term_start=TERM_START if p.representative else None,
                    representative_term_end=TERM_END if p.representative else None,
                ),
                today,
            )  # fmt: skip
    return plan


def fill_demo(db: peewee.Database | None, today: date, seed: int = SEED) -> DemoSummary:
    """Fill an EMPTY database with the demo village; refuse one that already has a village.

    All in one transaction (each service's own transaction becomes a savepoint inside it): one
    durable commit instead of thousands, and a failure half-way leaves the database empty.
    """
    if db is not None and database.obj is not db:
        bind(db)
    started = time.perf_counter()
    with translated_errors():
        if Village.select().exists():
            raise VillagegovError(
                N_("The demo village goes only into an empty database; this one already has a village.")
            )
        rng = random.Random(seed)
        with transaction():
            clerk = _demo_accounts()
            plan = _demo_roster(clerk, rng, today)
            assert clerk.village_id is not None
            notices = add_demo_notices(clerk.village_id, today, clerk, rng)
            council = add_demo_council(clerk.village_id, today, clerk, rng)
            decisions = add_demo_decisions(clerk.village_id, today, clerk, rng)
            ceremonies = add_demo_ceremonies(clerk.village_id, today, clerk, rng)
            petitions = add_demo_petitions(clerk.village_id, today, clerk, rng)
    people = [p for h in plan for p in h.members]
    reps = [p for p in people if p.representative]
    return DemoSummary(
        village=VILLAGE,
        groups=len(GROUP_NAMES),
        households=len(plan),
        villagers=len(people),
        representatives=len(reps),
        women_representatives=sum(p.gender == FEMALE for p in reps),
        party_members=sum(p.party_member for p in people),
        users=tuple(u for u, _d, _r in USERS),
        seconds=time.perf_counter() - started,
        notices=notices.notices + decisions.notices,
        objections=notices.objections + decisions.objections,
        meetings=council.meetings,
        resolutions=council.resolutions,
        decisions=decisions.decisions,
        ceremonies=ceremonies.ceremonies,
        petitions=petitions.petitions,
        reopened=petitions.reopened,
        overdue=petitions.overdue,
        mediations=petitions.mediations,
    )
