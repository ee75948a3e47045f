"""The room's summary of a period on paper: the figures of both the ledgers and the disputes, with their
tables and charts; and how a period is written on the room's papers.

A petition's papers are laid out in petition_pdf.py, a dispute's agreement in mediation_pdf.py. The
layout takes the service's plain document (records.py) and gives back an `OfficialDocument`; the
words it adds are Chinese because the paper stays in the village.
"""

from __future__ import annotations

from datetime import date

from villagegov.core.i18n import document_date, speaking
from villagegov.core.privacy import Audience
from villagegov.petitions import petition_rules, rules
from villagegov.petitions.records import SummaryDocument
from villagegov.printing.document import (
    Block,
    ChartBlock,
    Heading,
    OfficialDocument,
    Signature,
    TableBlock,
    Text,
    render_bytes,
)
from villagegov.printing.template import Paper


def period_text(start: date, end: date) -> str:
    """2026年1月1日至2026年12月31日, or 2026年 for a whole calendar year."""
    if start == date(start.year, 1, 1) and end == date(start.year, 12, 31):
        return f"{start.year}年"
    return f"{document_date(start)}至{document_date(end)}"


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
    counts = "、".join(
        f"{petition_rules.ledger_label(lg)}{f.ledger_totals[lg].received}件" for lg in petition_rules.LEDGERS
    )
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
    for index, lg in enumerate(petition_rules.LEDGERS, start=1):
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
        blocks.append(
            TableBlock(header, rows, caption=f"表{index}　{petition_rules.ledger_label(lg)}", total_rows=1)
        )
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


def summary_bytes(doc: SummaryDocument, paper: Paper = Paper.A4) -> bytes:
    return render_bytes(summary_document(doc, paper))
