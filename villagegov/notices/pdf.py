"""The notice as it hangs on the bulletin board, and the printed result of its posting period.

Layouts take the service's plain, already-masked documents and give back `OfficialDocument`s;
the words they add are Chinese because the paper hangs in the village, whatever the screen speaks.
"""

from __future__ import annotations

from pathlib import Path

from villagegov.core.calendar import WORKING_DAYS
from villagegov.core.i18n import document_date
from villagegov.core.numbering import chinese_numeral
from villagegov.core.privacy import Audience
from villagegov.notices.records import DocumentAttachment, NoticeDocument, ResultDocument
from villagegov.notices.rules import FinanceLine, FinanceStatement, Paragraph
from villagegov.printing.document import (
    Appendix,
    AttachmentNote,
    Block,
    Heading,
    OfficialDocument,
    Signature,
    TableBlock,
    Text,
    Together,
    render,
    render_bytes,
)
from villagegov.printing.template import Paper

DRAFT_MARK = "（草稿，未经审批，不得张贴）"


def yuan(fen: int) -> str:
    """Amounts on public paper: 1,234.50, in a column headed 金额（元）."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{part:02d}"


# The income and expenditure tables of a statement share their column widths, so they line up.
STATEMENT_SHARES = (0.12, 0.60, 0.28)


def _paragraph_block(paragraph: Paragraph) -> Block:
    if paragraph.addressee:
        return Text(paragraph.text, indent=False, align="left")  # 主送: flush left (GB/T 9704 7.3.2)
    if paragraph.level in (1, 2):
        return Heading(paragraph.text, paragraph.level)
    return Text(paragraph.text)


def _statement_tables(statement: FinanceStatement) -> list[Block]:
    def side(caption: str, lines: tuple[FinanceLine, ...], total_label: str, total: int) -> TableBlock:
        rows = tuple((str(i), line.item, yuan(line.amount_fen)) for i, line in enumerate(lines, start=1))
        return TableBlock(
            ("序号", "项目", "金额（元）"),
            (*rows, ("", total_label, yuan(total))),
            caption=caption,
            total_rows=1,
            shares=STATEMENT_SHARES,
        )

    blocks: list[Block] = [
        side("收入明细", statement.income, "收入合计", statement.income_total_fen),
        side("支出明细", statement.expense, "支出合计", statement.expense_total_fen),
    ]
    summary = (
        f"本期收入合计{yuan(statement.income_total_fen)}元，支出合计{yuan(statement.expense_total_fen)}元"
    )
    if statement.opening_balance_fen is not None and statement.closing_balance_fen is not None:
        summary = (
            f"期初余额{yuan(statement.opening_balance_fen)}元，{summary}，"
            f"期末余额{yuan(statement.closing_balance_fen)}元"
        )
    blocks.append(Text(summary + "。"))
    return blocks


def period_line(doc: NoticeDocument) -> str:
    """公示期：2026年11月23日至2026年11月29日 — or, before posting, how long it will be."""
    if doc.period_start is not None and doc.period_end is not None:
        return f"公示期：{document_date(doc.period_start)}至{document_date(doc.period_end)}"
    unit = "个工作日" if doc.period_unit == WORKING_DAYS else "天"
    return f"公示期：自张贴之日起{doc.period_days}{unit}"


def objection_line(body: str, phone: str) -> str:
    contact = f"，联系电话：{phone}" if phone else ""
    return f"公示期内，如有异议，请向{body}反映{contact}。"


def attachment_label(index: int, count: int) -> str:
    """附件 alone when there is one, else 附件1, 附件2 … (GB/T 9704 7.3.3 and 8)."""
    return "附件" if count == 1 else f"附件{index}"


def appendices(attachments: tuple[DocumentAttachment, ...]) -> tuple[Appendix, ...]:
    count = len(attachments)
    return tuple(
        Appendix(attachment_label(i, count), a.title, a.media_type, a.content)
        for i, a in enumerate(attachments, start=1)
    )


def notice_document(doc: NoticeDocument, paper: Paper = Paper.A4) -> OfficialDocument:
    blocks: list[Block] = []
    paragraphs = list(doc.paragraphs)
    if paragraphs and paragraphs[0].addressee:
        blocks.append(_paragraph_block(paragraphs.pop(0)))
    if doc.supersedes_number:
        blocks.append(
            Text(f"本{doc.kind_label}是对{doc.supersedes_number}的更正，原{doc.kind_label}同时废止。")
        )
    blocks += [_paragraph_block(p) for p in paragraphs]
    for table in doc.tables:
        blocks.append(TableBlock(table.header, table.rows, caption=table.caption))
    if doc.statement is not None:
        blocks += _statement_tables(doc.statement)
    if doc.period_days:
        # The period and whom to tell stay on one page: a villager reads them together.
        blocks.append(
            Together((Text(period_line(doc)), Text(objection_line(doc.objection_body, doc.objection_phone))))
        )
    if doc.result_text:
        blocks.append(Text(doc.result_text))
    if doc.attachments:
        blocks.append(AttachmentNote(tuple(a.title for a in doc.attachments)))
    number = doc.number if doc.final else DRAFT_MARK
    signature = Signature(doc.signing_body, doc.sign_date) if doc.sign_date is not None else None
    return OfficialDocument(
        title=doc.title,
        number=number,
        blocks=tuple(blocks),
        signature=signature,
        paper=paper,
        author=doc.signing_body,
        subject=f"{doc.category_label} {doc.kind_label} {doc.number}".strip(),
        appendices=appendices(doc.attachments),
        audience=Audience.PUBLIC,  # hangs on the board
        masking=doc.masking,
    )


def result_document(doc: ResultDocument, paper: Paper = Paper.A4) -> OfficialDocument:
    """公示结果: 公示期满无异议, or each objection with how it was handled and answered."""
    period = f"{document_date(doc.period_start)}至{document_date(doc.period_end)}"
    blocks: list[Block] = [Text(f"我村于{period}对《{doc.notice_title}》（{doc.number}）进行了公示。")]
    blocks.append(Text(doc.text))
    for index, objection in enumerate(doc.objections, start=1):
        late = "（公示期满后收到）" if objection.late else ""
        blocks.append(
            Heading(f"（{chinese_numeral(index)}）{document_date(objection.received_on)}收到异议{late}", 2)
        )
        blocks.append(Text(f"异议内容：{objection.content}"))
        if objection.handling:
            blocks.append(Text(f"处理情况：{objection.handling}"))
        if objection.answer:
            answered = f"（{document_date(objection.answered_on)}答复）" if objection.answered_on else ""
            blocks.append(Text(f"答复意见：{objection.answer}{answered}"))
        else:
            blocks.append(Text("答复意见：尚未答复。"))
    blocks.append(
        Text(
            f"如有疑问，请向{doc.objection_body}咨询"
            + (f"，联系电话：{doc.objection_phone}。" if doc.objection_phone else "。")
        )
    )
    return OfficialDocument(
        title=doc.title,
        # No number of its own: the notice's number identifies the notice, and the text cites it.
        number="",
        blocks=tuple(blocks),
        signature=Signature(doc.signing_body, doc.sign_date),
        paper=paper,
        author=doc.signing_body,
        subject=f"公示结果 {doc.number}",
        audience=Audience.PUBLIC,  # hangs on the board after the notice
        masking=doc.masking,
    )


def render_notice(doc: NoticeDocument, path: Path | str, paper: Paper = Paper.A4) -> Path:
    return render(notice_document(doc, paper), path)


def notice_bytes(doc: NoticeDocument, paper: Paper = Paper.A4) -> bytes:
    return render_bytes(notice_document(doc, paper))


def result_bytes(doc: ResultDocument, paper: Paper = Paper.A4) -> bytes:
    return render_bytes(result_document(doc, paper))
