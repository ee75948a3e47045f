"""The archive's printed documents: the catalogue (案卷目录) and the township's review (乡镇审查意见).

Layouts take plain data and give back `OfficialDocument`s; their words are Chinese, as on all paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from villagegov.core.i18n import document_date
from villagegov.core.privacy import Audience
from villagegov.printing.document import Heading, OfficialDocument, Signature, TableBlock, Text, sign_here


@dataclass(frozen=True)
class CatalogueItem:
    number: int
    title: str
    on: date
    pages: int
    personal_data: bool
    record: str  # 公开事项 12


@dataclass(frozen=True)
class CatalogueData:
    village: str
    township: str
    county: str
    start: date
    end: date
    exporter: str
    exported_at: str
    records: int
    audit_entries: int
    audit_head: str  # 2173 9f2c…
    items: tuple[CatalogueItem, ...]


def _period(start: date, end: date) -> str:
    if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31 and start.year == end.year:
        return f"{start.year}年度"
    return f"{document_date(start)}至{document_date(end)}"


def _time(iso: str) -> str:
    """2026-11-29T15:56:11.774992+08:00 → 2026年11月29日15:56 (as the exporting computer's clock said)."""
    from datetime import datetime

    moment = datetime.fromisoformat(iso)
    return f"{document_date(moment.date())}{moment:%H:%M}"


def _grouped(head: str) -> str:
    """ "4946 7670…d4be" → "4946 76704291 6bba899c …": a 64-digit hash in groups of eight, which a line may
    break between (unbroken, it took a line of its own and left the line before stretched) and a reader
    compares group by group."""
    seq, _, digest = head.partition(" ")
    return " ".join([seq, *(digest[i : i + 8] for i in range(0, len(digest), 8))])


def catalogue_document(data: CatalogueData) -> OfficialDocument:
    pages = sum(i.pages for i in data.items)
    intro = (
        f"本目录列出{data.county}{data.township}{data.village}{_period(data.start, data.end)}村级档案中的"
        f"全部文书，共{len(data.items)}件{pages}页；另有数据记录{data.records}条、操作日志{data.audit_entries}条。"
        f"导出人：{data.exporter}；导出时间：{_time(data.exported_at)}。"
    )
    # Dates as 卷内目录 write them (DA/T 22): eight digits, which fit the narrow column.
    rows = tuple(
        (
            str(i.number),
            i.title,
            i.on.strftime("%Y%m%d"),
            str(i.pages),
            "是" if i.personal_data else "",
            i.record,
        )
        for i in data.items
    )
    blocks = [
        Text(intro),
        Text(
            f"操作日志链头（序号与散列值）：{_grouped(data.audit_head)}。本目录与档案包一同签名，可据此核对日志是否完整。",
            verbatim=True,  # a hash: masking could take a run of its digits for a phone number
        ),
        Text("“个人信息”一栏标“是”的文书载有村民姓名（身份证号码、电话号码已作遮蔽处理），查阅时注意保护。"),
        TableBlock(
            ("序号", "题名", "日期", "页数", "个人信息", "备注"), rows, caption="文书目录", row_mm=0.01
        ),
    ]
    return OfficialDocument(
        title=f"{data.village}{_period(data.start, data.end)}村级档案案卷目录",
        blocks=tuple(blocks),
        signature=Signature(f"{data.village}村民委员会", date.fromisoformat(data.exported_at[:10])),
        author=f"{data.village}村民委员会",
        subject="案卷目录",
        audience=Audience.ON_FILE,  # 案卷目录: kept with the archive
    )


# What a package holds of each room, as the review prints it (paper is Chinese).
COUNT_TEXT = {
    "villagers": "村民{n}名",
    "meetings": "议事会会议{n}次",
    "decisions": "重大事项{n}件",
    "ceremonies": "红白事{n}起",
    "notices": "公开事项{n}份",
    "petition": "民情事项{n}件",
    "mediation": "调解纠纷{n}起",
}


def count_text(counts: Sequence[tuple[str, int]]) -> str:
    return "、".join(COUNT_TEXT.get(kind, kind + "{n}").format(n=n) for kind, n in counts)


@dataclass(frozen=True)
class RoomReview:
    room: str  # 村民议事会
    counts: str  # 会议9次、决议9项: what the package holds of the room
    findings: tuple[str, ...]


@dataclass(frozen=True)
class VillageReview:
    village: str
    period: str  # 2026年度
    package: str  # 导出时间 and fingerprint, as printed
    rooms: tuple[RoomReview, ...]
    documents: int
    pages: int

    @property
    def findings(self) -> int:
        return sum(len(r.findings) for r in self.rooms)


def _numeral(index: int) -> str:
    """一 … 十, 十一 … 九十九 (headings number villages and rooms so), then Arabic."""
    digits = "一二三四五六七八九"
    n = index + 1
    if n < 10:
        return digits[n - 1]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else digits[tens - 1]) + "十" + (digits[ones - 1] if ones else "")
    return str(n)


def review_document(
    township: str, county: str, title_period: str, villages: Sequence[VillageReview], on: date
) -> OfficialDocument:
    blocks: list = [
        Text(
            f"{township}对所辖{len(villages)}个村报送的{title_period}村级档案进行了审查。档案包均经校验：内容完整，"
            "校验值与签名相符，签名密钥为各村在乡镇登记的密钥，操作日志连续。审查意见如下。"
        )
    ]
    if len(villages) > 1:
        blocks.append(
            TableBlock(
                ("村名", "文书（件）", "需关注（项）"),
                tuple((v.village, str(v.documents), str(v.findings)) for v in villages),
                caption="各村概况",
            )
        )
    for index, v in enumerate(villages):
        blocks.append(Heading(f"{_numeral(index)}、{v.village}", 1))
        # The package's export time and key fingerprint, as the app wrote them: no masking.
        blocks.append(
            Text(f"档案期间：{v.period}；{v.package}；文书{v.documents}件{v.pages}页。", verbatim=True)
        )
        blocks.append(
            TableBlock(
                ("事项", "档案所载", "需关注（项）"),
                tuple((r.room, r.counts, str(len(r.findings))) for r in v.rooms),
                shares=(3, 5, 2),
            )
        )
        if not v.findings:
            blocks.append(Text("未发现需关注事项。"))
            continue
        blocks.append(Text(f"需关注事项共{v.findings}项，分列如下。"))
        rooms = [r for r in v.rooms if r.findings]
        for number, room in enumerate(rooms):
            blocks.append(Heading(f"（{_numeral(number)}）{room.room}（{len(room.findings)}项）", 2))
            for n, finding in enumerate(room.findings, start=1):
                blocks.append(Text(f"{n}. {finding}"))
        blocks.append(Text("请该村对上述事项逐项核实，需补正的按程序补正，并于下次报送时说明。"))
    return OfficialDocument(
        title=f"{township}{title_period}村级档案审查意见",
        blocks=tuple(blocks),
        signature=Signature(f"{county}{township}人民政府", on),
        author=f"{township}人民政府",
        subject="乡镇审查意见",
        audience=Audience.ON_FILE,  # the township's review, kept on file
    )


@dataclass(frozen=True)
class HeadRecordData:
    village: str
    township: str
    county: str
    chain: int
    seq: int
    hash: str
    made_at: str  # ISO time with offset
    made_by: str
    file_name: str  # the small file written beside the paper


def head_record_document(data: HeadRecordData) -> OfficialDocument:
    """操作日志链头记录: the audit chain's head on a dated paper, signed by hand and kept outside the
    computer, so that a later `villagegov check --head` (or anyone comparing the hash) sees entries
    deleted or rewritten since (RELIABILITY.md: the chain needs an anchor)."""
    place = f"{data.county}{data.township}{data.village}"
    rows = (
        ("村名", place),
        ("操作日志链编号", str(data.chain)),
        ("最后一条日志序号", str(data.seq)),
        ("散列值（检查结果中的“校验码”）", _grouped(f"{data.seq} {data.hash}").partition(" ")[2]),
        ("记录时间", _time(data.made_at)),
        ("记录人", data.made_by),
        ("电子文件", data.file_name),
    )
    blocks = [
        Text(
            f"本记录载明{place}村务操作日志在{_time(data.made_at)}的链头。日志逐条相扣：此后新增日志不影响本记录，"
            "此后如有日志被删除或改写，核对即可发现。"
        ),
        TableBlock(("项目", "内容"), rows, shares=(3, 7)),
        Text(
            "本记录经签字后由村务监督委员会保存（可另报乡镇一份）。核对时运行"
            f"“villagegov check --head {data.file_name}”，或在检查结果中逐组比对同一序号日志的校验码。"
        ),
        Text(sign_here("记录人（签字）"), indent=False),
        Text(sign_here("村务监督委员会（签字）"), indent=False),
    ]
    return OfficialDocument(
        title=f"{data.village}村务操作日志链头记录",
        blocks=tuple(blocks),
        signature=Signature(f"{data.village}村民委员会", date.fromisoformat(data.made_at[:10])),
        author=f"{data.village}村民委员会",
        subject="操作日志链头记录",
    )
