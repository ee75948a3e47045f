"""The council's papers: meeting notice, sign-in sheet, minutes and resolution, in the official layout.

Layouts take the service's plain documents (already in the document language) and give back
`OfficialDocument`s; the words they add are Chinese because the papers are kept and posted in the
village, whatever the screen speaks. Nothing here reads the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from villagegov.core.i18n import document_date
from villagegov.core.numbering import chinese_numeral
from villagegov.core.privacy import Audience
from villagegov.council.records import (
    MeetingNoticeDocument,
    MinutesDocument,
    MinutesItem,
    ResolutionDocument,
    SignInSheetDocument,
    VoteLine,
)
from villagegov.printing.document import (
    Block,
    Heading,
    OfficialDocument,
    Signature,
    TableBlock,
    Text,
    render,
    render_bytes,
    sign_here,
)
from villagegov.printing.template import Paper

RESOLUTION_DRAFT_MARK = "（会议记录尚未签字确认，本决议仅供核对）"
WEEKDAYS = "一二三四五六日"
SIGN_ROW_MM = 9  # room for a signature on the sign-in sheet
BLANK = "＿＿＿＿"  # a short blank to fill in by hand


def when(day: date, time: str = "") -> str:
    """2026年3月1日（星期日）14:30."""
    text = f"{document_date(day)}（星期{WEEKDAYS[day.weekday()]}）"
    return f"{text}{time}" if time else text


def _names(names: Sequence[str]) -> str:
    return "、".join(names) if names else "无"


def _fact(label: str, value: str) -> Text:
    return Text(f"{label}：{value or BLANK}", indent=False, align="left")


# --- 会议通知 ---------------------------------------------------------------------------------------


def notice_document(doc: MeetingNoticeDocument, paper: Paper = Paper.A4) -> OfficialDocument:
    """会议通知 to the members: when, where, who chairs, the agenda, and what is asked of them."""
    if doc.convener and doc.convener == doc.chair:
        chaired = f"，会议由{doc.chair}召集并主持"
    else:
        convened = f"由{doc.convener}召集" if doc.convener else ""
        presided = f"由{doc.chair}主持" if doc.chair else ""
        chaired = f"，会议{'，'.join(p for p in (convened, presided) if p)}" if convened or presided else ""
    blocks: list[Block] = [
        Text("各位议事会成员：", indent=False, align="left"),
        Text(
            f"经研究，定于{when(doc.date, doc.time)}在{doc.place}召开{doc.council}{doc.meeting_title}"
            f"{chaired}。现将有关事项通知如下："
        ),
        Heading("一、会议议题"),
    ]
    if not doc.items:
        blocks.append(Text("会议议题另行通知。"))
    for item in doc.items:
        proposer = f"（提议人：{item.proposer}）" if item.proposer else ""
        blocks.append(Heading(f"{item.order}. {item.title}{proposer}", 3))
        if item.background:
            blocks.append(Text(item.background))
    blocks += [
        Heading("二、参会人员"),
        Text(f"议事会全体成员（{len(doc.recipients)}人）：{_names(doc.recipients)}。"),
        Heading("三、有关要求"),
        Text(
            "请各位成员提前了解议题内容，听取群众意见，准时参会。因故不能参会的，请于会前向会议召集人请假。"
        ),
        Text("议题与本人或近亲属有利害关系的，应当主动申请回避，不参加该议题的讨论和表决。"),
    ]
    return OfficialDocument(
        title=f"{doc.council}关于召开{doc.meeting_title}的通知",
        blocks=tuple(blocks),
        signature=Signature(doc.council, doc.sign_date),
        paper=paper,
        author=doc.council,
        subject=f"会议通知 {doc.meeting_title}",
        keywords=(doc.meeting_title,),
        audience=Audience.PUBLIC,  # posted, and handed to the members
        masking=doc.masking,
    )


# --- 签到表 ------------------------------------------------------------------------------------------


def sign_in_document(doc: SignInSheetDocument, paper: Paper = Paper.A4) -> OfficialDocument:
    """签到表: the expected members with an empty column to sign, then the observers (列席)."""
    members = tuple((str(r.order), r.name, r.role, r.group, "", "") for r in doc.rows)
    observers = [(str(n), o.name, o.kind, o.note, "") for n, o in enumerate(doc.observers, start=1)]
    observers += [(str(len(observers) + n), "", "", "", "") for n in range(1, doc.blank_observer_rows + 1)]
    blocks: list[Block] = [
        _fact("会议时间", when(doc.date, doc.time)),
        _fact("会议地点", doc.place),
        Text(
            f"主持人：{doc.chair or BLANK}　记录人：{doc.recorder or BLANK}　"
            f"应到{doc.expected}人　实到{BLANK}人",
            indent=False,
            align="left",
        ),
        Text("请本人亲笔签名，不得代签。列席人员不参加表决。", indent=False, align="left"),
        TableBlock(
            ("序号", "姓名", "职务", "村民小组", "本　人　签　名", "备　注"),
            members,
            caption="议事会成员签到",
            row_mm=SIGN_ROW_MM,
        ),
    ]
    if observers:
        blocks.append(
            TableBlock(
                ("序号", "姓名", "列席类别", "职务或单位", "本　人　签　名"),
                tuple(observers),
                caption="列席人员签到",
                row_mm=SIGN_ROW_MM,
                blank_rows=doc.blank_observer_rows,
            )
        )
    return OfficialDocument(
        title=f"{doc.council}{doc.meeting_title}签到表",
        blocks=tuple(blocks),
        paper=paper,
        author=doc.council,
        subject=f"签到表 {doc.meeting_title}",
        audience=Audience.ON_FILE,  # signed at the meeting, kept with its record
        masking=doc.masking,
        keywords=(doc.meeting_title,),
    )


# --- 会议记录 ----------------------------------------------------------------------------------------


def vote_sentence(vote: VoteLine) -> str:
    """How an item was voted and decided, every number in words a villager checks."""
    recused = f"，回避{vote.recused}人" if vote.recused else ""
    not_voting = f"，未表决{vote.not_voting}人" if vote.not_voting else ""
    return (
        f"表决方式：{vote.method}。应到{vote.expected}人，实到{vote.present}人{recused}，"
        f"有表决权的{vote.eligible}人。赞成{vote.for_}票，反对{vote.against}票，弃权{vote.abstain}票"
        f"{not_voting}。通过须{vote.threshold}，即至少{vote.needed}票赞成。表决结果：{vote.outcome_label}。"
    )


def _item_blocks(number: int, item: MinutesItem, held: bool) -> list[Block]:
    two_thirds = "（须三分之二以上通过）" if item.needs_two_thirds else ""
    blocks: list[Block] = [Heading(f"（{chinese_numeral(number)}）{item.title}{two_thirds}", 2)]
    if item.proposer:
        blocks.append(Text(f"提议人：{item.proposer}。"))
    if item.background:
        blocks.append(Text(f"议题说明：{item.background}"))
    if not held:
        blocks.append(Text("会议未达到规定人数，本议题未进行讨论和表决。"))
        return blocks
    blocks.append(Text(f"讨论情况：{item.minutes}" if item.minutes else "讨论情况：（未记录）"))
    for recusal in item.recused:
        reason = f"（{recusal.reason}）" if recusal.reason else ""
        blocks.append(Text(f"{recusal.name}{reason}申请回避，未参加本议题的讨论和表决。"))
    if not item.for_vote:
        blocks.append(Text("本议题为通报事项，不进行表决。"))
    elif item.vote is None:
        blocks.append(Text("表决情况：尚未表决。"))
    else:
        blocks.append(Text(vote_sentence(item.vote)))
        if item.vote.roll_call:
            blocks.append(
                TableBlock(
                    ("序号", "成员", "表决意见"),
                    tuple((str(n), name, choice) for n, (name, choice) in enumerate(item.vote.roll_call, 1)),
                    caption="逐人表决情况",
                )
            )
    if item.resolution_number:
        blocks.append(Text(f"形成决议：{item.resolution_number}。"))
    return blocks


def draft_mark(doc: MinutesDocument) -> str:
    """Under the title of a record not yet finalised: who has signed it, in the words the screen shows
    (rules.signatures_sentence), so that paper and screen never disagree."""
    return f"（{doc.signatures}）"


def minutes_document(doc: MinutesDocument, paper: Paper = Paper.A4) -> OfficialDocument:
    """会议记录: the meeting, who came, what was said and decided on each item, corrections, signatures."""
    absent = len(doc.absent)
    blocks: list[Block] = [
        _fact("会议时间", when(doc.date, doc.time)),
        _fact("会议地点", doc.place),
        Text(
            f"召集人：{doc.convener or BLANK}　　主持人：{doc.chair or BLANK}　　"
            f"记录人：{doc.recorder or BLANK}",
            indent=False,
            align="left",
        ),
        Heading("一、出席情况"),
    ]
    if doc.quorum_result:
        blocks.append(
            Text(
                f"应到成员{doc.expected}人，实到{doc.present}人，缺席{absent}人。按照议事规则，须{doc.quorum_text}"
                f"（{doc.quorum_needed}人）出席方可举行会议。{doc.quorum_result}"
            )
        )
        blocks.append(Text(f"出席成员：{_names(doc.present_names)}。"))
        if doc.absent:
            gone = [f"{a.name}（{a.reason}）" if a.reason else a.name for a in doc.absent]
            blocks.append(Text(f"缺席成员：{'、'.join(gone)}。"))
    else:
        blocks.append(Text(f"应到成员{doc.expected}人；出席情况尚未登记。"))
    if doc.observers:
        seen = [f"{o.name}（{o.note or o.kind}）" for o in doc.observers]  # 陈淑芬（监委会主任）
        blocks.append(Text(f"列席人员：{'、'.join(seen)}。"))
    blocks.append(Heading("二、会议概况"))
    blocks.append(Text(doc.minutes or "（未记录）"))
    if doc.items:
        blocks.append(Heading("三、议题及表决情况"))
        for number, item in enumerate(doc.items, start=1):
            blocks += _item_blocks(number, item, doc.held)
    if doc.amendments:
        blocks.append(Heading(f"{'四' if doc.items else '三'}、更正记录"))
        blocks.append(Text("以下内容在会议记录签字确认后经核实更正，原记录保留如下："))
        blocks.append(
            TableBlock(
                ("序号", "更正事项", "原记录", "更正为", "更正理由", "更正人及日期"),
                tuple(
                    (
                        str(n),
                        a.what,
                        a.original or "（空）",
                        a.corrected or "（空）",
                        a.reason,
                        f"{a.by} {document_date(a.at.date())}",
                    )
                    for n, a in enumerate(doc.amendments, start=1)
                ),
            )
        )
    signed = {
        "主持人": (doc.chair, doc.chair_signed_on),
        "记录人": (doc.recorder, doc.recorder_signed_on),
    }
    for role, (name, on) in signed.items():
        line = sign_here(f"{role}（签字）", name if on else "", document_date(on) if on else "")
        blocks.append(Text(line, indent=False, align="left"))
    return OfficialDocument(
        title=f"{doc.council}{doc.meeting_title}记录",
        number="" if doc.final else draft_mark(doc),
        blocks=tuple(blocks),
        paper=paper,
        author=doc.council,
        subject=f"会议记录 {doc.meeting_title}",
        keywords=(doc.meeting_title,),
        audience=Audience.ON_FILE,  # the meeting's record, kept on file
        masking=doc.masking,
    )


# --- 决议 --------------------------------------------------------------------------------------------


def resolution_document(doc: ResolutionDocument, paper: Paper = Paper.A4) -> OfficialDocument:
    """决议: adopted at which meeting, by how many votes, and what was resolved."""
    vote = doc.vote
    recused = f"（回避{vote.recused}人）" if vote.recused else ""
    blocks: list[Block] = []
    if not doc.final:
        blocks.append(Text(RESOLUTION_DRAFT_MARK, indent=False, align="centre"))
    blocks.append(
        Text(
            f"{document_date(doc.meeting_date)}，{doc.council}在{doc.place}召开{doc.meeting_title}，"
            f"审议了“{doc.item_title}”。会议应到成员{vote.expected}人，实到{vote.present}人{recused}，"
            f"有表决权的{vote.eligible}人。经{vote.method}，赞成{vote.for_}票，反对{vote.against}票，"
            f"弃权{vote.abstain}票，赞成票{vote.threshold}，议题获得通过。"
        )
    )
    text = doc.text.strip()
    if text:
        blocks.append(Text("现决议如下："))
        blocks += [Text(line.strip()) for line in text.split("\n") if line.strip()]
    else:
        blocks.append(Text(f"会议同意“{doc.item_title}”。"))
    blocks.append(Text("本决议自通过之日起执行。涉及村民利益的事项，按规定予以公开，接受村民监督。"))
    return OfficialDocument(
        title=doc.title,
        number=doc.number,
        blocks=tuple(blocks),
        signature=Signature(doc.council, doc.sign_date),
        paper=paper,
        author=doc.council,
        subject=f"决议 {doc.number}",
        audience=Audience.PUBLIC,  # 决议公开: posted for the villagers
        masking=doc.masking,
    )


# --- files and bytes ------------------------------------------------------------------------------------


def render_minutes(doc: MinutesDocument, path: Path | str, paper: Paper = Paper.A4) -> Path:
    return render(minutes_document(doc, paper), path)


def notice_bytes(doc: MeetingNoticeDocument, paper: Paper = Paper.A4) -> bytes:
    return render_bytes(notice_document(doc, paper))


def sign_in_bytes(doc: SignInSheetDocument, paper: Paper = Paper.A4) -> bytes:
    return render_bytes(sign_in_document(doc, paper))


def minutes_bytes(doc: MinutesDocument, paper: Paper = Paper.A4) -> bytes:
    return render_bytes(minutes_document(doc, paper))


def resolution_bytes(doc: ResolutionDocument, paper: Paper = Paper.A4) -> bytes:
    return render_bytes(resolution_document(doc, paper))
