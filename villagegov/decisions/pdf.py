"""一事一档: a major matter's dossier as one document in the official layout.

A cover sheet (the matter, its dossier number, where it stands, the list of its papers), then each
step's record in the order it was made (earlier rounds and corrected records included, marked), the
resolution, and copies of the two 公示 with their posting records. The layout takes the service's
plain, already-masked `DossierDocument`; its words are Chinese because the dossier is a village
archive, whatever the screen speaks.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from villagegov.core import voting
from villagegov.core.calendar import WORKING_DAYS
from villagegov.core.i18n import document_date, in_document_language
from villagegov.core.numbering import chinese_numeral
from villagegov.core.privacy import Audience
from villagegov.decisions import rules
from villagegov.decisions.records import (
    DecisionDetail,
    DossierDocument,
    NoticeCopy,
    PersonRow,
    StepRow,
)
from villagegov.notices import pdf as notice_pdf
from villagegov.printing.document import (
    Block,
    Heading,
    OfficialDocument,
    PageBreak,
    Signature,
    TableBlock,
    Text,
    render,
    render_bytes,
)
from villagegov.printing.template import Paper

FACTS = ("项目", "内容")
SUBJECT = "一事一档"  # the PDF's subject starts with it, then the dossier's number and the matter's title
NOTICE_NAMES = {rules.DISCLOSE_RESOLUTION: "决议公示", rules.DISCLOSE_RESULT: "实施结果公示"}


def yuan(fen: int | None) -> str:
    return "不涉及" if fen is None else f"{notice_pdf.yuan(fen)}元"


def _day(value: date | None) -> str:
    return document_date(value) if value else ""


def _names(people: Sequence[PersonRow]) -> str:
    return "、".join(p.name + (f"（{p.note}）" if p.note else "") for p in people)


def _observers(rows: Sequence[PersonRow]) -> str:
    """陈淑芬（监委会，监委会主任）: each observer with what they are and their position."""
    return "、".join(
        f"{o.name}（{'，'.join(x for x in (rules.person_kind_label(o.kind), o.note) if x)}）" for o in rows
    )


def _step_heading(row: StepRow) -> str:
    return f"第{chinese_numeral(rules.step_number(row.step))}步 {rules.step_label(row.step)}"


def _attendance(row: StepRow) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if row.body == rules.VILLAGERS:
        out.append(("通知村民日期", f"{_day(row.notified_on)}（提前{rules.NOTICE_DAYS}日以上）"))
        out.append(("到会情况", f"本村十八周岁以上村民{row.expected}人，到会{row.present}人；"
                                f"全村{row.households}户，到会户代表{row.households_present}户"))  # fmt: skip
        return out
    out.append(("应到、实到", f"应到{row.expected}人，实到{row.present}人"))
    if row.body == rules.REPRESENTATIVES and row.representatives is not None:
        committee = (row.expected or 0) - row.representatives
        out.append(
            (
                "会议组成",
                f"村民代表{row.representatives}人（其中妇女代表{row.women_representatives}人），"
                f"村民委员会成员{committee}人",
            )
        )
    present = [p for p in row.members if p.present]
    absent = [p for p in row.members if not p.present]
    if present and row.council is None:
        out.append(("出席人员", _names(present)))
    if absent:
        out.append(("缺席人员", _names(absent)))
    return out


def _vote(row: StepRow) -> list[tuple[str, str]]:
    if row.step not in rules.VOTING_STEPS or row.outcome not in voting.RESULTS:
        return []
    out = []
    if row.quorum is not None:
        out.append(("法定人数", voting.threshold_text(row.quorum, voting.MEMBERS)))
    counts = f"赞成{row.for_ or 0}票，反对{row.against or 0}票，弃权{row.abstain or 0}票"
    if row.recused:
        counts += f"，回避{row.recused}人"
    out.append(("表决结果", counts))
    if row.pass_threshold is not None and row.needed is not None:
        out.append(("通过要求", f"赞成票须{row.threshold_text()}（至少{row.needed}票）"))
    return out


def _supervision(row: StepRow) -> list[Block]:
    out: list[Block] = []
    for s in row.supervision:
        if s.kind == rules.CONCERN:
            text = f"村务监督委员会{s.by_name}于{document_date(s.on)}提出意见：{s.text}"
            if s.answered_on is not None:
                text += f"；{document_date(s.answered_on)}答复：{s.answer}"
            else:
                text += "（尚未答复）"
        else:
            text = f"村务监督委员会{s.by_name}于{document_date(s.on)}签字确认" + (
                f"：{s.text}" if s.text else "。"
            )
        out.append(Text(text))
    return out


def _meeting_rows(row: StepRow) -> list[tuple[str, str]]:
    body = row.council.council if row.council is not None else rules.body_label(row.body)
    rows = [("会议", body)]
    if row.joint:
        rows.append(("说明", "与第一步合并召开（村党组织书记、村民委员会主任“一肩挑”）"))
    rows += [
        ("时间", _day(row.held_on)),
        ("地点", row.place),
        ("主持人", row.chair),
        ("记录人", row.recorder),
    ]
    if row.council is not None:
        c = row.council
        source = f"{c.council}{c.meeting_title}会议记录，议题：{c.title}"
        if c.resolution_number:
            source += f"，决议编号{c.resolution_number}"
        rows.append(("会议记录", source))
    rows += _attendance(row)
    if row.observers:
        rows.append(("列席人员", _observers(row.observers)))
    rows += _vote(row)
    rows.append(("结论", rules.outcome_label(row.outcome)))
    return [(k, v) for k, v in rows if v]


def _disclosure_rows(row: StepRow, d: DecisionDetail) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if row.step == rules.DISCLOSE_RESULT:
        span = _day(d.work_started_on) + (f"至{_day(d.work_ended_on)}" if d.work_ended_on else "")
        rows += [("实施时间", span), ("决议金额", yuan(d.amount_fen)), ("实际支出", yuan(d.spent_fen))]
    n = row.notice
    if n is not None:
        rows.append(("公示文号", n.number or "（未审批）"))
        rows.append(("公示标题", n.title))
        if n.posted_at:
            rows.append(("张贴日期", _day(n.posted_at)))
            rows.append(("张贴地点", "、".join(n.places)))
        if n.period_start and n.period_end:
            rows.append(("公示期", f"{_day(n.period_start)}至{_day(n.period_end)}"))
        rows.append(("异议", f"{len(n.objections)}件" if n.objections else "无"))
    if row.completed_on:
        rows.append(("完成日期", _day(row.completed_on)))
    rows.append(("结论", rules.outcome_label(row.outcome)))
    return [(k, v) for k, v in rows if v]


def _step_blocks(index: int, row: StepRow, d: DecisionDetail) -> list[Block]:
    title = f"{chinese_numeral(index)}、{_step_heading(row)}"
    if d.round > 1 or row.round > 1:
        title += f"（第{row.round}轮）"
    blocks: list[Block] = [Heading(title, 1)]
    if row.corrects is not None:
        blocks.append(Text(f"本记录更正前一记录，更正理由：{row.correction_reason}"))
    if row.superseded:
        blocks.append(Text("本记录已被更正，以更正后的记录为准；原记录保留备查。"))
    rows = _meeting_rows(row) if row.step in rules.MEETING_STEPS else _disclosure_rows(row, d)
    blocks.append(TableBlock(FACTS, tuple(rows)))
    if row.step == rules.DISCLOSE_RESULT and d.work_done:
        blocks.append(Text(f"实施情况：{d.work_done}"))
    if row.summary:
        blocks.append(Text(f"会议情况：{row.summary}"))
    if row.text:
        label = {rules.PROPOSE: "提议内容", rules.DISCUSS: "商议意见", rules.REVIEW: "审议意见"}.get(
            row.step, "决议内容"
        )
        blocks.append(Text(f"{label}：{row.text}"))
    blocks += _supervision(row)
    return blocks


def _cover(doc: DossierDocument) -> list[Block]:
    d = doc.decision
    state = rules.state_label(d.state)
    rows = [
        ("事项名称", d.title),
        ("事项类别", rules.kind_label(d.kind)),
        ("涉及金额", yuan(d.amount_fen)),
        ("立项日期", _day(d.opened_on)),
        ("事项背景", d.background),
        ("办理状态", state + (f"（{_day(d.ended_on)}）" if d.ended_on else "")),
        ("当前步骤", _step_heading_of(d.progress.step) if d.state == rules.IN_PROGRESS else ""),
        ("立卷单位", doc.committee),
        ("监督单位", doc.supervisory),
    ]
    blocks: list[Block] = [TableBlock(FACTS, tuple((k, v) for k, v in rows if v), caption="案卷封面")]
    contents: list[tuple[str, str]] = []
    for row in d.steps:
        contents.append((_step_heading(row) + ("（已更正）" if row.superseded else ""), _day(row.date)))
    resolution = d.current(rules.RESOLVE)
    if resolution is not None and resolution.outcome == voting.PASSED:
        contents.append(("决议", _day(resolution.date)))
    for copy in doc.notices:
        contents.append((f"{NOTICE_NAMES[copy.step]}及张贴记录", _day(copy.posted_at)))
    numbered = tuple((str(i), what, when) for i, (what, when) in enumerate(contents, start=1))
    blocks.append(TableBlock(("序号", "文件材料", "日期"), numbered, caption="卷内目录"))
    return blocks


def _step_heading_of(step: str) -> str:
    return f"第{chinese_numeral(rules.step_number(step))}步 {rules.step_label(step)}"


def _resolution(doc: DossierDocument) -> list[Block]:
    d = doc.decision
    row = d.current(rules.RESOLVE)
    if row is None or row.outcome != voting.PASSED:
        return []
    body = row.council.council if row.council is not None else rules.body_label(row.body)
    subject = d.title.removeprefix("关于").removesuffix("的")
    blocks: list[Block] = [
        PageBreak(),
        Heading("决议", 1),
        Text(f"关于{subject}的决议", indent=False, align="centre"),
        Text(
            f"{_day(row.date)}，{doc.village}召开{body}，应到{row.expected}人，实到{row.present}人，"
            f"对{d.title}事项进行表决：赞成{row.for_ or 0}票，反对{row.against or 0}票，"
            f"弃权{row.abstain or 0}票，获得通过。决议如下："
        ),
        Text(row.text or d.title),
        Text(doc.committee, indent=False, align="right"),
        Text(_day(row.date), indent=False, align="right"),
    ]
    return blocks


def _notice_copy(n: int, copy: NoticeCopy) -> list[Block]:
    doc = notice_pdf.notice_document(copy.document)
    blocks: list[Block] = [PageBreak(), Heading(f"附件{n}：{NOTICE_NAMES[copy.step]}", 1)]
    blocks.append(Text(doc.title, indent=False, align="centre"))
    if doc.number:
        blocks.append(Text(doc.number, indent=False, align="centre"))
    blocks += list(doc.blocks)
    if doc.signature is not None:
        blocks.append(Text(doc.signature.body, indent=False, align="right"))
        blocks.append(Text(document_date(doc.signature.on), indent=False, align="right"))
    rows = [
        ("张贴日期", _day(copy.posted_at)),
        ("张贴人", copy.posted_by),
        ("张贴地点", "、".join(copy.places)),
    ]
    if copy.period_start and copy.period_end:
        unit = "个工作日" if copy.document.period_unit == WORKING_DAYS else "天"
        rows.append(("公示期", f"{_day(copy.period_start)}至{_day(copy.period_end)}"
                               f"（{copy.document.period_days}{unit}）"))  # fmt: skip
    if copy.removed_at:
        rows.append(
            ("撤下日期", f"{_day(copy.removed_at)}" + (f"（{copy.removed_by}）" if copy.removed_by else ""))
        )
    rows.append(("公示结果", copy.result_text or ("公示期未满" if copy.posted_at else "尚未张贴")))
    blocks.append(TableBlock(FACTS, tuple((k, v) for k, v in rows if v), caption="张贴记录"))
    for i, o in enumerate(copy.objections, start=1):
        late = "（公示期满后收到）" if o.late else ""
        blocks.append(Heading(f"（{chinese_numeral(i)}）{document_date(o.received_on)}收到异议{late}", 2))
        blocks.append(Text(f"异议内容：{o.content}"))
        if o.handling:
            blocks.append(Text(f"处理情况：{o.handling}"))
        answered = f"（{document_date(o.answered_on)}答复）" if o.answered_on else ""
        blocks.append(Text(f"答复意见：{o.answer}{answered}" if o.answer else "答复意见：尚未答复。"))
    return blocks


@in_document_language
def dossier_document(doc: DossierDocument, paper: Paper = Paper.A4) -> OfficialDocument:
    d = doc.decision
    blocks: list[Block] = _cover(doc)
    rounds = {r.number: r for r in d.rounds}
    seen_rounds = {1}
    for index, row in enumerate(d.steps, start=1):
        blocks.append(PageBreak())
        if row.round not in seen_rounds and row.round in rounds:
            seen_rounds.add(row.round)
            r = rounds[row.round]
            blocks.append(Text(f"{_day(r.started_on)}，事项退回第一步，作为修改后的提议重新提出：{r.reason}"))
        blocks += _step_blocks(index, row, d)
    for number in sorted(set(rounds) - seen_rounds):
        r = rounds[number]
        blocks.append(Text(f"{_day(r.started_on)}，事项退回第一步，作为修改后的提议重新提出：{r.reason}"))
    if d.state == rules.NOT_ADOPTED:
        blocks.append(Heading("事项终止", 1))
        blocks.append(Text(f"{_day(d.ended_on)}，事项未获通过，终止办理：{d.end_reason}"))
    blocks += _resolution(doc)
    for n, copy in enumerate(doc.notices, start=1):
        blocks += _notice_copy(n, copy)
    return OfficialDocument(
        title=f"{doc.village}重大事项“四议两公开”档案",
        number=d.number,
        blocks=tuple(blocks),
        signature=Signature(doc.committee, doc.sign_date),
        paper=paper,
        author=doc.committee,
        subject=f"{SUBJECT} {d.number} {d.title}",
        audience=Audience.ON_FILE,  # 一事一档: the matter's file
        masking=doc.masking,
    )


def file_stem(document: OfficialDocument) -> str:
    """The suggested file name of a dossier without .pdf: its number and the matter's title."""
    return document.subject.removeprefix(SUBJECT).strip()


def render_dossier(doc: DossierDocument, path: Path | str, paper: Paper = Paper.A4) -> Path:
    return render(dossier_document(doc, paper), path)


def dossier_bytes(doc: DossierDocument, paper: Paper = Paper.A4) -> bytes:
    return render_bytes(dossier_document(doc, paper))
