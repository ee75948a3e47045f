"""The 红白理事会's papers: 报备登记表, 承诺书, 回访记录, and the year's summary with its charts.

Layouts take the service's plain, already-masked documents and give back `OfficialDocument`s; the words
they add are Chinese because the papers are kept in the village, whatever the screen speaks.
"""

from __future__ import annotations

from pathlib import Path

from villagegov.ceremonies import rules
from villagegov.ceremonies.records import (
    CommitmentDocument,
    FigureLine,
    FollowUpDocument,
    ReportFormDocument,
    SummaryDocument,
)
from villagegov.core.i18n import document_date
from villagegov.core.numbering import chinese_numeral
from villagegov.core.privacy import Audience
from villagegov.printing.document import (
    SIGN_HERE,
    Block,
    ChartBlock,
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


def yuan(fen: int) -> str:
    """Amounts in a column headed 金额（元）: 1,234.50."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{part:02d}"


def _heading(index: int, text: str) -> Heading:
    return Heading(f"{chinese_numeral(index)}、{text}", 1)


def _figures_table(lines: tuple[FigureLine, ...], with_actual: bool) -> TableBlock:
    if with_actual:
        header: tuple[str, ...] = ("项目", "报备计划", "现场实际", "村规民约标准", "评定")
        rows = tuple((x.item, x.planned, x.actual, x.cap, x.verdict) for x in lines)
    else:
        header = ("项目", "报备计划", "村规民约标准", "评定")
        rows = tuple((x.item, x.planned, x.cap, x.verdict) for x in lines)
    return TableBlock(header, rows)


def report_form(doc: ReportFormDocument, paper: Paper = Paper.A4) -> OfficialDocument:
    blocks: list[Block] = [
        _heading(1, "基本情况"),
        TableBlock(
            ("项目", "内容", "项目", "内容"),
            (
                ("户号", doc.household_number, "所在村民小组", doc.group),
                ("户主", doc.head_name, "报备人", doc.host),
                ("联系电话", doc.phone, "报备日期", document_date(doc.reported_on)),
                ("事由", doc.what, "当事人", doc.subject),
                ("举办日期", document_date(doc.day), "举办地点", doc.place),
            ),
        ),
        _heading(2, "报备计划与村规民约标准"),
        Text(f"评定依据：{doc.standard_label}。"),
        _figures_table(doc.lines, with_actual=False),
        Text(f"预计总花费：{doc.spending}。"),
    ]
    if doc.first_plan_note:
        blocks.append(Text(doc.first_plan_note))
    if doc.breaches:
        blocks.append(Text("超标事项：" + "；".join(doc.breaches) + "。"))
    else:
        blocks.append(Text("报备计划符合村规民约标准。"))
    if doc.late:
        blocks.append(Text(f"报备时间：{doc.late}。"))
    blocks.append(_heading(3, "理事会劝导意见"))
    blocks += [Text(line) for line in doc.advice] or [Text("无。")]
    blocks.append(_heading(4, "承诺书签订情况"))
    blocks.append(Text(f"{doc.commitment}。"))
    # Two lines: side by side the second had no room left to sign on.
    blocks.append(Text(sign_here("报备人（签字）"), indent=False))
    blocks.append(Text(sign_here("理事会经办人（签字）"), indent=False))
    return OfficialDocument(
        title="红白事报备登记表",
        number=doc.number,
        blocks=tuple(blocks),
        signature=Signature(doc.council, doc.reported_on),
        paper=paper,
        author=doc.council,
        subject=f"红白事报备登记表 {doc.number}",
        audience=Audience.ON_FILE,  # 报备登记表: kept by the council
        masking=doc.masking,
    )


def commitment_letter(doc: CommitmentDocument, paper: Paper = Paper.A4) -> OfficialDocument:
    subject = f"（{doc.subject}）" if doc.subject else ""
    blocks: list[Block] = [
        Text(
            f"本人{doc.host}，系{doc.village}{doc.group}村民。本户定于{document_date(doc.day)}在{doc.place}"
            f"举办{doc.what}{subject}。为弘扬文明新风、推进移风易俗，本人向{doc.council}郑重承诺："
        )
    ]
    blocks += [Text(f"{chinese_numeral(i)}、{promise}") for i, promise in enumerate(doc.promises, start=1)]
    blocks.append(Text(f"本承诺书一式两份，承诺人和{doc.council}各执一份。"))
    signature = None
    if doc.signed_on is not None:
        signature = Signature(f"承诺人：{doc.signer}", doc.signed_on)
    else:
        blocks.append(Text(f"承诺人（签字）：{SIGN_HERE}", indent=False, align="right"))
        blocks.append(Text("年　　月　　日", indent=False, align="right"))
    return OfficialDocument(
        title="红白事简办承诺书",
        number=doc.number,
        blocks=tuple(blocks),
        signature=signature,
        paper=paper,
        author=doc.council,
        subject=f"红白事简办承诺书 {doc.number}",
        audience=Audience.ON_FILE,  # signed by the family, kept by the council
        masking=doc.masking,
    )


def follow_up_record(doc: FollowUpDocument, paper: Paper = Paper.A4) -> OfficialDocument:
    blocks: list[Block] = [
        _heading(1, "基本情况"),
        TableBlock(
            ("项目", "内容", "项目", "内容"),
            (
                ("户主", doc.head_name, "所在村民小组", doc.group),
                ("事由", doc.what, "举办日期", document_date(doc.day)),
                ("举办地点", doc.place, "", ""),
            ),
        ),
        _heading(2, "事中监督"),
        Text(f"监督人：{doc.supervisor}；监督日期：{document_date(doc.supervised_on)}。"),
        _figures_table(doc.lines, with_actual=True),
    ]
    if doc.deviations:
        blocks.append(Text("与报备计划不符：" + "；".join(doc.deviations) + "。"))
    else:
        blocks.append(Text("现场情况与报备计划一致。"))
    if doc.breaches:
        blocks.append(Text("超标事项：" + "；".join(doc.breaches) + "。"))
    else:
        blocks.append(Text("现场情况符合村规民约标准。"))
    if doc.supervision_notes:
        blocks.append(Text(f"监督情况：{doc.supervision_notes}"))
    for line in doc.corrections:
        blocks.append(Text(f"更正记录：{line}。"))
    blocks += [
        _heading(3, "事后回访"),
        TableBlock(
            ("项目", "内容"),
            (
                ("回访人", doc.visitor),
                ("回访日期", document_date(doc.visited_on)),
                ("首次报备预计总花费", doc.first_plan_spending),
                ("实际总花费", doc.actual_spending),
                ("较首次报备计划节约", doc.saved),
                ("群众满意度", doc.satisfaction),
                ("回访意见", doc.remarks or "无"),
            ),
        ),
    ]
    return OfficialDocument(
        title="红白事事后回访记录",
        number=doc.number,
        blocks=tuple(blocks),
        signature=Signature(doc.council, doc.visited_on),
        paper=paper,
        author=doc.council,
        subject=f"红白事事后回访记录 {doc.number}",
        audience=Audience.ON_FILE,  # kept by the council
        masking=doc.masking,
    )


def summary(doc: SummaryDocument, paper: Paper = Paper.A4) -> OfficialDocument:
    f = doc.figures
    counts = "、".join(
        f"{kind}{sum(f.per_month[k])}起" for kind, k in zip(doc.kinds, rules.KINDS, strict=True)
    )
    overview = f"{doc.year}年，本村共报备红白事{f.ceremonies}起，其中{counts}。"
    if f.reported_late:
        overview += f"未按村规民约要求提前报备的{f.reported_late}起。"
    if f.first_plans_over:
        overview += f"首次报备计划超出村规民约标准的{f.first_plans_over}起，理事会均上门劝导。"
    overview += f"已举办并经事中监督的{f.supervised}起，其中符合标准的{f.within}起"
    overview += f"，占{rules.percent(f.share_within)}。" if f.supervised else "。"
    if f.plans_counted:
        overview += (
            f"经事后回访，{f.plans_counted}户家庭实际花费较首次报备计划"
            f"{'节约' if f.saved_against_first_plan_fen >= 0 else '超出'}"
            f"{yuan(abs(f.saved_against_first_plan_fen))}元。"
        )
    blocks: list[Block] = [
        Text(overview),
        _heading(1, "各月办理情况"),
        ChartBlock(doc.month_chart),
        TableBlock(
            ("月份", *doc.kinds, "合计"), doc.month_rows, caption="各月红白事办理情况（起）", total_rows=1
        ),
        _heading(2, "执行标准情况"),
    ]
    share = rules.percent(f.share_within)
    blocks.append(Text(f"已监督{f.supervised}起，符合标准{f.within}起，符合率{share}。"))
    if doc.breach_rows:
        blocks.append(TableBlock(("超标项目", "起数"), doc.breach_rows, caption="现场超标情况"))
    else:
        blocks.append(Text("已监督的红白事均未超出标准。"))
    blocks += [
        _heading(3, "节约情况"),
        ChartBlock(doc.spending_chart),
        TableBlock(
            ("项目", "户（起）数", "金额（元）"),
            (
                ("首次报备预计总花费", str(f.plans_counted), yuan(f.first_plan_spending_fen)),
                ("实际总花费", str(f.plans_counted), yuan(f.actual_spending_fen)),
                ("较首次报备计划节约", str(f.plans_counted), yuan(f.saved_against_first_plan_fen)),
                ("酒席费用标准上限", str(f.caps_counted), yuan(f.banquet_ceiling_fen)),
                ("实际酒席费用", str(f.caps_counted), yuan(f.banquet_actual_fen)),
                ("较标准上限节约", str(f.caps_counted), yuan(f.saved_against_caps_fen)),
            ),
            caption="节约情况",
        ),
        Text(
            "说明：“较首次报备计划节约”按已回访家庭首次报备的预计总花费减去实际总花费计算；"
            "“较标准上限节约”按已监督的酒席，以村规民约桌数上限乘每桌标准上限，减去现场实际桌数乘每桌标准计算。"
            "负数表示超出。"
        ),
    ]
    return OfficialDocument(
        title=f"{doc.year}年度红白事办理情况报告",
        blocks=tuple(blocks),
        signature=Signature(doc.council, doc.sign_date),
        paper=paper,
        author=doc.council,
        subject=f"{doc.year}年度红白事办理情况",
        audience=Audience.PUBLIC,  # the council reports its year to the village
        masking=doc.masking,
    )


def report_form_bytes(doc: ReportFormDocument, paper: Paper = Paper.A4) -> bytes:
    return render_bytes(report_form(doc, paper))


def commitment_bytes(doc: CommitmentDocument, paper: Paper = Paper.A4) -> bytes:
    return render_bytes(commitment_letter(doc, paper))


def follow_up_bytes(doc: FollowUpDocument, paper: Paper = Paper.A4) -> bytes:
    return render_bytes(follow_up_record(doc, paper))


def summary_bytes(doc: SummaryDocument, paper: Paper = Paper.A4) -> bytes:
    return render_bytes(summary(doc, paper))


def render_report_form(doc: ReportFormDocument, path: Path | str, paper: Paper = Paper.A4) -> Path:
    return render(report_form(doc, paper), path)
