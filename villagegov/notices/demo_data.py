"""A year of realistic 村务公开 notices for the demo village, written through the service only.

`add_demo_notices` is called by demo.fill_demo after the roster is in place. Every category, kind
and state appears: monthly finance statements (the demo village's finance is busy), quarterly
village and party affairs, subsidy lists naming villagers with their ID-card numbers (masked on
paper, full in the database), objections on time and late, answered and open, a correction that
supersedes a posted list, a withdrawn notice, approved notices waiting to go up, and drafts (one
finance statement that does not add up yet, to show the check).
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from villagegov.accounts import service as accounts
from villagegov.core.actor import SECRETARY, Actor
from villagegov.core.calendar import DAYS, WORKING_DAYS
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_, document_date
from villagegov.notices import rules, service
from villagegov.notices.rules import EXPENSE, INCOME, FinanceLineInput, NoticeInput, TableInput
from villagegov.roster import service as roster
from villagegov.roster.service import VillagerRow

SUPERVISORY_PHONE = "0915-6321234"  # a landline of the fictitious village office
OFFICE_PHONE = "0915-6321000"  # the village committee's office, printed in full where a notice gives it


@dataclass(frozen=True)
class DemoNotices:
    notices: int
    objections: int
    states: dict[str, int]


def _png_photo() -> bytes:
    """A tiny valid PNG standing in for the clerk's photo of the posted sheet."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xc8\x32\x32" * 2 + b"\x00" + b"\xff\xff\xff" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _site_plan(applicant: str) -> bytes:
    """A sketch of a homestead plot (宗地图) as the clerk would photograph or scan it: a JPEG."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (900, 600), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((300, 180, 600, 420), outline=(20, 20, 20), width=6)  # the plot, 12 m × 10 m
    draw.rectangle((40, 40, 860, 560), outline=(120, 120, 120), width=2)
    draw.line((450, 60, 450, 140), fill=(20, 20, 20), width=4)  # north arrow
    draw.polygon(((450, 50), (435, 90), (465, 90)), fill=(20, 20, 20))
    draw.line((100, 500, 800, 500), fill=(90, 90, 90), width=10)  # the village road
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _acceptance_report(village: str) -> bytes:
    """The road project's acceptance report (竣工验收单), a PDF with its fonts embedded."""
    from villagegov.printing.document import OfficialDocument, TableBlock, Text, render_bytes

    rows = (
        ("路基", "压实度符合设计要求", "合格"),
        ("路面", "C25混凝土，厚18厘米，宽4.5米", "合格"),
        ("排水", "两侧边沟贯通，无积水", "合格"),
        ("长度", "实测1.2公里", "合格"),
    )
    return render_bytes(
        OfficialDocument(
            title=f"{village}村内道路硬化工程竣工验收单",
            blocks=(
                Text("验收组由镇农业农村办、村“两委”、村务监督委员会和村民代表组成，现场验收如下。"),
                TableBlock(("项目", "验收内容", "结论"), rows),
                Text("验收结论：工程质量合格，同意交付使用。"),
            ),
        )
    )


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _yuan(fen: int) -> str:
    return rules.fen_to_yuan(fen)


def _grouped(fen: int) -> str:
    """An amount as a clerk types it into a list: 68,900.00."""
    return f"{fen // 100:,}.{fen % 100:02d}"


class _Writer:
    """Drafts, approves, posts and takes down notices on given days, never beyond `today`."""

    def __init__(self, clerk: Actor, secretary: Actor, today: date, rng: random.Random) -> None:
        self.clerk, self.secretary, self.today, self.rng = clerk, secretary, today, rng
        self.objections = 0

    def _at(self, day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour, self.rng.randrange(60)))

    def notice(
        self,
        data: NoticeInput,
        drafted: date,
        *,
        approve: bool = True,
        post: bool = True,
        remove: bool = True,
        attachments: tuple[tuple[str, bytes], ...] = (),
    ) -> service.NoticeDetail:
        """Write one notice as far through its life as the dates (and the flags) allow."""
        if data.period_unit == WORKING_DAYS:
            calendar = service.working_calendar(self.clerk)
            if not all(calendar.knows(d.year) for d in (drafted, drafted + timedelta(days=40))):
                data = replace(data, period_unit=DAYS)  # the demo never asks for an unknown year
        detail = service.create_draft(self.clerk, data, now=self._at(drafted, 15))
        for name, content in attachments:
            service.add_attachment(self.clerk, detail.id, name, content)
        approved_on = drafted + timedelta(days=1)
        if not approve or approved_on > self.today:
            return detail
        service.approve(self.secretary, detail.id, now=self._at(approved_on, 9))
        posted_on = approved_on + timedelta(days=self.rng.choice((0, 1, 1, 2)))
        if not post or posted_on > self.today:
            return service.get_notice(self.clerk, detail.id)
        photo = ("张贴现场.png", _png_photo()) if self.rng.random() < 0.3 else None
        detail = service.post(
            self.clerk, detail.id, posted_on, posted_by=self.clerk.display_name, photo=photo, today=self.today
        )
        last_day = detail.period_end or posted_on + timedelta(days=self.rng.choice((10, 14, 20)))
        removed_on = last_day + timedelta(days=self.rng.choice((1, 1, 2, 3)))
        if remove and removed_on <= self.today:
            detail = service.remove(self.clerk, detail.id, removed_on, today=self.today)
        return detail

    def objection(
        self,
        notice: service.NoticeDetail,
        who: str,
        text: str,
        received: date,
        handling: str = "",
        answer: str = "",
        answer_after: int = 3,
    ) -> None:
        if notice.posted_at is None or received > self.today:
            return
        row = service.record_objection(self.clerk, notice.id, who, text, received, today=self.today)
        self.objections += 1
        answered = received + timedelta(days=answer_after)
        if answer and answered <= self.today:
            service.update_objection(self.clerk, row.id, handling, answer, answered, today=self.today)
        elif handling:
            service.update_objection(self.clerk, row.id, handling, today=self.today)


def _secretary(clerk: Actor, village_id: int) -> Actor:
    for user in accounts.list_users(clerk):
        if user.role == SECRETARY and user.active:
            return Actor(user.id, user.username, user.display_name, user.role, village_id)
    raise VillagegovError(N_("The demo notices need a secretary to approve them; add one first."))


def _subsidy_table(people: list[VillagerRow], caption: str, amount_fen: int) -> TableInput:
    rows = tuple(
        (str(i), p.name, p.id_number or "", p.group, p.phone, _yuan(amount_fen))
        for i, p in enumerate(people, start=1)
    )
    header = ("序号", "姓名", "身份证号", "所在小组", "联系电话", "金额（元）")
    return TableInput(header, rows, caption)


def _candidates_table(people: list[VillagerRow], today: date) -> TableInput:
    """发展对象: name, sex, month of birth, where they work; no ID-card number on this list."""
    rows = tuple(
        (str(i), p.name, "男" if p.gender == "male" else "女", f"{p.birth_date.year}年{p.birth_date.month}月",
         p.group, f"{today.year - 2}年{(i * 4) % 12 + 1}月")
        for i, p in enumerate(people, start=1)
    )  # fmt: skip
    header = ("序号", "姓名", "性别", "出生年月", "所在小组", "列为入党积极分子时间")
    return TableInput(header, rows, "发展对象名单")


LAND_FEN_PER_MU = 2_660_000  # 70% of ¥38,000 a mu goes to the households whose land was taken


def _land_table(people: list[VillagerRow], rng: random.Random) -> TableInput:
    rows = []
    for i, p in enumerate(people, start=1):
        hundredths = rng.randrange(20, 260)  # 0.20 to 2.59 mu
        fen = (hundredths * LAND_FEN_PER_MU + 50) // 100
        rows.append((str(i), p.name, p.id_number or "", p.group, f"{hundredths / 100:.2f}", _grouped(fen)))
    header = ("序号", "户主姓名", "身份证号", "所在小组", "被征地面积（亩）", "分配金额（元）")
    return TableInput(header, tuple(rows), "征地补偿款分配明细表")


FARMLAND_FEN_PER_MU = 10_470  # ¥104.70 a mu: a county's 耕地地力保护补贴 rate


def _farmland_table(people: list[VillagerRow], rng: random.Random) -> TableInput:
    """Each household's contracted area (mu, one decimal) and its subsidy, area × rate to the fen."""
    rows = []
    for i, p in enumerate(people, start=1):
        tenths = rng.randrange(15, 120)  # 1.5 to 12 mu
        fen = (tenths * FARMLAND_FEN_PER_MU + 5) // 10
        rows.append(
            (str(i), p.name, p.id_number or "", p.group, p.phone, f"{tenths / 10:.1f}", _grouped(fen))
        )
    header = ("序号", "户主姓名", "身份证号", "所在小组", "联系电话", "面积（亩）", "金额（元）")
    return TableInput(header, tuple(rows), "耕地地力保护补贴发放名单")


FINANCE_INCOME = (
    ("上级转移支付（村级组织运转经费）", 1_500_000, 2_500_000),
    ("集体资产租赁收入", 300_000, 900_000),
    ("村股份经济合作社经营收入", 200_000, 1_200_000),
    ("一事一议财政奖补资金", 0, 3_000_000),
)
FINANCE_EXPENSE = (
    ("村干部误工补贴", 900_000, 1_400_000),
    ("办公费及水电费", 60_000, 180_000),
    ("环境卫生保洁费", 150_000, 300_000),
    ("村内道路及水渠维修", 0, 1_600_000),
    ("慰问困难群众", 0, 300_000),
)


def _finance(rng: random.Random, month_end: date, off_by_one_fen: bool = False) -> NoticeInput:
    lines: list[FinanceLineInput] = []
    totals = {INCOME: 0, EXPENSE: 0}
    for side, items in ((INCOME, FINANCE_INCOME), (EXPENSE, FINANCE_EXPENSE)):
        for item, low, high in items:
            fen = rng.randrange(low, high + 1, 50) if high else 0
            if fen:
                lines.append(FinanceLineInput(side, item, f"{fen // 100:,}.{fen % 100:02d}"))
                totals[side] += fen
    stated_expense = totals[EXPENSE] + (1 if off_by_one_fen else 0)
    opening = rng.randrange(5_000_000, 20_000_000, 100)
    return NoticeInput(
        category=rules.FINANCE,
        kind=rules.PUBLICITY,
        title=f"青石村{month_end.year}年{month_end.month}月财务收支情况公开",
        body=(
            f"根据村务公开有关规定，现将本村{month_end.year}年{month_end.month}月财务收支情况公开如下，"
            "接受全体村民监督。\n如有疑问，请在公示期内向村务监督委员会反映。"
        ),
        finance_lines=tuple(lines),
        stated_income=_yuan(totals[INCOME]),
        stated_expense=_yuan(stated_expense),
        opening_balance=_yuan(opening),
        places=(rules.VILLAGE_BOARD,),
    )


def _month_ends(today: date) -> list[date]:
    """The last days of the twelve months before `today`'s month, oldest first."""
    ends: list[date] = []
    first = today.replace(day=1)
    for _ in range(12):
        end = first - timedelta(days=1)
        ends.append(end)
        first = end.replace(day=1)
    return ends[::-1]


def add_demo_notices(village_id: int, today: date, actor: Actor, rng: random.Random) -> DemoNotices:
    """Fill the demo village with a year of notices up to `today` (inside the caller's transaction)."""
    clerk = actor
    secretary = _secretary(clerk, village_id)
    w = _Writer(clerk, secretary, today, rng)
    service.update_notice_settings(
        clerk,
        service.NoticeSettingsData(
            supervisory_phone=SUPERVISORY_PHONE,
            finance_busy=True,
            public_phones=((OFFICE_PHONE, "村委会办公室"),),
        ),
    )
    villagers = roster.list_villagers(clerk)
    groups = roster.list_groups(clerk)
    village_name = service.signing_bodies(clerk)[0].removesuffix("村民委员会")
    start = today - timedelta(days=365)
    elders = [v for v in villagers if v.id_number and _age(v.birth_date, today) >= 80]
    heads = [v for v in villagers if v.relation == "head" and v.id_number]
    adults = [v for v in villagers if v.id_number and 18 <= _age(v.birth_date, today) <= 60]
    young = [v for v in adults if not v.party_member and _age(v.birth_date, today) <= 40]

    def day(offset: int) -> date:
        return start + timedelta(days=offset)

    group_order = {g.id: i for i, g in enumerate(groups)}

    def pick(pool: list[VillagerRow], n: int) -> list[VillagerRow]:
        """A sample listed group by group (第一 before 第二, not in character order), then by name."""
        return sorted(rng.sample(pool, min(n, len(pool))), key=lambda v: (group_order[v.group_id], v.name))

    # 财务公开: each month's statement early the next month; the latest one still a draft that is
    # one fen off, so the clerk sees the check at work.
    ends = _month_ends(today)
    for month_end in ends[:-1]:
        w.notice(_finance(rng, month_end), month_end + timedelta(days=rng.randint(3, 6)))
    w.notice(
        _finance(rng, ends[-1], off_by_one_fen=True), min(today, ends[-1] + timedelta(days=3)), approve=False
    )

    w.notice(
        NoticeInput(
            rules.FINANCE,
            rules.ANNOUNCEMENT,
            "关于上半年村集体资金使用情况的公告",
            "上半年村集体资金收支均经村务监督委员会审核，账目清楚，票据齐全，现予以公告。",
        ),
        day(190),
    )
    w.notice(
        NoticeInput(
            rules.FINANCE,
            rules.NOTIFICATION,
            "关于清理村集体债权债务的通知",
            "请欠缴集体承包费、租赁费的农户于本月底前到村委会结清，逾期将依合同处理。",
        ),
        day(265),
    )

    # 村务公开, 公示 with subsidy lists of named villagers (ID-card numbers in full in the database).
    year = day(40).year
    low_income = pick(heads, 14)
    dibao = w.notice(
        NoticeInput(
            rules.VILLAGE,
            rules.PUBLICITY,
            f"关于{year}年度农村最低生活保障对象名单的公示",
            "各村民小组、全体村民：\n经个人申请、入户调查、村民代表评议，拟确定以下人员为农村最低生活保障对象，"
            "现予以公示。\n一、公示时间\n公示期为7天。\n二、监督方式\n"
            "对公示对象有异议的，请在公示期内向村务监督委员会反映，也可直接向镇民政办反映。",
            places=(rules.VILLAGE_BOARD, *(rules.group_place(g.id) for g in groups)),
            major=True,
            tables=(_subsidy_table(low_income, "农村最低生活保障对象名单", 45_000),),
        ),
        day(40),
    )
    if dibao.posted_at and dibao.period_end:
        wrong = low_income[0]
        w.objection(
            dibao,
            "王建民",
            f"{wrong.name}家中有两台货车、在县城有商品房，不符合低保条件。",
            dibao.posted_at + timedelta(days=2),
            handling="村务监督委员会会同镇民政办入户核查，情况属实。",
            answer=f"已将{wrong.name}从名单中删除，名单更正后重新公示。",
            answer_after=4,
        )
        w.objection(
            dibao,
            "刘秀兰",
            "我家去年因病致贫，为何没有列入名单？",
            dibao.period_end + timedelta(days=2),
            handling="公示期满后收到，已登记。",
            answer="已告知其按程序重新申请，下次评议时一并审核。",
            answer_after=5,
        )
        # The correction: the list without the household found ineligible, superseding the first.
        corrected_on = dibao.posted_at + timedelta(days=7)
        if corrected_on + timedelta(days=1) <= today:
            correction = service.correct(clerk, dibao.id, now=datetime.combine(corrected_on, time(10)))
            fixed = replace(
                correction.as_input(),
                title=f"关于{year}年度农村最低生活保障对象名单的更正公示",
                tables=(_subsidy_table(low_income[1:], "农村最低生活保障对象名单（更正）", 45_000),),
            )
            service.update_draft(clerk, correction.id, fixed)
            approved_on = corrected_on + timedelta(days=1)
            service.approve(secretary, correction.id, now=datetime.combine(approved_on, time(9, 20)))
            service.post(clerk, correction.id, approved_on, posted_by=clerk.display_name, today=today)

    w.notice(
        NoticeInput(
            rules.VILLAGE,
            rules.PUBLICITY,
            f"关于{year}年度高龄老人生活补贴发放名单的公示",
            "各村民小组、全体村民：\n根据县民政局有关规定，现将本村80周岁以上高龄老人生活补贴发放名单公示如下。"
            "\n补贴标准：每人每月100元，按季度发放。",
            tables=(_subsidy_table(pick(elders, 25), "高龄老人生活补贴发放名单", 30_000),),
        ),
        day(75),
    )
    w.notice(
        NoticeInput(
            rules.VILLAGE,
            rules.PUBLICITY,
            f"关于{year}年耕地地力保护补贴面积及金额的公示",
            "各村民小组：\n现将本村耕地地力保护补贴面积及金额予以公示，请各户认真核对。"
            f"\n补贴标准：每亩{_yuan(FARMLAND_FEN_PER_MU)}元，按确权承包地面积计算。"
            f"\n如对面积有疑问，请与村委会办公室联系，电话{OFFICE_PHONE}。",
            tables=(_farmland_table(pick(heads, 40), rng),),
            period_unit="working_days",
            period_days=5,
        ),
        day(130),
    )
    applicant, plot = rng.choice(adults).name, rng.choice(groups).name
    homestead = w.notice(
        NoticeInput(
            rules.VILLAGE,
            rules.PUBLICITY,
            "关于农村宅基地建房申请的公示",
            f"经村民小组会议讨论，{applicant}申请在本村{plot}新建住宅一处，占地面积120平方米，符合村庄规划，现予以公示。",
            major=True,
        ),
        day(160),
        attachments=(("宅基地位置示意图.jpg", _site_plan(applicant)),),
    )
    if homestead.posted_at:
        w.objection(
            homestead,
            "张志刚",
            "该宅基地东侧与我家承包地相邻，担心占用我家地块。",
            homestead.posted_at + timedelta(days=1),
            handling="村委会组织双方现场测量，四至清楚，未占用承包地。",
            answer="已当面答复，申请人按规划红线建设。",
        )
    w.notice(
        NoticeInput(
            rules.VILLAGE,
            rules.PUBLICITY,
            "关于村内道路硬化工程实施结果的公示",
            "一、项目概况\n经村民代表会议决议，实施村内道路硬化工程，全长1.2公里，宽4.5米。\n"
            "二、资金使用\n项目总投资38.6万元，其中一事一议财政奖补资金30万元，村集体自筹8.6万元。\n"
            "三、验收情况\n工程已于近期完工，经镇村两级验收合格。",
            major=True,
        ),
        day(215),
        attachments=(("竣工验收单.pdf", _acceptance_report(village_name)),),
    )
    recent = w.notice(
        NoticeInput(
            rules.VILLAGE,
            rules.PUBLICITY,
            "关于公益性岗位拟聘用人员的公示",
            "经个人申请、资格审查，拟聘用以下人员为本村公益性岗位（保洁员、护林员），现予以公示。",
            tables=(_subsidy_table(pick(adults, 6), "拟聘用人员名单", 80_000),),
        ),
        today - timedelta(days=5),
    )
    if recent.posted_at:
        w.objection(
            recent, "赵国庆", "名单中有人已在外地务工，无法到岗。", today, handling="已转村务监督委员会核实。"
        )

    # 村务公开, 公告 and 通知.
    for offset, kind, title, body in (
        (
            20,
            rules.ANNOUNCEMENT,
            "关于村民代表会议决议事项的公告",
            "本村村民代表会议于近日召开，应到代表33人，实到29人，审议通过了村集体资产租赁方案。现予以公告。",
        ),
        (
            95,
            rules.NOTIFICATION,
            "关于缴纳城乡居民医疗保险费的通知",
            "各村民小组：\n城乡居民医疗保险集中缴费工作已经开始，请各户在规定期限内完成缴费。联系人：村文书。",
        ),
        (
            180,
            rules.NOTIFICATION,
            "关于做好防汛工作的通知",
            "汛期将至，请各组组长做好河道、山塘巡查，发现险情及时报告。",
        ),
        (
            250,
            rules.ANNOUNCEMENT,
            "关于集体土地承包经营结果的公告",
            "经公开竞价，村集体机动地20亩由本村种植大户承包经营，承包期五年，年租金每亩600元。",
        ),
        (
            330,
            rules.NOTIFICATION,
            "关于秸秆禁烧的通知",
            "严禁露天焚烧秸秆，违者依法处理。请各户做好秸秆还田和综合利用。",
        ),
    ):
        w.notice(NoticeInput(rules.VILLAGE, kind, title, body), day(offset))

    # 党务公开.
    for offset, kind, title, body in (
        (
            30,
            rules.PUBLICITY,
            "关于发展党员对象的公示",
            "经支部委员会研究，拟将以下同志列为发展对象，现予以公示。如有意见，请向党支部或镇党委组织办反映。",
        ),
        (
            120,
            rules.ANNOUNCEMENT,
            "关于第一季度党费收缴情况的公告",
            "本支部第一季度应缴党费党员全部按时足额缴纳。",
        ),
        (
            200,
            rules.PUBLICITY,
            "关于预备党员转正的公示",
            "经支部大会讨论，拟同意一名预备党员按期转为正式党员，现予以公示。",
        ),
        (
            300,
            rules.NOTIFICATION,
            "关于召开党员大会的通知",
            "定于本月15日上午9时在村委会会议室召开党员大会，请全体党员准时参加。",
        ),
        (
            345,
            rules.ANNOUNCEMENT,
            "关于主题党日活动安排的公告",
            "本月主题党日活动为学习新修订的村民委员会组织法，地点村党群服务中心。",
        ),
    ):
        tables = (_candidates_table(pick(young, 3), today),) if "发展党员对象" in title else ()
        w.notice(NoticeInput(rules.PARTY, kind, title, body, tables=tables), day(offset))

    # A withdrawn notice (approved, then found premature) and two waiting for the board.
    withdrawn = w.notice(
        NoticeInput(
            rules.VILLAGE, rules.NOTIFICATION, "关于开展人居环境整治评比的通知", "评比办法另行通知。"
        ),
        day(280),
        post=False,
    )
    if withdrawn.state == rules.APPROVED:
        service.withdraw(secretary, withdrawn.id, now=datetime.combine(day(282), time(11)))
    for kind, title, body in (
        (
            rules.ANNOUNCEMENT,
            "关于第四季度村级事务公开的公告",
            "本季度村级事务公开目录及内容已在村务公开栏张贴，请各户查阅。",
        ),
        (rules.NOTIFICATION, "关于冬季森林防火的通知", "进入冬季森林防火期，严禁野外用火，请各户注意。"),
    ):
        w.notice(
            NoticeInput(rules.VILLAGE, kind, title, body),
            max(start, today - timedelta(days=3)),
            post=False,
        )
    w.notice(
        NoticeInput(
            rules.VILLAGE,
            rules.PUBLICITY,
            "关于征地补偿款分配方案的公示",
            "各村民小组、全体村民：\n"
            f"根据{document_date(today)}村民代表会议决议，拟定征地补偿款分配方案如下。\n"
            "一、征地情况\n县道拓宽工程征收本村集体土地，土地补偿费已拨付到村集体账户。\n"
            "二、分配原则\n土地补偿费的70%按被征地面积分配到被征地农户，30%留村集体用于公益事业。\n"
            "三、分配明细\n被征地农户分配明细见下表。",
            major=True,
            tables=(_land_table(pick(heads, 12), rng),),
        ),
        today,
        approve=False,
    )

    rows = service.list_notices(clerk)
    return DemoNotices(len(rows), w.objections, dict(Counter(r.state for r in rows)))
