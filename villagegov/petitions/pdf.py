"""Petitions and mediations on paper: the ledgers (登记簿), the acceptance notice (受理告知书), the
mediation agreement (调解协议书) and the period's summary with its tables and charts.

Layouts take the service's plain documents (already masked, no complainant named) and give back
`OfficialDocument`s; the words they add are Chinese because the paper stays in the village.
"""

from __future__ import annotations

from datetime import date

from villagegov.core.i18n import document_date, speaking
from villagegov.core.numbering import chinese_numeral
from villagegov.core.privacy import Audience
from villagegov.petitions import rules
from villagegov.petitions.service import (
    AcknowledgementDocument,
    AgreementDocument,
    AgreementParty,
    LedgerDocument,
    LedgerLine,
    SummaryDocument,
)
from villagegov.printing.document import (
    BlankLine,
    Block,
    ChartBlock,
    Heading,
    OfficialDocument,
    Signature,
    TableBlock,
    Text,
    render_bytes,
    sign_here,
)
from villagegov.printing.template import Paper


def chinese_count(n: int) -> str:
    """2 → 两 (一式两份), 3 → 三, 12 → 十二."""
    return "两" if n == 2 else chinese_numeral(n)


def period_text(start: date, end: date) -> str:
    """2026年1月1日至2026年12月31日, or 2026年 for a whole calendar year."""
    if start == date(start.year, 1, 1) and end == date(start.year, 12, 31):
        return f"{start.year}年"
    return f"{document_date(start)}至{document_date(end)}"


def _short(day: date, one_year: bool) -> str:
    return f"{day.month}月{day.day}日" if one_year else f"{day.year}.{day.month}.{day.day}"


# --- 登记簿 ---------------------------------------------------------------------------------------


def _progress(line: LedgerLine, one_year: bool) -> str:
    if line.closed_on is not None:
        parts = [f"{_short(line.closed_on, one_year)}销号"]
        if line.satisfaction:
            parts.append(line.satisfaction)
        parts.append("按期" if line.on_time == "是" else "逾期")
        return "，".join(parts)
    return line.progress + ("（已逾期）" if line.overdue else "")


def _number(line: LedgerLine, one_year: bool) -> str:
    return f"第{line.sequence}号" if one_year else f"{line.year}年第{line.sequence}号"


def ledger_document(doc: LedgerDocument, paper: Paper = Paper.A4) -> OfficialDocument:
    """One ruled table a ledger: number, day received, who (never a complainant), the matter (with
    its channel), the handler, and how far it went."""
    one_year = doc.start.year == doc.end.year
    blocks: list[Block] = [
        Text(f"登记期间：{document_date(doc.start)}至{document_date(doc.end)}", indent=False, align="centre")
    ]
    total = sum(len(lines) for _label, lines in doc.ledgers)
    blocks.append(Text(f"本期共登记{total}件，其中" + "，".join(
        f"{label.removesuffix('登记簿')}{len(lines)}件" for label, lines in doc.ledgers
    ) + "。投诉举报人信息依规保密，不在本簿载明。"))  # fmt: skip
    for label, lines in doc.ledgers:
        rows = tuple(
            (
                _number(line, one_year),
                _short(line.received_on, one_year),
                line.petitioner,
                f"〔{line.channel}〕{line.subject}",
                line.assignee,
                _progress(line, one_year),
            )
            for line in lines
        )
        if not rows:
            rows = (("", "", "", "本期无登记", "", ""),)
        blocks.append(
            TableBlock(("编号", "受理日期", "反映人", "反映事项", "承办人", "办理情况"), rows, caption=label)
        )
    return OfficialDocument(
        title=f"{doc.village}民情三本账登记簿（{period_text(doc.start, doc.end)}）",
        blocks=tuple(blocks),
        signature=Signature(doc.signing_body, doc.sign_date),
        paper=paper,
        author=doc.signing_body,
        subject="民情三本账登记簿",
        audience=Audience.ON_FILE,  # 登记簿: the committee's ledgers
        masking=doc.masking,
    )


# --- 受理告知书 ---------------------------------------------------------------------------------


def acknowledgement_document(doc: AcknowledgementDocument, paper: Paper = Paper.A4) -> OfficialDocument:
    complaint = doc.addressee == "投诉举报人"
    blocks: list[Block] = [
        Text(f"{doc.addressee}：", indent=False),
        Text(
            f"您于{document_date(doc.received_on)}以{doc.channel_label}方式反映的“{doc.subject}”事项，"
            f"本村已登记在{doc.ledger_label}账（编号{doc.number}），经村党组织书记阅批，现予受理。"
        ),
        Text(
            f"我们将自交办之日起{doc.result_days}个工作日内办理完毕并向您反馈结果，反馈后"
            f"{doc.consult_days}个工作日内听取您对办理结果的意见。如您对办理结果不满意，可以当面或"
            "通过电话提出，我们将重新交办办理。"
        ),
    ]
    if complaint:
        blocks.append(Text("您的个人信息和投诉举报内容，我们将严格保密。"))
    blocks.append(Text("特此告知。"))
    return OfficialDocument(
        title="受理告知书",
        number=doc.number,
        blocks=tuple(blocks),
        signature=Signature(doc.signing_body, doc.sign_date),
        paper=paper,
        author=doc.signing_body,
        subject=f"受理告知书 {doc.number}",
        audience=Audience.ON_FILE,  # handed to the villager, a copy kept
        masking=doc.masking,
    )


# --- 调解协议书 -----------------------------------------------------------------------------------


def _party_line(party: AgreementParty) -> str:
    parts = [party.name]
    if party.gender:
        parts.append(party.gender)
    if party.birth_date:
        parts.append(f"{document_date(party.birth_date)}出生")
    if party.id_number:
        parts.append(f"身份证号码{party.id_number}")
    if party.address:
        parts.append(f"住{party.address}")
    if party.phone:
        parts.append(f"联系电话{party.phone}")
    return f"{party.label}：" + "，".join(parts) + "。"


def agreement_document(doc: AgreementDocument, paper: Paper = Paper.A4) -> OfficialDocument:
    """What 人民调解法 Art. 29 names, then the places to sign, and the committee's seal over its name."""
    blocks: list[Block] = [Heading("一、当事人基本情况")]
    blocks += [Text(_party_line(p)) for p in doc.parties]
    blocks += [
        Heading("二、纠纷主要事实和争议事项"),
        Text(f"纠纷类型：{doc.kind_label}。"),
        *[Text(paragraph) for paragraph in doc.facts.split("\n") if paragraph.strip()],
        Text(f"争议事项：{doc.disputed}"),
        Heading("三、各方当事人的责任"),
        *[Text(f"{who}：{duty}") for who, duty in doc.responsibilities],
        Heading("四、经调解，各方当事人自愿达成如下协议"),
        *[Text(f"{i}. {term}") for i, term in enumerate(doc.terms, start=1)],
        Heading("五、履行方式和期限"),
        Text(f"履行方式：{doc.performance}"),
        Text(f"履行期限：于{document_date(doc.perform_by)}前履行完毕。"),
    ]
    if doc.oral:
        blocks.append(
            Text("本协议系当事人达成的口头调解协议，由人民调解员记录在案，自各方当事人达成协议之日起生效。")
        )
    else:
        blocks.append(
            Text(
                f"本协议书一式{chinese_count(doc.copies)}份，当事人各执一份，人民调解委员会留存一份。"
                "本协议书自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。"
            )
        )
    blocks.append(
        Text(
            "经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。当事人认为有必要的，"
            f"可以自调解协议生效之日起{rules.COURT_CONFIRMATION_DAYS}日内共同向人民法院申请司法确认。"
        )
    )
    blocks.append(BlankLine())
    blocks.append(Text("当事人（签名、盖章或者按指印）：", indent=False))
    for party in doc.parties:
        blocks.append(Text(sign_here(party.label), indent=False))
    blocks.append(Text(sign_here("人民调解员（签名）"), indent=False))
    blocks.append(Text(f"（本案人民调解员：{'、'.join(doc.mediators)}）", indent=False))
    return OfficialDocument(
        title="口头调解协议记录" if doc.oral else "人民调解协议书",
        number=doc.number,
        blocks=tuple(blocks),
        signature=Signature(f"{doc.committee}（印章）", doc.concluded_on),
        paper=paper,
        author=doc.committee,
        subject=f"调解协议书 {doc.number}",
        audience=Audience.ON_FILE,  # one copy a party, one kept by the committee
        masking=doc.masking,
    )


# --- the period's summary --------------------------------------------------------------------------


def _month(month: date, span: bool) -> str:
    return f"{month.year}年{month.month}月" if span else f"{month.month}月"


def summary_document(doc: SummaryDocument, paper: Paper = Paper.A4) -> OfficialDocument:
    """The figures in words, a table a ledger and one for disputes, and two charts."""
    # The ledgers' names and the charts' words come through the catalogue: Chinese on paper.
    with speaking("zh_CN"):
        return _summary(doc, paper)


def _summary(doc: SummaryDocument, paper: Paper) -> OfficialDocument:
    f = doc.figures
    span = f.months[0].year != f.months[-1].year
    every = f.ledger_totals[""]
    med = f.mediation_total
    assert med is not None
    counts = "、".join(f"{rules.ledger_label(lg)}{f.ledger_totals[lg].received}件" for lg in rules.LEDGERS)
    blocks: list[Block] = [
        Text(
            f"{period_text(doc.start, doc.end)}，本村共受理群众意见建议、利益诉求和投诉举报{every.received}件"
            f"（{counts}）；办结{every.closed}件，其中按期办结{every.on_time}件，按期办结率"
            f"{rules.percent(every.on_time_rate)}；回复征询{every.answers}次，群众满意率"
            f"{rules.percent(every.satisfaction_rate)}。受理矛盾纠纷{med.received}件，调结{med.concluded}件，"
            f"其中调解成功{med.resolved}件，调解成功率{rules.percent(med.success_rate)}。"
        ),
        Text(
            "说明：按期办结指每一步骤均在时限内完成；满意率为回复征询中“满意”和“基本满意”所占比例；"
            "调解成功率为调解成功件数占调结件数的比例。",
        ),
        Heading("一、民情三本账"),
    ]
    header = ("月份", "受理", "办结", "按期办结", "按期办结率", "回复征询", "满意率")
    for index, lg in enumerate(rules.LEDGERS, start=1):
        rows = tuple(
            (
                _month(r.month, span) if r.month else "合计",
                str(r.received),
                str(r.closed),
                str(r.on_time),
                rules.percent(r.on_time_rate),
                str(r.answers),
                rules.percent(r.satisfaction_rate),
            )
            for r in (*f.ledgers[lg], f.ledger_totals[lg])
        )
        blocks.append(TableBlock(header, rows, caption=f"表{index}　{rules.ledger_label(lg)}", total_rows=1))
    blocks.append(ChartBlock(rules.petition_chart(f)))
    blocks.append(Heading("二、矛盾纠纷调处"))
    rows = tuple(
        (
            _month(r.month, span) if r.month else "合计",
            str(r.received),
            str(r.concluded),
            str(r.resolved),
            rules.percent(r.success_rate),
        )
        for r in (*f.mediations, med)
    )
    blocks.append(
        TableBlock(
            ("月份", "受理", "调结", "调解成功", "调解成功率"),
            rows,
            caption="表4　矛盾纠纷调处",
            total_rows=1,
        )
    )
    blocks.append(ChartBlock(rules.mediation_chart(f)))
    return OfficialDocument(
        title=f"{doc.village}民情三本账和矛盾纠纷调处情况统计（{period_text(doc.start, doc.end)}）",
        blocks=tuple(blocks),
        signature=Signature(doc.signing_body, doc.sign_date),
        paper=paper,
        author=doc.signing_body,
        subject="民情三本账和矛盾纠纷调处情况统计",
        audience=Audience.PUBLIC,  # the year's figures, reported to the village
        masking=doc.masking,
    )


def ledger_bytes(doc: LedgerDocument, paper: Paper = Paper.A4) -> bytes:
    return render_bytes(ledger_document(doc, paper))


def acknowledgement_bytes(doc: AcknowledgementDocument, paper: Paper = Paper.A4) -> bytes:
    return render_bytes(acknowledgement_document(doc, paper))


def agreement_bytes(doc: AgreementDocument, paper: Paper = Paper.A4) -> bytes:
    return render_bytes(agreement_document(doc, paper))


def summary_bytes(doc: SummaryDocument, paper: Paper = Paper.A4) -> bytes:
    return render_bytes(summary_document(doc, paper))
