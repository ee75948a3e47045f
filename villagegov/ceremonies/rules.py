"""What the 红白理事会 room decides. Pure: no database, no Qt.

A ceremony (红事 wedding, 白事 funeral, or another family banquet) goes through three stages:

    reported ──supervise──▶ supervised ──follow_up──▶ followed_up ──close──▶ closed
       │
     cancel ──▶ cancelled

- report (事前报备): the family's first plan, judged against the village's standard (村规民约) in force
  on the ceremony's date. The council's advice may revise the plan; every version is kept, so the
  family's *first* plan stays on record. The family's commitment letter (承诺书) fixes the plan.
- supervise (事中监督): the council member on duty records what is seen on the day; deviations from
  the plan and breaches of the caps are computed, never typed.
- follow_up (事后回访): the family's actual spending, its satisfaction, remarks.
- close (结案): only after the follow-up.

Money is integer fen throughout (typed in yuan, parsed exactly with Decimal); a cap is met by a figure
equal to it ("不超过" includes the number) and broken by one fen, one table, one day more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from villagegov.accounts import rules as access
from villagegov.core.actions import FINAL, Allowed, Refusal, refuse
from villagegov.core.charts import BarChart, Series
from villagegov.core.errors import ValidationError
from villagegov.core.i18n import N_, _, current_language, format_money, ngettext
from villagegov.core.numbering import document_number

# --- names (GLOSSARY.md) --------------------------------------------------------------------------

WEDDING, FUNERAL, OTHER = "wedding", "funeral", "other"
KINDS = (WEDDING, FUNERAL, OTHER)
KIND_LABELS = {
    WEDDING: N_("Wedding"),  # 婚事（红事）
    FUNERAL: N_("Funeral"),  # 丧事（白事）
    OTHER: N_("Other family banquet"),  # 其他（寿宴、满月、升学、乔迁……）
}

# What an "other" ceremony celebrates; some of them the village forbids outright (DOMAIN.md).
BIRTHDAY, FULL_MONTH, SCHOOL_ADMISSION, HOUSE_MOVING, OTHER_OCCASION = (
    "birthday", "full_month", "school_admission", "house_moving", "other_occasion",
)  # fmt: skip
OCCASIONS = (BIRTHDAY, FULL_MONTH, SCHOOL_ADMISSION, HOUSE_MOVING, OTHER_OCCASION)
OCCASION_LABELS = {
    BIRTHDAY: N_("Birthday banquet"),  # 寿宴
    FULL_MONTH: N_("Full-month banquet"),  # 满月酒
    SCHOOL_ADMISSION: N_("School admission banquet"),  # 升学宴
    HOUSE_MOVING: N_("House-moving banquet"),  # 乔迁宴
    OTHER_OCCASION: N_("Other occasion"),
}

# The capped figures of a ceremony, in the order forms print them.
TABLES, COST_PER_TABLE, GIFT_PER_GUEST, VEHICLES, DAYS, BRIDE_PRICE = (
    "tables", "cost_per_table", "gift_per_guest", "vehicles", "days", "bride_price",
)  # fmt: skip
ITEMS = (TABLES, COST_PER_TABLE, GIFT_PER_GUEST, VEHICLES, DAYS, BRIDE_PRICE)
MONEY_ITEMS = frozenset({COST_PER_TABLE, GIFT_PER_GUEST, BRIDE_PRICE})
# The yes/no rules of a standard, named like the items when one is broken.
PAID_PERFORMERS, CREMATION, BANNED_OCCASION, BIRTHDAY_AGE = (
    "paid_performers", "cremation", "banned_occasion", "birthday_age",
)  # fmt: skip
# Not a figure of the ceremony but of its report: the least days it comes before the day (事前报备).
REPORT_DAYS = "report_days"
ITEM_LABELS = {
    TABLES: N_("Number of tables"),  # 桌数
    COST_PER_TABLE: N_("Cost per table"),  # 每桌标准
    GIFT_PER_GUEST: N_("Gift money per guest"),  # 礼金（每人）
    VEHICLES: N_("Number of vehicles"),  # 车辆
    DAYS: N_("Number of days"),  # 天数
    BRIDE_PRICE: N_("Bride price"),  # 彩礼
    PAID_PERFORMERS: N_("Paid performers"),  # 有偿演出
    CREMATION: N_("Cremation"),  # 火化
    BANNED_OCCASION: N_("Banquet not allowed"),  # 禁办酒席
    BIRTHDAY_AGE: N_("Birthday under the age"),  # 寿宴年龄
    REPORT_DAYS: N_("Days reported ahead"),  # 提前报备天数
}
# Which figures a kind has at all (a funeral has no bride price, a wedding no cremation).
KIND_ITEMS = {
    WEDDING: (TABLES, COST_PER_TABLE, GIFT_PER_GUEST, VEHICLES, DAYS, BRIDE_PRICE),
    FUNERAL: (TABLES, COST_PER_TABLE, GIFT_PER_GUEST, VEHICLES, DAYS),
    OTHER: (TABLES, COST_PER_TABLE, GIFT_PER_GUEST, VEHICLES, DAYS),
}

REPORTED, SUPERVISED, FOLLOWED_UP, CLOSED, CANCELLED = (
    "reported", "supervised", "followed_up", "closed", "cancelled",
)  # fmt: skip
STAGES = (REPORTED, SUPERVISED, FOLLOWED_UP, CLOSED, CANCELLED)
STAGE_LABELS = {
    REPORTED: N_("Reported beforehand"),  # 已报备
    SUPERVISED: N_("Supervised on the day"),  # 已监督
    FOLLOWED_UP: N_("Followed up afterwards"),  # 已回访
    CLOSED: N_("Ceremony closed"),  # 已结案
    CANCELLED: N_("Ceremony cancelled"),  # 已取消
}
SUPERVISE, FOLLOW_UP, CLOSE, CANCEL = "supervise", "follow_up", "close", "cancel"
TRANSITIONS = {
    SUPERVISE: {REPORTED: SUPERVISED},
    FOLLOW_UP: {SUPERVISED: FOLLOWED_UP},
    CLOSE: {FOLLOWED_UP: CLOSED},
    CANCEL: {REPORTED: CANCELLED},
}
ACTION_REFUSALS = {
    SUPERVISE: N_("Only a reported ceremony is supervised; this one is {stage}."),
    FOLLOW_UP: N_("The follow-up comes after the supervision on the day; this ceremony is {stage}."),
    CLOSE: N_("A ceremony is closed only after its follow-up; this one is {stage}."),
    CANCEL: N_("Only a ceremony not yet held can be cancelled; this one is {stage}."),
}
HELD = (SUPERVISED, FOLLOWED_UP, CLOSED)  # the actual figures are on record

SATISFIED, FAIRLY_SATISFIED, DISSATISFIED = "satisfied", "fairly_satisfied", "dissatisfied"
SATISFACTIONS = (SATISFIED, FAIRLY_SATISFIED, DISSATISFIED)
SATISFACTION_LABELS = {
    SATISFIED: N_("Satisfied"),  # 满意
    FAIRLY_SATISFIED: N_("Fairly satisfied"),  # 基本满意
    DISSATISFIED: N_("Dissatisfied"),  # 不满意
}

CHAIR, VICE_CHAIR, MEMBER = "chair", "vice_chair", "member"  # 会长, 副会长, 理事
ROLES = (CHAIR, VICE_CHAIR, MEMBER)
ROLE_LABELS = {
    CHAIR: N_("Ceremony council chair"),
    VICE_CHAIR: N_("Ceremony council vice-chair"),
    MEMBER: N_("Ceremony council member"),
}

PLAN, ACTUAL = "plan", "actual"  # a row of figures: the family's plan (each version), or what was seen

MAX_TEXT = 2000
MAX_NAME = 60
MAX_COUNT = {TABLES: 500, VEHICLES: 200, DAYS: 30, REPORT_DAYS: 60}  # guards against a typo, not rules
MAX_FEN = 10**10  # one hundred million yuan


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind])


def occasion_label(occasion: str) -> str:
    return _(OCCASION_LABELS[occasion])


def item_label(item: str) -> str:
    return _(ITEM_LABELS[item])


def stage_label(stage: str) -> str:
    return _(STAGE_LABELS[stage])


def satisfaction_label(value: str) -> str:
    return _(SATISFACTION_LABELS[value])


def role_label(role: str) -> str:
    return _(ROLE_LABELS[role])


def what_label(kind: str, occasion: str = "", celebrant_age: int | None = None) -> str:
    """婚事 / 丧事 / 寿宴（80岁）: what the ceremony is, as a list or a form names it."""
    if kind != OTHER or not occasion:
        return kind_label(kind)
    label = occasion_label(occasion)
    if occasion == BIRTHDAY and celebrant_age is not None:
        return _("{occasion} (age {age})").format(occasion=label, age=celebrant_age)
    return label


def ceremony_number(year: int, sequence: int) -> str:
    """〔2026〕红白备字第3号: the report's registration number in the village's series of the year."""
    return document_number(year, sequence, word="红白备字第")


def next_sequence(used: Iterable[int]) -> int:
    return max(used, default=0) + 1


# --- money and counts as the clerk types them -----------------------------------------------------

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")
_AMOUNT = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d*)?$")
_COUNT_UNITS = ("桌", "辆", "天", "日", "台", "个", "人")


def parse_yuan(text: str, item: str) -> int | None:
    """Yuan as typed ("500", "¥1,234.5", "300元", "５００") to integer fen, exactly; "" is not given."""
    raw = text.strip()
    cleaned = raw.translate(_FULLWIDTH).replace(" ", "")
    for sign in ("¥", "￥", "元", "RMB"):
        cleaned = cleaned.replace(sign, "")
    if not cleaned:
        return None
    if cleaned.startswith("-"):
        raise ValidationError(
            N_("{what} cannot be negative: {text}"), field=item, what=item_label(item), text=raw
        )
    if not _AMOUNT.match(cleaned):
        raise ValidationError(
            N_("{what}: {text} is not an amount in yuan; write it like 500 or 1,234.50."),
            field=item, what=item_label(item), text=raw,
        )  # fmt: skip
    try:
        amount = Decimal(cleaned.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern already refuses it
        raise ValidationError(N_("{what}: {text} is not an amount in yuan."), field=item, text=raw) from exc
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(
            N_("{what}: {text} has more than two decimals; the smallest unit is one fen (0.01 yuan)."),
            field=item, what=item_label(item), text=raw,
        )  # fmt: skip
    fen = int(amount * 100)
    if fen >= MAX_FEN:
        raise ValidationError(
            N_("{what}: {text} is implausibly large."), field=item, what=item_label(item), text=raw
        )
    return fen


def parse_count(text: str, item: str) -> int | None:
    """A whole number of tables, vehicles or days ("20", "20桌", "２０"); "" is not given."""
    cleaned = text.strip().translate(_FULLWIDTH).replace(" ", "")
    for unit in _COUNT_UNITS:
        cleaned = cleaned.removesuffix(unit)
    if not cleaned:
        return None
    if not cleaned.isdigit():
        raise ValidationError(
            N_("{what}: {text} is not a whole number."), field=item, what=item_label(item), text=text.strip()
        )
    value = int(cleaned)
    limit = MAX_COUNT.get(item, 10_000)
    if value > limit:
        raise ValidationError(
            N_("{what}: {value} is more than {limit}; please check the figure."),
            field=item, what=item_label(item), value=value, limit=limit,
        )  # fmt: skip
    return value


def fen_to_yuan(fen: int | None) -> str:
    """Fen as plain yuan text for a form ("500.00"); the inverse of parse_yuan."""
    if fen is None:
        return ""
    whole, part = divmod(fen, 100)
    return f"{whole}.{part:02d}"


def yuan_rounded(fen: int) -> int:
    """Whole yuan, half up (for a chart's bars; the tables beside it keep the fen)."""
    return (fen + 50) // 100 if fen >= 0 else -((-fen + 50) // 100)


def format_item(item: str, value: int) -> str:
    """A figure or a cap as a sentence shows it: ¥500.00 for money, 20 for a count."""
    return format_money(value) if item in MONEY_ITEMS else str(value)


# --- the village's standard -----------------------------------------------------------------------


@dataclass(frozen=True)
class Caps:
    """One kind's caps; None means the village sets no cap on that figure. `report_days`: the least
    number of days the report comes before the day (None: no such rule, only that it comes before)."""

    tables: int | None = None
    cost_per_table_fen: int | None = None
    gift_per_guest_fen: int | None = None
    vehicles: int | None = None
    days: int | None = None
    bride_price_fen: int | None = None
    report_days: int | None = None

    def limit(self, item: str) -> int | None:
        found: int | None = getattr(self, _ATTRIBUTE[item])
        return found


_ATTRIBUTE = {
    TABLES: "tables", COST_PER_TABLE: "cost_per_table_fen", GIFT_PER_GUEST: "gift_per_guest_fen",
    VEHICLES: "vehicles", DAYS: "days", BRIDE_PRICE: "bride_price_fen", REPORT_DAYS: "report_days",
}  # fmt: skip


@dataclass(frozen=True)
class Standard:
    """The village's caps (村规民约) from `effective_from` on; None: the built-in defaults of DOMAIN.md,
    in force until the village adopts a standard of its own."""

    effective_from: date | None
    wedding: Caps
    funeral: Caps
    other: Caps
    cremation_required: bool = True  # where the county requires it (火化区)
    paid_performers_banned: bool = True  # no paid performers (不请有偿演出)
    school_admission_banned: bool = True  # no banquets for school admission (不办升学宴)
    house_moving_banned: bool = True  # no banquets for moving house (不办乔迁宴)
    birthday_min_age: int | None = 60  # no birthday banquets under this age
    basis: str = ""  # where the village adopted it: 2026年3月村民代表会议通过

    def caps_for(self, kind: str) -> Caps:
        return {WEDDING: self.wedding, FUNERAL: self.funeral, OTHER: self.other}[kind]

    def banned_occasions(self) -> frozenset[str]:
        banned = set()
        if self.school_admission_banned:
            banned.add(SCHOOL_ADMISSION)
        if self.house_moving_banned:
            banned.add(HOUSE_MOVING)
        return frozenset(banned)


# DOMAIN.md's *defaults*: weddings ≤ 20 tables at ≤ ¥500, gifts ≤ ¥200, ≤ 6 cars, 1 day; funerals
# ≤ 20 tables at ≤ ¥300, gifts ≤ ¥100, ≤ 3 days; bride price uncapped until the village caps it.
# DOMAIN.md gives no figures for other banquets (a birthday of 60 and over, a full month): the
# funeral's money caps, 10 tables and one day here, for the village to change. A wedding is reported
# at least 5 days ahead (DOMAIN.md: local practice, 5 to 10 days); a funeral cannot be (it is reported
# within days of the death), nor are other banquets given a figure: for the village to set.
DEFAULT_STANDARD = Standard(
    effective_from=None,
    wedding=Caps(
        tables=20, cost_per_table_fen=500_00, gift_per_guest_fen=200_00, vehicles=6, days=1, report_days=5
    ),
    funeral=Caps(tables=20, cost_per_table_fen=300_00, gift_per_guest_fen=100_00, days=3),
    other=Caps(tables=10, cost_per_table_fen=300_00, gift_per_guest_fen=100_00, days=1),
)


def standard_on(versions: Iterable[Standard], day: date) -> Standard:
    """The version in force on `day`: the latest that took effect on or before it (the defaults before
    the first). A ceremony on the day a version takes effect is judged by that version."""
    in_force = [v for v in versions if v.effective_from is not None and v.effective_from <= day]
    if not in_force:
        return DEFAULT_STANDARD
    return max(in_force, key=lambda v: v.effective_from or date.min)


def check_standard(standard: Standard) -> Standard:
    if standard.effective_from is None:
        raise ValidationError(N_("Please give the date the standard takes effect."), field="effective_from")
    for kind in KINDS:
        caps = standard.caps_for(kind)
        for item in (*ITEMS, REPORT_DAYS):
            limit = caps.limit(item)
            if limit is not None and limit < 0:
                raise ValidationError(
                    N_("{kind}: the cap on {what} cannot be negative."), field=item, kind=kind_label(kind),
                    what=item_label(item),
                )  # fmt: skip
            if limit is not None and item not in MONEY_ITEMS and limit > MAX_COUNT[item]:
                raise ValidationError(
                    N_("{what}: {value} is more than {limit}; please check the figure."), field=item,
                    what=item_label(item), value=limit, limit=MAX_COUNT[item],
                )  # fmt: skip
    if standard.birthday_min_age is not None and not 1 <= standard.birthday_min_age <= 120:
        raise ValidationError(
            N_("The age for a birthday banquet must be between 1 and 120."), field="birthday_min_age"
        )
    return replace(standard, basis=check_text(standard.basis, "basis", N_("the basis"), required=False))


@dataclass(frozen=True)
class CapsInput:
    """One kind's caps as typed: yuan and counts as text, empty for no cap."""

    tables: str = ""
    cost_per_table: str = ""
    gift_per_guest: str = ""
    vehicles: str = ""
    days: str = ""
    bride_price: str = ""
    report_days: str = ""


def parse_caps(data: CapsInput) -> Caps:
    return Caps(
        tables=parse_count(data.tables, TABLES),
        cost_per_table_fen=parse_yuan(data.cost_per_table, COST_PER_TABLE),
        gift_per_guest_fen=parse_yuan(data.gift_per_guest, GIFT_PER_GUEST),
        vehicles=parse_count(data.vehicles, VEHICLES),
        days=parse_count(data.days, DAYS),
        bride_price_fen=parse_yuan(data.bride_price, BRIDE_PRICE),
        report_days=parse_count(data.report_days, REPORT_DAYS),
    )


def caps_input(caps: Caps) -> CapsInput:
    def count(v: int | None) -> str:
        return "" if v is None else str(v)

    return CapsInput(
        count(caps.tables), fen_to_yuan(caps.cost_per_table_fen), fen_to_yuan(caps.gift_per_guest_fen),
        count(caps.vehicles), count(caps.days), fen_to_yuan(caps.bride_price_fen), count(caps.report_days),
    )  # fmt: skip


# --- a ceremony's figures -------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """A plan's or the day's figures. `spending_fen` is a plan's total estimate (预计总花费); the actual
    total is told at the follow-up."""

    tables: int | None = None
    cost_per_table_fen: int | None = None
    gift_per_guest_fen: int | None = None
    vehicles: int | None = None
    days: int | None = None
    bride_price_fen: int | None = None
    paid_performers: bool = False
    cremation: bool | None = None  # funerals: cremated or not; None for other kinds or not known
    spending_fen: int | None = None

    def value(self, item: str) -> int | None:
        found: int | None = getattr(self, _ATTRIBUTE[item])
        return found


@dataclass(frozen=True)
class FiguresInput:
    """Figures as the form holds them: text for numbers and money, empty for "not given"."""

    tables: str = ""
    cost_per_table: str = ""
    gift_per_guest: str = ""
    vehicles: str = ""
    days: str = ""
    bride_price: str = ""
    paid_performers: bool = False
    cremation: bool | None = None
    spending: str = ""


REQUIRED_ITEMS = (TABLES, COST_PER_TABLE, DAYS)


def parse_figures(data: FiguresInput, kind: str, stage: str = PLAN) -> Figures:
    """Figures in fen and counts; tables, cost per table and days are always needed, and a plan's total
    spending too (the family's first plan is what the year's savings are counted against)."""
    figures = Figures(
        tables=parse_count(data.tables, TABLES),
        cost_per_table_fen=parse_yuan(data.cost_per_table, COST_PER_TABLE),
        gift_per_guest_fen=parse_yuan(data.gift_per_guest, GIFT_PER_GUEST),
        vehicles=parse_count(data.vehicles, VEHICLES),
        days=parse_count(data.days, DAYS),
        bride_price_fen=parse_yuan(data.bride_price, BRIDE_PRICE) if kind == WEDDING else None,
        paid_performers=data.paid_performers,
        cremation=data.cremation if kind == FUNERAL else None,
        spending_fen=parse_yuan(data.spending, "spending") if stage == PLAN else None,
    )
    for item in REQUIRED_ITEMS:
        if figures.value(item) is None:
            raise ValidationError(N_("Please enter {what}."), field=item, what=item_label(item))
    if figures.days == 0:
        raise ValidationError(N_("A ceremony lasts at least one day."), field=DAYS)
    if stage == PLAN and figures.spending_fen is None:
        raise ValidationError(N_("Please enter the planned total spending."), field="spending")
    return figures


def figures_input(figures: Figures) -> FiguresInput:
    def count(v: int | None) -> str:
        return "" if v is None else str(v)

    return FiguresInput(
        count(figures.tables), fen_to_yuan(figures.cost_per_table_fen),
        fen_to_yuan(figures.gift_per_guest_fen), count(figures.vehicles), count(figures.days),
        fen_to_yuan(figures.bride_price_fen),
        figures.paid_performers, figures.cremation, fen_to_yuan(figures.spending_fen),
    )  # fmt: skip


def banquet_fen(figures: Figures) -> int | None:
    """The banquet's cost: tables × cost per table (酒席费用)."""
    if figures.tables is None or figures.cost_per_table_fen is None:
        return None
    return figures.tables * figures.cost_per_table_fen


def ceiling_fen(caps: Caps) -> int | None:
    """The most a banquet may cost under the caps: the cap on tables × the cap per table."""
    if caps.tables is None or caps.cost_per_table_fen is None:
        return None
    return caps.tables * caps.cost_per_table_fen


# --- judging against the standard -----------------------------------------------------------------


@dataclass(frozen=True)
class Breach:
    """One figure over its cap (value and cap in fen or counts), or one yes/no rule broken (cap None)."""

    item: str
    value: int | str | None = None
    cap: int | None = None


def check(
    kind: str, figures: Figures, standard: Standard, occasion: str = "", celebrant_age: int | None = None
) -> tuple[Breach, ...]:
    """Every figure over its cap, with the cap it breaks; then the yes/no rules broken."""
    caps = standard.caps_for(kind)
    found: list[Breach] = []
    for item in KIND_ITEMS[kind]:
        value, cap = figures.value(item), caps.limit(item)
        if value is not None and cap is not None and value > cap:
            found.append(Breach(item, value, cap))
    if standard.paid_performers_banned and figures.paid_performers:
        found.append(Breach(PAID_PERFORMERS))
    if kind == FUNERAL and standard.cremation_required and figures.cremation is False:
        found.append(Breach(CREMATION))
    if kind == OTHER:
        if occasion in standard.banned_occasions():
            found.append(Breach(BANNED_OCCASION, occasion))
        minimum = standard.birthday_min_age
        known = minimum is not None and celebrant_age is not None
        if occasion == BIRTHDAY and known and celebrant_age < minimum:  # type: ignore[operator]
            found.append(Breach(BIRTHDAY_AGE, celebrant_age, minimum))
    return tuple(found)


def describe_breach(breach: Breach) -> str:
    """One sentence: 桌数：21，超过上限20 / 每桌标准：¥500.01，超过上限¥500.00 / 请有偿演出……"""
    if breach.item in ITEMS:
        assert isinstance(breach.value, int) and breach.cap is not None
        return _("{what}: {value}, over the cap of {cap}").format(
            what=item_label(breach.item), value=format_item(breach.item, breach.value),
            cap=format_item(breach.item, breach.cap),
        )  # fmt: skip
    if breach.item == PAID_PERFORMERS:
        return _("Paid performers, which the standard forbids")
    if breach.item == CREMATION:
        return _("No cremation, which the standard requires")
    if breach.item == BANNED_OCCASION:
        return _("{occasion}, which the standard forbids").format(occasion=occasion_label(str(breach.value)))
    return _("A birthday banquet at {age}; the standard allows one from {minimum}").format(
        age=breach.value, minimum=breach.cap
    )


@dataclass(frozen=True)
class LateReport:
    """A report that came fewer days before the day than the standard asks (`asked`, None when the
    standard sets no figure), or only on or after the day itself (`ahead` ≤ 0: not 事前 at all)."""

    ahead: int
    asked: int | None


def late_report(caps: Caps, day: date, reported_on: date) -> LateReport | None:
    """Exactly `report_days` before the day is in time; a day fewer is late."""
    ahead = (day - reported_on).days
    asked = caps.report_days
    if ahead <= 0 or (asked is not None and ahead < asked):
        return LateReport(ahead, asked)
    return None


def describe_late(late: LateReport) -> str:
    """举办前2天才报备，村规民约要求至少提前5天报备 / 举办当天或之后才报备，未事前报备."""
    if late.ahead <= 0:
        if late.asked is None:
            return _("Reported only on or after the day itself, not beforehand")
        return ngettext(
            "Reported only on or after the day itself; the standard asks for at least {asked} day ahead",
            "Reported only on or after the day itself; the standard asks for at least {asked} days ahead",
            late.asked,
        ).format(asked=late.asked)
    return ngettext(
        "Reported only {ahead} day before the day; the standard asks for at least {asked} days ahead",
        "Reported only {ahead} days before the day; the standard asks for at least {asked} days ahead",
        late.ahead,
    ).format(ahead=late.ahead, asked=late.asked)


def breach_items(breaches: Sequence[Breach]) -> str:
    """The items broken, for a list column: 桌数、每桌标准."""
    return _("、").join(item_label(b.item) for b in breaches)


def problem_items(breaches: Sequence[Breach], late: LateReport | None) -> str:
    """A list's column of what is wrong: the items broken, then a report that came late (迟报)."""
    words = [breach_items(breaches)] if breaches else []
    if late:
        words.append(_("Reported late"))
    return _("、").join(words)


@dataclass(frozen=True)
class Deviation:
    """A figure seen on the day that differs from the plan (the plan the family committed to)."""

    item: str
    planned: int | bool | None
    actual: int | bool | None

    @property
    def difference(self) -> int | None:
        """actual − planned for counts and money; None for yes/no figures or a missing side."""
        if isinstance(self.planned, bool) or isinstance(self.actual, bool):
            return None
        if self.planned is None or self.actual is None:
            return None
        return self.actual - self.planned


def deviations(plan: Figures, actual: Figures, kind: str) -> tuple[Deviation, ...]:
    found = [
        Deviation(item, plan.value(item), actual.value(item))
        for item in KIND_ITEMS[kind]
        if actual.value(item) is not None and plan.value(item) != actual.value(item)
    ]
    if plan.paid_performers != actual.paid_performers:
        found.append(Deviation(PAID_PERFORMERS, plan.paid_performers, actual.paid_performers))
    if kind == FUNERAL and actual.cremation is not None and plan.cremation != actual.cremation:
        found.append(Deviation(CREMATION, plan.cremation, actual.cremation))
    return tuple(found)


def describe_deviation(d: Deviation) -> str:
    if d.difference is not None:
        sign = "+" if d.difference > 0 else "-"
        return _("{what}: planned {planned}, actual {actual} ({sign}{difference})").format(
            what=item_label(d.item), planned=format_item(d.item, int(d.planned or 0)),
            actual=format_item(d.item, int(d.actual or 0)), sign=sign,
            difference=format_item(d.item, abs(d.difference)),
        )  # fmt: skip
    if d.item in ITEMS:
        return _("{what}: not in the plan, actual {actual}").format(
            what=item_label(d.item), actual=format_item(d.item, int(d.actual or 0))
        )
    planned = None if d.planned is None else bool(d.planned)
    return _("{what}: planned {planned}, actual {actual}").format(
        what=item_label(d.item), planned=yes_no(planned), actual=yes_no(bool(d.actual))
    )


def yes_no(value: bool | None) -> str:
    if value is None:
        return _("Not known")
    return _("Yes") if value else _("No")


# --- life -----------------------------------------------------------------------------------------


def next_stage(stage: str, action: str) -> str:
    after = TRANSITIONS[action].get(stage)
    if after is None:
        raise ValidationError(ACTION_REFUSALS[action], stage=stage_label(stage))
    return after


# --- what may be done now ------------------------------------------------------------------------
# The room's buttons and the service's checks ask the same functions (core/actions.py): each action
# allowed, or refused with its reason in the user's language.

REPORT, EDIT, ADVISE, COMMIT, CORRECT = "report", "edit", "advise", "commit", "correct"
PRINT_REPORT, PRINT_COMMITMENT, PRINT_FOLLOW_UP = "print_report", "print_commitment", "print_follow_up"
CEREMONY_ACTIONS = (
    EDIT, ADVISE, COMMIT, SUPERVISE, CORRECT, FOLLOW_UP, CLOSE, CANCEL,
    PRINT_REPORT, PRINT_COMMITMENT, PRINT_FOLLOW_UP,
)  # fmt: skip
NEW_TERM, ADD_MEMBER = "new_term", "add_member"
MEMBER_LEAVES, REMOVE_MEMBER = "member_leaves", "remove_member"
MEMBER_ACTIONS = (MEMBER_LEAVES, REMOVE_MEMBER)
NEW_STANDARD, PRINT_SUMMARY = "new_standard", "print_summary"

NO_COUNCIL = N_("The ceremony council has no term yet: start its first term with “New term…”.")
NOTHING_TO_SUMMARISE = N_(
    "No ceremony was reported for {year} (cancelled ones aside): there is nothing to summarise."
)
STANDARD_AFTER_HELD = N_(
    "Ceremony {number}, held on {date}, was judged by the standard then in force; a new "
    "version can take effect from the day after it."
)


@dataclass(frozen=True)
class CeremonyState:
    """What the rules need to know of a ceremony to say what may be done to it."""

    stage: str
    day: date  # the ceremony's (first) day
    committed_on: date | None = None  # the family signed its commitment to the plan


def _transition(stage: str, action: str) -> Refusal | None:
    if stage in TRANSITIONS[action]:
        return None
    return refuse(ACTION_REFUSALS[action], stage=stage_label(stage))


def _plan_open(state: CeremonyState) -> Refusal | None:
    """The plan changes only before the family signs its commitment and before the day is supervised."""
    if state.stage != REPORTED:
        return refuse(
            N_("The report of a ceremony that is {stage} is kept as it was."), FINAL,
            stage=stage_label(state.stage),
        )  # fmt: skip
    if state.committed_on is not None:
        return refuse(
            N_("The family signed its commitment to this plan on {date}; the plan stays as it was."), FINAL,
            date=state.committed_on.isoformat(),
        )  # fmt: skip
    return None


def ceremony_actions(user_role: str, state: CeremonyState, today: date) -> Allowed:
    """Each action on one ceremony, allowed or refused with the reason: the stages in their order
    (报备 → 监督 on or after the day → 回访 → 结案), the plan fixed by the commitment, the user's role."""
    write = access.refusal(user_role, access.WRITE)
    supervise = _transition(state.stage, SUPERVISE)
    if supervise is None and today < state.day:
        supervise = refuse(
            N_("The ceremony begins on {day}; it is supervised on the day, not before."),
            day=state.day.isoformat(),
        )
    correct = None if state.stage in HELD else refuse(
        N_("Only the figures of a supervised ceremony can be corrected.")
    )  # fmt: skip
    commitment = None
    if state.stage == CANCELLED and state.committed_on is None:  # a signed one stays on file
        commitment = refuse(N_("The ceremony was cancelled before its commitment letter was signed."))
    follow_up_record = None if state.stage in (FOLLOWED_UP, CLOSED) else refuse(
        N_("The follow-up record prints once the follow-up is recorded.")
    )  # fmt: skip
    return Allowed.decide({
        EDIT: write or _plan_open(state),
        ADVISE: write or _plan_open(state),
        COMMIT: write or _plan_open(state),
        SUPERVISE: write or supervise,
        CORRECT: write or correct,
        FOLLOW_UP: write or _transition(state.stage, FOLLOW_UP),
        CLOSE: write or _transition(state.stage, CLOSE),
        CANCEL: write or _transition(state.stage, CANCEL),
        PRINT_REPORT: None,
        PRINT_COMMITMENT: commitment,
        PRINT_FOLLOW_UP: follow_up_record,
    })  # fmt: skip


def room_actions(user_role: str) -> Allowed:
    """What the room offers whatever is chosen: report a ceremony, start the council's term, adopt a
    version of the standard (the secretary's, as the villagers' representatives adopted it)."""
    write = access.refusal(user_role, access.WRITE)
    return Allowed.decide({
        REPORT: write, NEW_TERM: write, NEW_STANDARD: access.refusal(user_role, access.APPROVE),
    })  # fmt: skip


def council_actions(user_role: str, has_council: bool) -> Allowed:
    """A member is seated on a term of the council, so there must be one."""
    write = access.refusal(user_role, access.WRITE)
    return Allowed.decide({ADD_MEMBER: write or (None if has_council else refuse(NO_COUNCIL))})


@dataclass(frozen=True)
class MemberState:
    """What the rules need to know of a seat on the council."""

    on_record: bool  # the member advised, supervised or visited: the work stays on record


def member_actions(user_role: str, state: MemberState) -> Allowed:
    """A seat ends with a leaving date; one entered by mistake is removed, unless its work is on record."""
    write = access.refusal(user_role, access.WRITE)
    removed = None if not state.on_record else refuse(
        N_("This member's work is on record; give a leaving date instead of removing the seat.")
    )  # fmt: skip
    return Allowed.decide({MEMBER_LEAVES: write, REMOVE_MEMBER: write or removed})


@dataclass(frozen=True)
class HeldCeremony:
    number: str
    day: date


def standard_actions(
    user_role: str,
    effective_from: date | None = None,
    held: Iterable[HeldCeremony] = (),
    versions: Iterable[date] = (),
) -> Allowed:
    """A new version of the standard is the secretary's. Taking effect on `effective_from`, it would judge
    the days up to the next of the village's `versions` (or for good); a ceremony already `held` in that
    span was judged by the version then in force, so the new one may take effect from the day after the
    latest of them. A version of the same date is replaced."""
    refusal = access.refusal(user_role, access.APPROVE)
    if refusal is None and effective_from is not None:
        start = effective_from
        end = min((v for v in versions if v > start), default=None)
        inside = [c for c in held if start <= c.day and (end is None or c.day < end)]
        if inside:
            last = max(inside, key=lambda c: c.day)
            refusal = refuse(STANDARD_AFTER_HELD, number=last.number, date=last.day.isoformat())
    return Allowed.decide({NEW_STANDARD: refusal})


def year_actions(year: int, ceremonies: int) -> Allowed:
    """The year's summary reports on the ceremonies reported for it; a year with none has nothing to say."""
    empty = refuse(NOTHING_TO_SUMMARISE, year=year) if ceremonies == 0 else None
    return Allowed.decide({PRINT_SUMMARY: empty})


def check_text(text: str, field: str, label: str, required: bool = True, limit: int = MAX_TEXT) -> str:
    cleaned = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()
    if required and not cleaned:
        raise ValidationError(N_("Please enter {what}."), field=field, what=_(label))
    if len(cleaned) > limit:
        raise ValidationError(N_("{what} has more than {n} characters."), field=field, what=_(label), n=limit)
    return cleaned


def check_not_future(day: date, today: date, field: str, label: str) -> None:
    if day > today:
        raise ValidationError(
            N_("{what} ({date}) is in the future."), field=field, what=_(label), date=day.isoformat()
        )


def check_kind(kind: str, occasion: str, celebrant_age: int | None) -> tuple[str, int | None]:
    """The kind is known; an "other" banquet names its occasion, a birthday the celebrant's age."""
    if kind not in KINDS:
        raise ValidationError(N_("Unknown kind of ceremony: {kind}"), field="kind", kind=kind)
    if kind != OTHER:
        return "", None
    if occasion not in OCCASIONS:
        raise ValidationError(N_("Please choose what the banquet is for."), field="occasion")
    if occasion != BIRTHDAY:
        return occasion, None
    if celebrant_age is None or not 1 <= celebrant_age <= 130:
        raise ValidationError(N_("Please enter the age of the person whose birthday it is."), field="age")
    return occasion, celebrant_age


@dataclass(frozen=True)
class ReportInput:
    """事前报备 as the form gives it."""

    household_id: int
    kind: str
    day: date  # the ceremony's (first) day
    place: str
    plan: FiguresInput
    occasion: str = ""
    celebrant_age: int | None = None
    subject: str = ""  # whom it is for: 新郎王小明、新娘李小红 / 逝者王德福
    host: str = ""  # the family member who reports and answers for it (default: the household head)
    contact_phone: str = ""
    reported_on: date | None = None  # default: today


# --- the council's members ------------------------------------------------------------------------


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError(N_("Unknown council role: {role}"), field="role", role=role)
    return role


def check_term(start: date, end: date) -> None:
    if end <= start:
        raise ValidationError(
            N_("The term ends on {end}, which is not after it starts ({start})."), field="term_end",
            start=start.isoformat(), end=end.isoformat(),
        )  # fmt: skip


def terms_overlap(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    return a_start <= b_end and b_start <= a_end


def is_member_on(joined_on: date, left_on: date | None, day: date) -> bool:
    """A seat runs from `joined_on` up to, not including, `left_on`."""
    return joined_on <= day and (left_on is None or day < left_on)


# --- the year's figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CeremonyFacts:
    """What the year's figures need of one ceremony (cancelled ones are left out by the caller)."""

    kind: str
    day: date
    stage: str
    first_plan: Figures
    first_plan_breaches: tuple[Breach, ...]
    actual: Figures | None  # once supervised
    actual_breaches: tuple[Breach, ...]
    ceiling_fen: int | None  # the banquet ceiling under the standard in force on its day
    actual_spending_fen: int | None  # told at the follow-up
    late: bool = False  # reported fewer days ahead than that standard asks (or not beforehand)


@dataclass(frozen=True)
class YearFigures:
    year: int
    per_month: dict[str, tuple[int, ...]]  # kind → ceremonies in each month (by the ceremony's day)
    ceremonies: int  # reported, not cancelled
    first_plans_over: int  # first plans that broke a cap
    supervised: int  # with the day's figures on record
    within: int  # of those, breaking no cap and no rule
    breaches_by_item: dict[str, int]  # supervised ceremonies breaking each item
    caps_counted: int  # supervised ceremonies whose banquet could be set against the caps' ceiling
    banquet_ceiling_fen: int
    banquet_actual_fen: int
    plans_counted: int  # followed-up ceremonies whose first plan had a total
    first_plan_spending_fen: int
    actual_spending_fen: int
    # Per month, for the spending chart: the followed-up ceremonies' first plans and actual totals.
    first_plan_by_month: tuple[int, ...] = field(default=(0,) * 12)
    actual_by_month: tuple[int, ...] = field(default=(0,) * 12)
    reported_late: int = 0  # ceremonies reported fewer days ahead than the standard asks

    @property
    def share_within(self) -> Fraction | None:
        """Of the ceremonies supervised, the share held within the standard; None when none was."""
        return Fraction(self.within, self.supervised) if self.supervised else None

    @property
    def saved_against_caps_fen(self) -> int:
        """What the banquets cost less than the caps allowed (negative where they cost more)."""
        return self.banquet_ceiling_fen - self.banquet_actual_fen

    @property
    def saved_against_first_plan_fen(self) -> int:
        """What families spent less than they first planned to (negative where they spent more)."""
        return self.first_plan_spending_fen - self.actual_spending_fen


def year_figures(year: int, ceremonies: Sequence[CeremonyFacts]) -> YearFigures:
    per_month = {kind: [0] * 12 for kind in KINDS}
    first_by_month, actual_by_month = [0] * 12, [0] * 12
    breaches: dict[str, int] = {}
    first_over = supervised = within = late = 0
    caps_counted = ceiling_total = banquet_total = 0
    plans_counted = first_total = actual_total = 0
    for c in ceremonies:
        if c.day.year != year or c.stage == CANCELLED:
            continue
        per_month[c.kind][c.day.month - 1] += 1
        late += c.late
        if c.first_plan_breaches:
            first_over += 1
        if c.actual is None:
            continue
        supervised += 1
        if not c.actual_breaches:
            within += 1
        for item in {b.item for b in c.actual_breaches}:
            breaches[item] = breaches.get(item, 0) + 1
        banquet = banquet_fen(c.actual)
        if c.ceiling_fen is not None and banquet is not None:
            caps_counted += 1
            ceiling_total += c.ceiling_fen
            banquet_total += banquet
        if c.actual_spending_fen is not None and c.first_plan.spending_fen is not None:
            plans_counted += 1
            first_total += c.first_plan.spending_fen
            actual_total += c.actual_spending_fen
            first_by_month[c.day.month - 1] += c.first_plan.spending_fen
            actual_by_month[c.day.month - 1] += c.actual_spending_fen
    return YearFigures(
        year=year, per_month={k: tuple(v) for k, v in per_month.items()},
        ceremonies=sum(sum(v) for v in per_month.values()), first_plans_over=first_over,
        supervised=supervised, within=within, breaches_by_item=breaches, caps_counted=caps_counted,
        banquet_ceiling_fen=ceiling_total, banquet_actual_fen=banquet_total, plans_counted=plans_counted,
        first_plan_spending_fen=first_total, actual_spending_fen=actual_total,
        first_plan_by_month=tuple(first_by_month), actual_by_month=tuple(actual_by_month),
        reported_late=late,
    )  # fmt: skip


def months() -> tuple[str, ...]:
    """1月 … 12月, or Jan … Dec: babel's month names, so no month needs a msgid of its own."""
    from babel.dates import get_month_names

    locale = "zh_CN" if current_language() == "zh_CN" else "en_US"
    names = get_month_names("abbreviated", locale=locale)
    return tuple(names[m] for m in range(1, 13))


def month_chart(figures: YearFigures) -> BarChart:
    """Ceremonies per month, stacked by kind."""
    return BarChart(
        title=_("Ceremonies per month, {year}").format(year=figures.year),
        categories=months(),
        series=tuple(Series(kind_label(kind), figures.per_month[kind]) for kind in KINDS),
        unit=_("ceremonies"),
        stacked=True,
    )


def spending_chart(figures: YearFigures) -> BarChart:
    """Per month: what the families first planned to spend and what they spent (whole yuan)."""
    return BarChart(
        title=_("First plans and actual spending, {year}").format(year=figures.year),
        categories=months(),
        series=(
            Series(_("First plan"), tuple(yuan_rounded(v) for v in figures.first_plan_by_month)),
            Series(_("Actual spending"), tuple(yuan_rounded(v) for v in figures.actual_by_month)),
        ),
        unit=_("yuan"),
    )


def percent(share: Fraction | None) -> str:
    """A share for people: 87.5%, rounded half up to one decimal (exact arithmetic to the last step)."""
    if share is None:
        return "—"
    tenths = share * 1000
    rounded = (tenths.numerator * 2 + tenths.denominator) // (2 * tenths.denominator)
    return f"{rounded // 10}.{rounded % 10}%"
